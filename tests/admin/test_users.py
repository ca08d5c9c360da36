"""Admin users page: each refusal under the field it is about, and no Deactivate button on the admin's own row."""

from __future__ import annotations

import pytest

from talentcase.accounts import services
from talentcase.accounts.models import User

GOOD = {
    "email": "new@park.test",
    "name": "New Person",
    "role": "officer",
    "company_id": 0,
}


def _field_errors(page: str, field_id: str) -> list[str]:
    """The inline error messages shown with one field."""
    group = page.split(f'for="{field_id}"')[1].split('<div class="form-group')[0]
    return [part.split("</p>")[0].strip() for part in group.split("</span>")[1:]]


@pytest.mark.parametrize(
    ("change", "field_id", "message"),
    [
        ({"role": "hr", "company_id": 0}, "company_id", "An HR user needs a company."),
        ({"role": "officer", "company_id": "A"}, "company_id", "Only HR users belong to a company."),
        ({"email": "HR@alpha.test"}, "email", "A user with email hr@alpha.test already exists."),
    ],
)
def test_each_refusal_is_shown_with_its_own_field(client, auth, people, db, change, field_id, message):
    data = {**GOOD, **change}
    if data["company_id"] == "A":
        data["company_id"] = people["company_a"].id
    auth.as_user(people["admin"])
    response = client.post("/admin/users", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert f'<a href="#{field_id}">{message}</a>' in page
    assert _field_errors(page, field_id) == [message]
    assert all(_field_errors(page, other) == [] for other in ("email", "company_id") if other != field_id)
    already_there = 1 if field_id == "email" else 0
    assert db.session.query(User).filter_by(email=data["email"].lower()).count() == already_there


def test_account_errors_name_the_field_they_are_about(db, people):
    cases = [
        (dict(email="not-an-email", role="officer"), "email"),
        (dict(email="x@y.test", role="boss"), "role"),
        (dict(email="x@y.test", role="hr"), "company"),
        (dict(email="x@y.test", role="officer", password="short"), "password"),
        (dict(email="hr@alpha.test", role="officer"), "email"),
    ]
    for kwargs, field in cases:
        with pytest.raises(services.AccountError) as refused:
            services.create_user(**kwargs)
        assert refused.value.field == field, kwargs
    with pytest.raises(services.AccountError) as refused:
        services.set_password(people["hr_a"], "short")
    assert refused.value.field == "password"
    with pytest.raises(services.AccountError) as refused:
        services.create_company("  ")
    assert refused.value.field == "name"


def _row(page: str, email: str) -> str:
    return next(row for row in page.split("<tr>") if f"<td>{email}</td>" in row)


def test_the_signed_in_admin_is_offered_no_deactivate_button_for_themselves(client, auth, people, db):
    admin = people["admin"]
    auth.as_user(admin)
    page = client.get("/admin/users").get_data(as_text=True)
    own = _row(page, "admin@park.test")
    assert f"/admin/users/{admin.id}/active" not in own and "Deactivate" not in own
    assert "Revoke tokens" in own and "Reset password" in own
    other = _row(page, "hr@alpha.test")
    assert f"/admin/users/{people['hr_a'].id}/active" in other and "Deactivate" in other
    # The server still refuses, whatever the page offers.
    response = client.post(f"/admin/users/{admin.id}/active", follow_redirects=True)
    assert "You cannot deactivate your own account." in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.is_enabled


def test_a_user_posted_without_a_name_field_is_added_with_an_empty_name(client, auth, people, db):
    # A post that leaves the optional field out (a script, an old form) is read like one that sent it empty.
    auth.as_user(people["admin"])
    data = {key: value for key, value in GOOD.items() if key != "name"}
    response = client.post("/admin/users", data=data)
    assert response.status_code == 302
    assert db.session.query(User).filter_by(email="new@park.test").one().name == ""


NAME_REFUSED = "The name has hidden characters that change how it is shown. Type it again instead of pasting it."


@pytest.mark.parametrize("name", ["\u202eevil Chan", "Ann\u200b Lee", "Ann\x1b Lee"])
def test_a_user_name_with_hidden_characters_is_refused_where_it_is_typed(client, auth, people, db, name):
    # As for company names: the name shows in the audit log, the case events and mail, and must show what is stored.
    auth.as_user(people["admin"])
    response = client.post("/admin/users", data={**GOOD, "name": name})
    assert response.status_code == 422
    assert f'<a href="#name">{NAME_REFUSED}</a>' in response.get_data(as_text=True)
    assert db.session.query(User).filter_by(email="new@park.test").count() == 0
    auth.as_user(people["hr_a"])
    response = client.post(
        "/account", data={"prefs-name": name, "prefs-preferred_language": "", "prefs-notification_mode": "immediate"}
    )
    assert response.status_code == 422
    assert NAME_REFUSED in response.get_data(as_text=True)
    db.session.refresh(people["hr_a"])
    assert people["hr_a"].name != name


def test_a_user_name_keeps_its_letters_and_loses_extra_spaces(client, auth, people, db):
    auth.as_user(people["hr_a"])
    response = client.post(
        "/account",
        data={
            "prefs-name": "  陳 大文   Chan ",
            "prefs-preferred_language": "",
            "prefs-notification_mode": "immediate",
        },
    )
    assert response.status_code == 302
    db.session.refresh(people["hr_a"])
    assert people["hr_a"].name == "陳 大文 Chan"


def test_set_enabled_signs_the_user_out_and_leaves_the_commit_to_the_request(db, people):
    user = people["hr_a"]
    version = user.session_version or 0
    services.set_enabled(user, False)
    assert user.is_enabled is False and user.session_version == version + 1
    db.session.rollback()  # flushed only: the request that called it decides
    assert db.session.get(User, user.id).is_enabled is True
