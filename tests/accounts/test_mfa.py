"""Two-factor sign-in: enrolling an authenticator app, the code after the password, recovery codes, replay, the
half-signed-in state, enrolment required by role, and an administrator's reset."""

from __future__ import annotations

import os
import re
import time
from urllib.parse import unquote_to_bytes

import pyotp
import pytest

from talentcase.accounts import mfa_services
from talentcase.audit.models import AuditEntry
from tests.factories import PASSWORD

SECRET_KEY = "testing-secret"


def _secret_on(page: bytes) -> str:
    found = re.search(rb'id="totp-secret">([A-Z2-7 ]+)<', page)
    assert found, "the page shows the secret in text"
    return found.group(1).decode().replace(" ", "")


def _codes_on(page: bytes) -> list[str]:
    return [code.decode() for code in re.findall(rb'<li class="recovery-code"><code>([a-z0-9-]+)</code>', page)]


def _actions(db, action: str) -> list[AuditEntry]:
    return db.session.query(AuditEntry).filter_by(action=action).all()


def enrol(db, user) -> tuple[str, list[str]]:
    """Give the user a confirmed authenticator app, as the pages would; returns the secret and recovery codes."""
    secret = mfa_services.begin_totp(user, SECRET_KEY)
    # Confirmed with the previous step's code, so that the test may sign in with the current one (no replay).
    codes = mfa_services.confirm_totp(user, pyotp.TOTP(secret).at(time.time() - 30), SECRET_KEY)
    db.session.commit()
    return secret, codes


@pytest.fixture
def required(app):
    app.config["REQUIRE_2FA_ROLES"] = ("officer", "admin")


