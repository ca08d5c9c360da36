"""Cases and the SLA sweep tell the rest of the app through signals; notifications hear them from app start."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from talentcase.common.signals import case_event_recorded, sla_alerts_raised
from talentcase.notifications.models import Notification
from talentcase.sla.sweep import sweep
from talentcase.sla.tasks import announce_alerts
from tests.cases.helpers import act
from tests.notifications.conftest import START, move_to, submitted_case


def test_an_action_on_a_case_is_sent_with_its_event_and_notifications_hear_it(db, people, traveller):
    heard = []

    def listener(case, event) -> None:
        heard.append((case.id, event.action, event.actor_role))

    case = submitted_case(db, people, submit_on=START)
    move_to(traveller, START + timedelta(days=2))
    with case_event_recorded.connected_to(listener):
        act(case, "request_info", START + timedelta(days=2), people, party="company", note="The contract, please.")
    db.session.commit()

    assert heard == [(case.id, "request_info", "officer")]
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == people["hr_a"].id)).all()
    assert "info_request" in kinds  # the receiver connected by create_app routed it


def test_the_announcing_sends_the_alerts_it_claimed_once(db, people, traveller):
    case = submitted_case(db, people, submit_on=START)
    due = next(row for row in case.clocks if row.name == "overall").due_on
    move_to(traveller, due + timedelta(days=1))
    ids = sweep().announce_ids
    heard = []

    def listener(sender, alerts) -> None:
        heard.append([(alert.id, each_case.id) for alert, each_case, _ in alerts])

    with sla_alerts_raised.connected_to(listener):
        assert announce_alerts(ids) == len(ids)
        assert announce_alerts(ids) == 0  # claimed already: nothing sent twice
    assert heard == [[(alert_id, case.id) for alert_id in ids]]
