"""Link tokens (the expert's link, the calendar feed, password and invitation links) are masked in the request log
(probe F5): the log is read by more people, and kept longer, than the tokens' own hashed columns."""

from __future__ import annotations

import logging

import pytest

from talentcase.common.logging import KeyValueFormatter

SECRET = "s3cr3t-token-value-0123456789abcdefghijkl"


@pytest.mark.parametrize(
    ("path", "shown"),
    [
        (f"/portal/{SECRET}", "/portal/…"),
        (f"/portal/{SECRET}/documents/cv", "/portal/…/documents/cv"),
        (f"/officers/calendar/{SECRET}.ics", "/officers/calendar/….ics"),
        (f"/reset-password/{SECRET}", "/reset-password/…"),
        (f"/invitation/{SECRET}", "/invitation/…"),
    ],
)
def test_tokens_in_paths_are_masked_in_the_request_log(client, caplog, path, shown):
    caplog.set_level(logging.INFO, logger="talentcase.request")
    client.get(path)
    formatter = KeyValueFormatter()
    [line] = [formatter.format(record) for record in caplog.records if record.name == "talentcase.request"]
    assert SECRET not in line
    assert f"path={shown} " in line


def test_other_paths_are_logged_as_they_are(client, caplog):
    caplog.set_level(logging.INFO, logger="talentcase.request")
    client.get("/cases/12/documents")
    assert any("path=/cases/12/documents " in KeyValueFormatter().format(record) for record in caplog.records)


def test_the_calendar_page_s_own_routes_are_not_masked(client, caplog):
    caplog.set_level(logging.INFO, logger="talentcase.request")
    client.post("/officers/calendar/revoke")
    assert any("path=/officers/calendar/revoke " in KeyValueFormatter().format(record) for record in caplog.records)