def test_enrolment_shows_a_qr_code_and_refuses_a_wrong_code(client, auth, people, db):
    auth.as_user(people["hr_a"])
    page = client.get("/account/two-factor/app")
    assert page.status_code == 200
    secret = _secret_on(page.data)
    assert b"<svg" in page.data and b"otpauth://totp/TalentCase:hr%40alpha.test?secret=" + secret.encode() in page.data
    wrong = client.post("/account/two-factor/app", data={"code": "000000"})
    assert wrong.status_code == 422
    assert b"That code is not right" in wrong.data
    assert not mfa_services.has_totp(people["hr_a"])
    right = client.post("/account/two-factor/app", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 200
    codes = _codes_on(right.data)
    assert len(codes) == 10
    assert b"data:text/plain" in right.data  # downloadable
    assert mfa_services.has_totp(people["hr_a"])
    assert _actions(db, "mfa_enrolled")[0].detail["method"] == "totp"
    # The secret is kept encrypted, the recovery codes only as hashes.
    assert secret not in mfa_services.totp_factor(people["hr_a"]).secret_encrypted
    assert client.get("/account/two-factor").status_code == 200


def test_sign_in_asks_for_the_code_after_the_password(client, auth, people, db):
    secret, _codes = enrol(db, people["officer"])
    response = auth.login("officer@park.test")
    assert response.status_code == 302 and response.headers["Location"].endswith("/login/two-factor")
    assert client.get("/officers/").status_code == 302  # not signed in yet
    assert not _actions(db, "login")
    wrong = client.post("/login/two-factor", data={"code": "000000"})
    assert wrong.status_code == 422
    assert _actions(db, "mfa_failed")
    right = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302
    assert client.get("/officers/").status_code == 200
    assert _actions(db, "login")[0].detail["second_factor"] == "totp"


def test_a_used_code_cannot_be_replayed(client, auth, people, db):
    secret, _codes = enrol(db, people["officer"])
    code = pyotp.TOTP(secret).now()
    auth.login("officer@park.test")
    assert client.post("/login/two-factor", data={"code": code}).status_code == 302
    auth.logout()
    auth.login("officer@park.test")
    replay = client.post("/login/two-factor", data={"code": code})
    assert replay.status_code == 422
    assert client.get("/officers/").status_code == 302


def test_a_recovery_code_works_once(client, auth, people, db):
    _secret, codes = enrol(db, people["officer"])
    auth.login("officer@park.test")
    assert client.post("/login/two-factor", data={"code": codes[3].upper()}).status_code == 302
    assert _actions(db, "mfa_recovery_code_used")
    assert mfa_services.unused_recovery_codes(people["officer"]) == 9
    auth.logout()
    auth.login("officer@park.test")
    assert client.post("/login/two-factor", data={"code": codes[3]}).status_code == 422
    assert client.post("/login/two-factor", data={"code": codes[4]}).status_code == 302


def test_repeated_wrong_codes_send_the_person_back_to_the_password(client, auth, people, db):
    enrol(db, people["officer"])
    auth.login("officer@park.test")
    answers = [client.post("/login/two-factor", data={"code": "000000"}).status_code for _ in range(5)]
    assert answers[:4] == [422] * 4 and answers[4] == 302
    assert client.get("/login/two-factor").headers["Location"].endswith("/login")


def test_an_officer_without_a_second_factor_must_enrol_when_required(client, auth, people, db, required):
    response = auth.login("officer@park.test")
    assert response.headers["Location"].endswith("/login/two-factor/setup")
    assert client.get("/officers/").headers["Location"].endswith("/login/two-factor/setup")
    page = client.get("/login/two-factor/setup")
    secret = _secret_on(page.data)
    done = client.post("/login/two-factor/setup", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and len(_codes_on(done.data)) == 10
    assert client.get("/officers/").status_code == 200


def test_hr_is_not_required_to_enrol(client, auth, people, required):
    assert auth.login("hr@alpha.test").headers["Location"].endswith("/home")


def test_cancelling_the_second_factor_signs_out(client, auth, people, db):
    enrol(db, people["officer"])
    auth.login("officer@park.test")
    assert client.post("/login/two-factor/cancel").headers["Location"].endswith("/login")
    assert client.get("/login").status_code == 200


def test_removing_the_app_and_new_recovery_codes(client, auth, people, db):
    secret, _codes = enrol(db, people["hr_a"])
    auth.as_user(people["hr_a"])
    fresh = client.post("/account/two-factor/recovery-codes")
    assert fresh.status_code == 200 and len(_codes_on(fresh.data)) == 10
    assert client.get("/account/two-factor/app/remove").status_code == 200
    # A signed-in session alone (a computer left unlocked) cannot take the second factor away: a code is asked.
    assert client.post("/account/two-factor/app/remove", data={"confirm": "yes", "code": "000000"}).status_code == 422
    assert mfa_services.has_totp(people["hr_a"])
    code = pyotp.TOTP(secret).now()
    assert client.post("/account/two-factor/app/remove", data={"confirm": "yes", "code": code}).status_code == 302
    assert not mfa_services.has_second_factor(people["hr_a"])
    assert _actions(db, "mfa_removed")


def test_an_admin_resets_a_second_factor_and_it_is_audited(client, auth, people, db, required):
    enrol(db, people["officer"])
    for role in ("hr_a", "officer"):
        auth.as_user(people[role])
        assert client.post(f"/admin/users/{people['officer'].id}/two-factor/reset").status_code == 403
    auth.as_user(people["admin"])
    assert client.get(f"/admin/users/{people['officer'].id}/two-factor/reset").status_code == 200
    done = client.post(f"/admin/users/{people['officer'].id}/two-factor/reset", data={"confirm": "yes"})
    assert done.status_code == 302
    assert not mfa_services.has_second_factor(people["officer"])
    entry = _actions(db, "mfa_reset")[0]
    assert entry.actor_id == people["admin"].id and entry.target_id == people["officer"].id
    auth.logout()
    assert auth.login("officer@park.test").headers["Location"].endswith("/login/two-factor/setup")


def test_api_tokens_are_a_separate_door(client, auth, people, db):
    """An API token is made by a signed-in (so second-factor-checked) person; it is not asked for a code."""
    from talentcase.accounts import services

    enrol(db, people["officer"])
    _token, plain = services.issue_token(people["officer"], "script")
    db.session.commit()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {plain}"}).status_code == 200
    # A half-signed-in session is no session for the API either.
    auth.login("officer@park.test")
    assert client.get("/api/v1/me").status_code == 401


def test_the_admin_users_page_links_to_the_reset(client, auth, people):
    auth.as_user(people["admin"])
    page = client.get("/admin/users")
    assert f'/admin/users/{people["officer"].id}/two-factor/reset"'.encode() in page.data


def test_a_passkey_answer_that_does_not_check_out_is_refused_and_audited(client, auth, people, db):
    from talentcase.accounts.mfa_models import Passkey

    enrol(db, people["officer"])
    db.session.add(Passkey(user_id=people["officer"].id, name="Laptop", credential_id="AAAA", public_key=b"x"))
    db.session.commit()
    auth.login("officer@park.test")
    options = client.post("/login/two-factor/passkey/options")
    assert options.status_code == 200 and options.json["rpId"] == "localhost"
    assert options.json["allowCredentials"][0]["id"] == "AAAA"
    forged = '{"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}}'
    refused = client.post("/login/two-factor/passkey", data={"credential": forged})
    assert refused.status_code == 422
    assert b"The passkey was not accepted" in refused.data
    assert _actions(db, "mfa_failed")[0].detail["method"] == "passkey"
    assert client.get("/officers/").status_code == 302  # still half signed in


JUNK = ["", "not json", "[]", "null", "1", '{"id": 5}', '{"id": "AAAA", "response": {"clientDataJSON": "!!"}}']


@pytest.mark.parametrize("junk", JUNK)
def test_a_passkey_registration_that_does_not_check_out_saves_nothing(client, auth, people, junk):
    auth.as_user(people["hr_a"])
    assert client.post("/account/passkeys/options").status_code == 200
    answer = client.post("/account/passkeys", data={"name": "Phone", "credential": junk}, follow_redirects=True)
    assert answer.status_code == 200
    assert b"The passkey was not saved" in answer.data
    assert not mfa_services.passkeys(people["hr_a"])


def test_second_factor_guesses_are_limited_per_account_across_sessions(client, auth, people, db):
    enrol(db, people["officer"])
    for _round in range(2):
        auth.login("officer@park.test")
        for _guess in range(5):
            client.post("/login/two-factor", data={"code": "000000"})
    auth.login("officer@park.test")
    assert client.post("/login/two-factor", data={"code": "000000"}).status_code == 429
    assert len(_actions(db, "mfa_failed")) == 10


def test_a_reset_while_half_signed_in_sends_the_person_back_to_the_password(client, auth, people, db):
    enrol(db, people["hr_a"])
    auth.login("hr@alpha.test")
    mfa_services.reset_second_factor(people["hr_a"])
    db.session.commit()
    assert client.get("/login/two-factor").headers["Location"].endswith("/login")
    assert auth.login("hr@alpha.test").headers["Location"].endswith("/home")  # HR: the password alone again


def test_required_for_officers_and_admins_in_production_and_off_for_make_run():
    import config

    assert "TALENTCASE_REQUIRE_2FA_ROLES" not in os.environ  # the defaults below are what a deployment gets
    assert config.ProductionConfig.REQUIRE_2FA_ROLES == ("officer", "admin")
    assert config.DevelopmentConfig.REQUIRE_2FA_ROLES == ()
    assert config._roles("none") == () and config._roles(" officer , admin") == ("officer", "admin")


def test_the_page_asked_for_before_sign_in_is_where_the_second_factor_leads(client, people, db):
    secret, _codes = enrol(db, people["officer"])
    response = client.post("/login?next=/officers/cases", data={"email": "officer@park.test", "password": PASSWORD})
    assert response.headers["Location"].endswith("/login/two-factor")
    done = client.post("/login/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.headers["Location"].endswith("/officers/cases")


def test_the_downloaded_codes_speak_the_persons_language(client, auth, people, db):
    enrol(db, people["hr_a"])
    auth.as_user(people["hr_a"])
    client.get("/lang/zh_Hant_HK")
    page = client.post("/account/two-factor/recovery-codes")
    assert "每個備用碼只可使用一次".encode() in unquote_to_bytes(page.data)
