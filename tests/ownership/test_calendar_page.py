"""The calendar feed page (finding 22): a copy button, a webcal subscribe link, and "Make a new address" as a
secondary action that asks first; the feed's events name the case's owner."""

from __future__ import annotations

import re
from datetime import date

from icalendar import Calendar

from tests.officers.conftest import case_at


def _feed_url(html: str) -> str:
    return re.search(r'id="feed-url" type="text" readonly value="([^"]+)"', html).group(1)


def test_a_new_feed_has_a_copy_button_and_a_subscribe_link(client, auth, people):
    auth.as_user(people["officer"])
    html = client.post("/officers/calendar").get_data(as_text=True)
    url = _feed_url(html)
    assert 'data-copy="feed-url"' in html and "js/copy.js" in html and "<script>" not in html
    assert f'href="{url.replace("http://", "webcal://")}"' in html
    script = client.get("/static/js/copy.js")
    script.close()
    assert script.status_code == 200


def test_making_a_new_address_asks_first_and_keeps_the_old_one_until_confirmed(client, auth, people):
    auth.as_user(people["officer"])
    old = _feed_url(client.post("/officers/calendar").get_data(as_text=True)).replace("http://localhost", "")
    page = client.get("/officers/calendar").get_data(as_text=True)
    assert "button-secondary" in page.split("Make a new address")[0].rsplit("<button", 1)[1]
    question = client.post("/officers/calendar")
    assert question.status_code == 200 and "stops working" in question.get_data(as_text=True)
    assert 'name="confirm"' in question.get_data(as_text=True)
    assert client.get(old).status_code == 200  # not yet replaced
    new = _feed_url(client.post("/officers/calendar", data={"confirm": "yes"}).get_data(as_text=True))
    assert client.get(old).status_code == 404 and new


def test_the_feed_names_each_cases_owner(db, client, auth, people):
    case_at(db, people, people["company_a"], "review", start=date(2026, 3, 16))
    auth.as_user(people["officer"])
    path = _feed_url(client.post("/officers/calendar").get_data(as_text=True)).replace("http://localhost", "")
    calendar = Calendar.from_ical(client.get(path).data)
    descriptions = [str(event["DESCRIPTION"]) for event in calendar.walk("VEVENT")]
    assert descriptions and all(f"Owner: {people['officer'].display_name}" in text for text in descriptions)
