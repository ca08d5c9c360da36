"""Admin pages: the append-only audit log with its filters, and the mail outbox (a failed mail can be sent again)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from talentcase.audit.models import AuditEntry
from talentcase.notifications.models import OutboundMail


def _entry(db, action: str, actor: str, at: datetime, **detail) -> AuditEntry:
    entry = AuditEntry(action=action, actor_label=actor, at=at, detail=detail)
    db.session.add(entry)
    return entry


def _listed(html: str) -> list[str]:
    return re.findall(r"<code>([a-z_0-9]+)</code>", html.split("<tbody>")[1])


def test_audit_log_filters_by_action_actor_and_hong_kong_date(client, auth, db, people):
    _entry(db, "login", "hr@alpha.test", datetime(2026, 3, 1, 1, 0, tzinfo=UTC))
    _entry(db, "case_action", "officer@park.test", datetime(2026, 3, 2, 15, 30, tzinfo=UTC), case_action="accept")
    _entry(db, "case_action", "hr@alpha.test", datetime(2026, 3, 3, 2, 0, tzinfo=UTC))
    db.session.commit()
    auth.as_user(people["admin"])
    assert _listed(client.get("/admin/audit").get_data(as_text=True)) == ["case_action", "case_action", "login"]
    assert _listed(client.get("/admin/audit?action=login").get_data(as_text=True)) == ["login"]
    page = client.get("/admin/audit?actor=OFFICER@").get_data(as_text=True)
    assert _listed(page) == ["case_action"] and "accept" in page
    # 15:30 UTC on 2 March is 23:30 in Hong Kong: still 2 March there.
    assert len(_listed(client.get("/admin/audit?from=2026-03-02&to=2026-03-02").get_data(as_text=True))) == 1
    assert len(_listed(client.get("/admin/audit?from=2026-03-03").get_data(as_text=True))) == 1
    assert len(_listed(client.get("/admin/audit?from=not-a-date").get_data(as_text=True))) == 3


def test_audit_log_pages_newest_first(client, auth, db, people):
    start = datetime(2026, 1, 1, tzinfo=UTC)
    for index in range(120):
        _entry(db, f"probe_{index:03d}", "x@y.test", start + timedelta(minutes=index))
    db.session.commit()
    auth.as_user(people["admin"])
    first = client.get("/admin/audit").get_data(as_text=True)
    assert _listed(first)[0] == "probe_119" and len(_listed(first)) == 50 and "Page 1 of 3" in first
    last = client.get("/admin/audit?page=3").get_data(as_text=True)
    assert _listed(last)[-1] == "probe_000" and len(_listed(last)) == 20


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_audit_log_has_no_way_to_change_an_entry(client, auth, db, people, app, method):
    auth.as_user(people["admin"])
    assert getattr(client, method)("/admin/audit").status_code == 405
    audit_rules = [rule for rule in app.url_map.iter_rules() if "audit" in rule.rule]
    assert audit_rules and all(rule.methods - {"HEAD", "OPTIONS"} == {"GET"} for rule in audit_rules)
    assert {rule.rule for rule in audit_rules} >= {"/admin/audit", "/team/audit"}  # the park's and a company's


def test_outbox_lists_mail_newest_first_and_hides_private_links(client, auth, db, people):
    base = datetime(2026, 3, 1, tzinfo=UTC)
    for index in range(3):
        db.session.add(
            OutboundMail(
                to_address=f"person{index}@example.test",
                subject=f"Subject {index}",
                body_text=f"Open https://talentcase.test/portal/SeCrEtToKeN{index}abcdef to see your case.",
                status="pending" if index else "sent",
                created_at=base + timedelta(hours=index),
            )
        )
    db.session.commit()
    auth.as_user(people["admin"])
    page = client.get("/admin/outbox").get_data(as_text=True)
    assert re.findall(r"Subject \d", page.split("<tbody>")[1])[::2] == ["Subject 2", "Subject 1", "Subject 0"]
    assert "SeCrEtToKeN" not in page and "/portal/…" in page
    sent = client.get("/admin/outbox?status=sent").get_data(as_text=True)
    assert "Subject 0" in sent and "Subject 1" not in sent
    assert client.post("/admin/outbox").status_code == 405
