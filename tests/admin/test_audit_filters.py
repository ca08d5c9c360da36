"""Audit log filters: "Who" matches the text typed (% and _ are not wildcards); a date that cannot be used says so."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from talentcase.audit.models import AuditEntry


@pytest.fixture
def entries(db, people):
    at = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)
    for action, actor in (
        ("login", "hr@alpha.test"),
        ("logout", "first_last@beta.test"),
        ("case_action", "100%@x.test"),
    ):
        db.session.add(AuditEntry(action=action, actor_label=actor, at=at))
    db.session.commit()


def _listed(html: str) -> list[str]:
    return re.findall(r"<code>([a-z_0-9]+)</code>", html.split("<tbody>")[1])


@pytest.mark.parametrize(
    ("actor", "expected"),
    [
        ("%", ["case_action"]),
        ("_", ["logout"]),
        ("first_", ["logout"]),
        ("hr_alpha", []),  # "_" would match any one character, here "@"
        ("h%a", []),  # "%" would match "r@alph"
        ("100%", ["case_action"]),
        ("ALPHA", ["login"]),
    ],
)
def test_who_matches_the_text_typed_with_no_wildcards(client, auth, people, entries, actor, expected):
    auth.as_user(people["admin"])
    page = client.get("/admin/audit", query_string={"actor": actor}).get_data(as_text=True)
    assert _listed(page) == expected


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "not-a-date"}, "from", "Use a real date in the form YYYY-MM-DD."),
        ({"to": "2026-02-30"}, "to", "Use a real date in the form YYYY-MM-DD."),
        ({"to": "9999-12-31"}, "to", "Use a date between 1900 and 2100."),
        ({"from": "0001-01-01"}, "from", "Use a date between 1900 and 2100."),
    ],
)
def test_a_date_that_cannot_be_used_is_reported_not_ignored(client, auth, people, entries, query, field, message):
    auth.as_user(people["admin"])
    response = client.get("/admin/audit", query_string=query)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<a href="#{field}">{message}</a>' in page
    assert f'id="{field}-error"' in page and 'aria-invalid="true"' in page
    assert f'value="{query[field]}"' in page  # left as typed, to be corrected
    assert len(_listed(page)) == 3  # that date does not filter


def test_good_dates_show_no_error(client, auth, people, entries):
    auth.as_user(people["admin"])
    page = client.get("/admin/audit", query_string={"from": "2026-03-02", "to": "2026-03-02"}).get_data(as_text=True)
    assert "There is a problem" not in page and len(_listed(page)) == 3
