"""The calendar feed: valid iCalendar with the due dates of running clocks only, behind a secret, hashed address."""

from __future__ import annotations

import re
from datetime import date

from icalendar import Calendar
from sqlalchemy import select

from talentcase.officers.models import CalendarFeed
from talentcase.sla.models import CaseClock
from tests.officers.conftest import act, case_at


def _new_feed_path(client) -> str:
    response = client.post("/officers/calendar", data={"confirm": "yes"})  # a new address, replacing any, is asked
    assert response.status_code == 200
    url = re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', response.get_data(as_text=True)).group(1)
    return url.replace("http://localhost", "")


def _events(client, path: str) -> dict[str, date]:
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    assert calendar["VERSION"] == "2.0"
    return {str(event["UID"]): event.decoded("DTSTART") for event in calendar.walk("VEVENT")}


def test_feed_holds_running_due_dates_only(client, auth, db, people):
    a = people["company_a"]
    accepted = case_at(db, people, a, "quota_prep", start=date(2026, 3, 10))  # accepted by this officer
    in_review = case_at(db, people, a, "review", start=date(2026, 3, 16))  # nobody has acted, but the officer owns it
    paused = case_at(db, people, a, "quota_prep", start=date(2026, 3, 11))
    act(paused, "request_info", date(2026, 3, 18), people, party="company", note="Send the BR.")
    issued = case_at(db, people, a, "approved", start=date(2026, 2, 20))
    db.session.commit()
    auth.as_user(people["officer"])
    events = _events(client, _new_feed_path(client))

    clocks = {(row.case_id, row.name): row for row in db.session.scalars(select(CaseClock))}
    expected = {
        f"case-{accepted.id}-overall-1@talentcase": clocks[(accepted.id, "overall")].due_on,
        f"case-{in_review.id}-review-1@talentcase": clocks[(in_review.id, "review")].due_on,
        f"case-{in_review.id}-overall-1@talentcase": clocks[(in_review.id, "overall")].due_on,  # owned
    }
    assert events == expected
    assert not clocks[(accepted.id, "review")].is_running  # stopped at accept: its due date is not in the feed
    assert clocks[(paused.id, "overall")].is_paused  # paused: left out until the answer
    assert not any(str(issued.id) in uid.split("-")[1] for uid in events)


def test_feed_address_is_secret_hashed_and_replaceable(client, auth, db, people):
    auth.as_user(people["officer"])
    first = _new_feed_path(client)
    token = first.rsplit("/", 1)[1].removesuffix(".ics")
    feed = db.session.scalar(select(CalendarFeed))
    assert token not in (feed.token_hash, feed.prefix) and len(feed.token_hash) == 64
    assert client.get(first).status_code == 200
    page = client.get("/officers/calendar").get_data(as_text=True)
    assert token not in page and "A calendar last read it" in page

    second = _new_feed_path(client)
    assert client.get(first).status_code == 404  # the old address stops working
    assert client.get(second).status_code == 200
    assert client.get(second[:-8] + "xxxx.ics").status_code == 404
    assert client.get("/officers/calendar/not-a-token.ics").status_code == 404

    assert client.post("/officers/calendar/revoke").status_code == 302
    assert client.get(second).status_code == 404


def test_feed_of_a_deactivated_officer_is_gone(client, auth, db, people):
    auth.as_user(people["officer"])
    path = _new_feed_path(client)
    people["officer"].is_enabled = False
    db.session.commit()
    assert client.get(path).status_code == 404


def test_feed_events_carry_the_expected_visa_issue(client, auth, db, people):
    case = case_at(db, people, people["company_a"], "review", start=date(2026, 3, 16))
    db.session.commit()
    auth.as_user(people["officer"])
    response = client.get(_new_feed_path(client))
    descriptions = [str(event["DESCRIPTION"]) for event in Calendar.from_ical(response.data).walk("VEVENT")]
    expected = case.forecast_row.visa_median_on.isoformat()
    assert descriptions and all(f"Visa expected {expected}" in text for text in descriptions)
