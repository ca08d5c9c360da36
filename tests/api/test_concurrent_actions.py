"""Two actions on one case at the same moment: one is recorded, the other is told to reload — in the service, the API
and the case page, never a second transition and never a server error.

Each test makes the race deterministic: just before this request writes, another request (its own app context and
session) records an action on the same case and commits.
"""

from __future__ import annotations

from datetime import date

import pytest
from flask import current_app

from talentcase.accounts.models import User
from talentcase.cases import services
from talentcase.cases.models import Case
from talentcase.extensions import db as _db
from tests.api import make_case

pytestmark = pytest.mark.usefixtures("frozen")


def _in_review(db, people) -> Case:
    case = make_case(people["company_a"], steps=[("submit", date(2026, 3, 10))])
    db.session.commit()
    return case


@pytest.fixture
def someone_else_first(monkeypatch):
    """Arm a race: the next action taken in this process first lets another request take `action` on the case."""

    def arm(case_id: int, action: str, role: str, email: str) -> None:
        real = services.check_occurred_on
        fired = []

        def other_request_writes_first(case, occurred_on):
            if not fired:
                fired.append(True)
                with current_app._get_current_object().app_context():  # a session of its own
                    other_case = _db.session.get(Case, case_id)
                    actor = _db.session.query(User).filter_by(email=email).one()
                    services.take_action(other_case, action, role=role, actor=actor, occurred_on=occurred_on)
                    _db.session.commit()
            return real(case, occurred_on)

        monkeypatch.setattr(services, "check_occurred_on", other_request_writes_first)

    return arm


def _actions(db, case_id: int) -> list[str]:
    db.session.rollback()
    return [event.action for event in db.session.get(Case, case_id).events]


def test_a_second_accept_at_the_same_moment_is_a_conflict_not_a_second_transition(db, people, someone_else_first):
    case = _in_review(db, people)
    db.session.expire_all()  # this request reads the case afresh, as a new request does, and sees it in review
    assert case.status == "review"
    someone_else_first(case.id, "accept", "officer", "officer@park.test")
    with pytest.raises(services.ActionConflict, match="at the same moment") as raised:
        services.take_action(case, "accept", role="officer", actor=people["officer"], occurred_on=date(2026, 3, 11))
    assert raised.value.status == 409
    assert _actions(db, case.id) == ["submit", "accept"]


def test_the_api_answers_409_when_someone_else_acted_first(db, people, api, someone_else_first):
    case = _in_review(db, people)
    assert api("officer", "get", f"/api/v1/cases/{case.id}").status_code == 200  # the token's first use is recorded
    someone_else_first(case.id, "accept", "officer", "officer@park.test")
    response = api("officer", "post", f"/api/v1/cases/{case.id}/events", json={"action": "accept"})
    assert response.status_code == 409, response.get_data(as_text=True)
    error = response.get_json()["error"]
    assert error["code"] == "conflict" and "Reload it and try again" in error["message"]
    assert _actions(db, case.id) == ["submit", "accept"]


def test_the_case_page_tells_the_officer_to_reload_when_someone_else_acted_first(
    client, auth, db, people, someone_else_first
):
    case = _in_review(db, people)
    someone_else_first(case.id, "accept", "officer", "officer@park.test")
    auth.as_user(people["officer"])
    response = client.post(f"/cases/{case.id}/actions", data={"action": "accept", "occurred_on": "2026-03-11"})
    # The page comes back with the message in its error summary, showing the case as it now is.
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Someone else changed this case at the same moment. Reload it and try again." in page
    assert _actions(db, case.id) == ["submit", "accept"]
