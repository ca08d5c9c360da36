"""The officer console opens on "Your queue"; every count on it links to a list of exactly that many cases; drafts
stay out of officers' lists unless asked for; one "All cases" for officers."""

from __future__ import annotations

import re
from datetime import date

import pytest

from talentcase.cases import ownership
from tests import factories
from tests.cases.helpers import act
from tests.officers.conftest import case_at

COUNT_LINK = re.compile(r'<a class="count" href="([^"]+)"[^>]*>(\d+)</a>')
TOTAL = re.compile(r'<p role="status">(\d+) cases?</p>')


@pytest.fixture
def world(db, people):
    """Cases of two officers in several states, one paused, one draft, and the colleague covering this week."""
    a, b = people["company_a"], people["company_b"]
    cases = {
        "draft": case_at(db, people, a, "draft", full_name="Ada Draft"),
        "mine_review": case_at(db, people, a, "review", full_name="Ben Mine", start=date(2026, 3, 16)),
        "mine_old_review": case_at(db, people, b, "review", full_name="Cy Older", start=date(2026, 3, 10)),
        "mine_quota": case_at(db, people, a, "quota", full_name="Di Quota", start=date(2026, 2, 20)),
        "theirs_review": case_at(db, people, b, "review", full_name="Eve Theirs", start=date(2026, 3, 17)),
        "paused": case_at(db, people, a, "review", full_name="Fay Paused", start=date(2026, 3, 12)),
    }
    act(cases["paused"], "request_info", date(2026, 3, 18), people, party="company", note="Send the BR.")
    # The colleague joins after the submissions (so the only officer then took them all), and is given one.
    colleague = factories.UserFactory(role="officer", name="Colleague Officer", email="colleague@park.test")
    ownership.reassign(cases["theirs_review"], colleague)
    db.session.commit()
    return {"cases": cases, "colleague": colleague}


def _total(client, url: str) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    found = TOTAL.search(response.get_data(as_text=True))
    assert found, f"no total on {url}"
    return int(found.group(1))


def test_the_console_opens_on_your_queue_by_time_left(client, auth, people, world):
    auth.as_user(people["officer"])
    html = client.get("/officers/").get_data(as_text=True)
    queue = html.split('id="queue-h"')[1].split("</section>")[0]
    assert html.index('id="queue-h"') < html.index('id="counts-h"')
    # Waiting on the officer: the two in review, least time left first; not the paused one, not the colleague's.
    assert re.findall(r"TC-\d{4}-\d{6}", queue.split("</table>")[0]) == [
        world["cases"]["mine_old_review"].reference,
        world["cases"]["mine_review"].reference,
    ]


def test_every_count_on_the_console_links_to_a_list_of_that_many_cases(client, auth, people, world):
    auth.as_user(people["officer"])
    html = client.get("/officers/").get_data(as_text=True)
    links = COUNT_LINK.findall(html)
    assert len(links) > 20 and any(int(number) > 0 for _, number in links)
    for url, number in links:
        assert _total(client, url.replace("&amp;", "&")) == int(number), url


def test_drafts_are_hidden_from_the_officers_list_unless_asked_for(client, auth, people, world):
    auth.as_user(people["officer"])
    draft = world["cases"]["draft"].reference
    assert draft not in client.get("/officers/cases").get_data(as_text=True)
    assert _total(client, "/officers/cases") == 5
    assert draft in client.get("/officers/cases?drafts=1").get_data(as_text=True)
    assert draft in client.get("/officers/cases?status=draft").get_data(as_text=True)


def test_the_owner_filter_and_column(client, auth, people, world):
    auth.as_user(people["officer"])
    assert _total(client, "/officers/cases?owner=me") == 4
    assert _total(client, f"/officers/cases?owner={world['colleague'].id}") == 1
    assert _total(client, "/officers/cases?owner=none") == 0
    html = client.get("/officers/cases").get_data(as_text=True)
    assert "Colleague Officer" in html.split("<tbody>")[1]


def test_a_covered_officers_cases_sit_in_the_colleagues_queue_during_the_cover_only(db, client, auth, people, world):
    ownership.record_cover(
        people["officer"], world["colleague"], date(2026, 3, 19), date(2026, 3, 23), recorded_by=None
    )
    db.session.commit()
    auth.as_user(world["colleague"])
    assert _total(client, "/officers/cases?owner=me") == 5
    queue = client.get("/officers/").get_data(as_text=True).split('id="queue-h"')[1].split("</table>")[0]
    assert world["cases"]["mine_review"].reference in queue
    assert "covering for" in client.get("/officers/cases?owner=me").get_data(as_text=True)
    auth.as_user(people["officer"])
    assert _total(client, "/officers/cases?owner=me") == 0


def test_one_all_cases_for_officers(client, auth, people, world):
    auth.as_user(people["officer"])
    html = client.get("/officers/").get_data(as_text=True)
    nav = html.split('class="main-nav"')[1].split("</nav>")[0]
    assert 'href="/officers/cases"' in nav and 'href="/cases/"' not in nav
    response = client.get("/cases/?status=review")
    assert response.status_code == 302 and response.location.endswith("/officers/cases?status=review")
    auth.as_user(people["hr_a"])
    assert client.get("/cases/").status_code == 200


def test_charts_with_nothing_to_show_say_so_in_words(client, auth, people):
    auth.as_user(people["officer"])
    html = client.get("/officers/").get_data(as_text=True)
    trends = html.split('id="trends-h"')[1]
    assert "No visa was issued in the last 26 weeks." in trends
    assert "No visa was issued within the four-week target in the last 12 months." in trends
    assert "There are no cases yet." in trends
    assert "<svg" not in trends
