"""The staff pages' language: the person's own choice when they made one, else their browser's; choices made in the
header or on the sign-in page are remembered as the person's preference."""

from __future__ import annotations

import pytest

from talentcase.accounts import services
from talentcase.accounts.models import User

CHINESE_PAGE = '<html lang="zh-Hant-HK">'
ENGLISH_PAGE = '<html lang="en">'
ZH_BROWSER = {"Accept-Language": "zh-HK,zh;q=0.9,en;q=0.5"}
EN_BROWSER = {"Accept-Language": "en-GB,en;q=0.9"}


def _page(client, path: str = "/home", headers: dict | None = None) -> str:
    return client.get(path, headers=headers or ZH_BROWSER, follow_redirects=True).get_data(as_text=True)


def _preference(db, user: User) -> str | None:
    db.session.expire_all()
    return db.session.get(User, user.id).preferred_language


@pytest.fixture
def undecided(db, people):
    """HR and officer as new users are: no language chosen yet."""
    for key in ("hr_a", "officer"):
        people[key].preferred_language = None
    db.session.commit()
    return people


@pytest.mark.parametrize("who", ["hr_a", "officer"])
def test_a_chinese_browser_keeps_chinese_pages_after_signing_in(client, db, undecided, who):
    assert CHINESE_PAGE in _page(client, "/login")
    response = client.post(
        "/login", data={"email": undecided[who].email, "password": "correct-horse-battery"}, headers=ZH_BROWSER
    )
    assert response.status_code == 302
    page = _page(client)
    assert CHINESE_PAGE in page and "登出" in page
    assert _preference(db, undecided[who]) is None  # following the browser is not a choice
    assert ENGLISH_PAGE in _page(client, headers=EN_BROWSER)  # and it keeps following it


def test_english_chosen_in_the_account_page_wins_over_a_chinese_browser(client, auth, db, undecided):
    auth.as_user(undecided["hr_a"])
    assert CHINESE_PAGE in _page(client, "/account")
    response = client.post(
        "/account",
        data={"prefs-name": "Ada", "prefs-preferred_language": "en", "prefs-notification_mode": "immediate"},
        headers=ZH_BROWSER,
    )
    assert response.status_code == 302
    assert _preference(db, undecided["hr_a"]) == "en"
    assert ENGLISH_PAGE in _page(client)
    client.post("/logout", headers=ZH_BROWSER)
    auth.login("hr@alpha.test")
    assert ENGLISH_PAGE in _page(client)


def test_the_account_page_offers_the_browser_s_language_and_can_go_back_to_it(client, auth, db, people):
    auth.as_user(people["hr_a"])  # chose English
    page = _page(client, "/account", EN_BROWSER)
    assert "Same as my browser" in page
    client.post(
        "/account", data={"prefs-name": "", "prefs-preferred_language": "", "prefs-notification_mode": "immediate"}
    )
    assert _preference(db, people["hr_a"]) is None
    assert CHINESE_PAGE in _page(client)
    assert '<option selected value="">Same as my browser</option>' in _page(client, "/account", EN_BROWSER)


def test_the_header_switch_while_signed_in_saves_the_preference(client, auth, db, undecided):
    auth.as_user(undecided["hr_a"])
    page = _page(client, headers=EN_BROWSER)
    assert '<form method="post" action="/lang/zh_Hant_HK?next=' in page  # a form, so CSRF-checked
    response = client.post("/lang/zh-HK?next=/home", headers=EN_BROWSER)
    assert response.status_code == 302
    assert _preference(db, undecided["hr_a"]) == "zh_Hant_HK"
    client.post("/lang/en", headers=ZH_BROWSER)
    assert _preference(db, undecided["hr_a"]) == "en"
    assert ENGLISH_PAGE in _page(client)


def test_a_get_switches_the_page_but_stores_nothing(client, auth, db, undecided):
    """A link or an image on another site cannot change the language someone's mail is written in (QA)."""
    auth.as_user(undecided["hr_a"])
    assert client.get("/lang/zh-HK?next=/home", headers=EN_BROWSER).status_code == 302
    assert _preference(db, undecided["hr_a"]) is None
    assert CHINESE_PAGE in _page(client, headers=EN_BROWSER)  # this browser's session shows Chinese


def test_the_header_form_needs_the_csrf_token(app, client, auth, db, undecided):
    app.config["WTF_CSRF_ENABLED"] = True
    auth.as_user(undecided["hr_a"])
    assert client.post("/lang/zh-HK", headers=EN_BROWSER).status_code == 400
    assert _preference(db, undecided["hr_a"]) is None


def test_the_header_switch_signed_out_changes_only_the_browser_s_session(client, db, people):
    client.get("/lang/zh-HK", headers=EN_BROWSER)
    assert CHINESE_PAGE in _page(client, "/login", EN_BROWSER)
    assert _preference(db, people["hr_a"]) == "en"


def test_a_choice_on_the_sign_in_page_is_saved_for_a_user_who_had_none(client, auth, db, undecided):
    client.get("/lang/zh-HK", headers=EN_BROWSER)
    auth.login("hr@alpha.test")
    assert _preference(db, undecided["hr_a"]) == "zh_Hant_HK"
    assert CHINESE_PAGE in _page(client, headers=EN_BROWSER)


def test_a_choice_on_the_sign_in_page_does_not_overwrite_a_saved_preference(client, auth, db, people):
    client.get("/lang/zh-HK", headers=EN_BROWSER)
    auth.login("hr@alpha.test")  # chose English before
    assert _preference(db, people["hr_a"]) == "en"


def test_new_users_have_not_chosen_a_language(db, people):
    user = services.create_user("new@park.test", role="officer", password="a-long-enough-password")
    assert user.preferred_language is None


def test_the_api_says_when_no_language_was_chosen(client, db, undecided):
    _, token = services.issue_token(undecided["hr_a"])
    db.session.commit()
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200 and response.json["preferred_language"] is None
