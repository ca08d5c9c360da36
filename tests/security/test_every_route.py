"""Every route and API endpoint, for every kind of caller: nobody gets a server error, anonymous callers reach
only public pages, and nobody outside company A reaches company A's objects (404/403, never a page).

The per-domain route tables give the exact status of each route; this sweep makes sure a new route cannot be
added without meeting these invariants (it reads the app's URL map, so it grows by itself)."""

from __future__ import annotations

import re
from datetime import date

import pytest

from talentcase.accounts.services import issue_token
from talentcase.cases import ownership, services
from talentcase.documents import services as documents
from talentcase.jobs import services as jobs
from talentcase.notifications.models import Notification
from talentcase.notifications.services import queue_mail
from talentcase.packs import services as packs
from talentcase.portal import services as portal
from talentcase.sla import services as sla
from tests import factories
from tests.packs.helpers import VALUES, png_bytes

CALLERS = ("anonymous", "hr_a", "hr_b", "officer", "admin", "expert_b")
PUBLIC = {
    "main.index",
    "main.healthz",
    "main.readyz",
    "accounts.login",
    "accounts.forgot_password",
    "accounts.set_language",
    "api.openapi",
    "static",
    "officers.calendar_ics",
    "portal.home",
    "portal.fresh.start",  # the expert asks for a fresh link by email
    "portal.upload",
    "portal.provided",
    "portal.contact",
    "portal.message",
    "portal.answer",
}
# Objects of company A that outsiders must never reach.
COMPANY_A_ARGS = {"case_id", "document_id", "dependant_id", "pack_id", "job_id"}


@pytest.fixture
def world(app, db, people):
    case_a = services.open_case(people["company_a"], VALUES, creator=people["hr_a"])
    services.take_action(case_a, "submit", role="hr", actor=people["hr_a"])
    document = documents.upload(case_a, "photo", png_bytes(), "photo.png", uploader=people["hr_a"])
    dependant = documents.add_dependant(case_a, "spouse", "Sam Chan", date(1990, 1, 1))
    pack = packs.request_pack(case_a, draft=True).pack
    case_b = services.open_case(people["company_b"], VALUES, creator=people["hr_b"])
    _, token_a = portal.invite(case_a)
    _, token_b = portal.invite(case_b)
    _, api_token = issue_token(people["hr_a"], "x")
    closure, _ = sla.add_closure_day(date(2026, 1, 5), "typhoon8")
    colleague = factories.UserFactory(role="officer")
    cover = ownership.record_cover(people["officer"], colleague, date(2026, 1, 5), date(2026, 1, 9), recorded_by=None)
    db.session.flush()
    notice = Notification(user_id=people["hr_a"].id, kind="x", title="t")
    db.session.add(notice)
    mail = queue_mail("hr@alpha.test", "Subject", "Body", case_id=case_a.id)
    db.session.commit()
    jobs_row = jobs.want("probe-job", "x.y", "packs", [])
    db.session.commit()
    return {
        "case_id": case_a.id,
        "company_id": people["company_a"].id,
        "document_id": document.id,
        "dependant_id": dependant.id,
        "pack_id": pack.id,
        "job_id": pack.job_id,
        "token": token_a,
        "token_b": token_b,
        "slug": "photo",
        "user_id": people["hr_b"].id,
        "closure_id": closure.id,
        "period_id": cover.id,
        "notice_id": notice.id,
        "mail_id": mail.id,
        "token_id": 1,
        "passkey_id": 999999,
        "session_id": 999999,
        "code": "en",
        "filename": "css/app.css",
        "unused": jobs_row.id,
    }


def first_choice(rule: str) -> str:
    """The rule with each <any(a, b):name> part filled by its first choice (a)."""
    return re.sub(r"<any\(([^,)]+)[^>]*>", lambda m: m.group(1).strip(), rule)


def _url(rule, world) -> str | None:
    values = {}
    path = first_choice(rule.rule)
    for name in rule.arguments:
        if f"<{name}>" not in path and f":{name}>" not in path:
            continue  # filled by its converter's first choice
        if name not in world:
            pytest.fail(f"the route sweep does not know how to fill <{name}> of {rule.rule}: add it to `world`")
        values[name] = world[name]
    for name, value in values.items():
        path = path.replace(f"<int:{name}>", str(value)).replace(f"<path:{name}>", str(value))
        path = path.replace(f"<{name}>", str(value))
    return path


def test_every_route_for_every_caller(app, client, auth, people, world):
    problems: list[str] = []
    rules = [rule for rule in app.url_map.iter_rules()]
    for caller in CALLERS:
        for rule in rules:
            path = _url(rule, world)
            if caller == "expert_b" and rule.endpoint.startswith("portal.") and "<token>" in rule.rule:
                path = path.replace(world["token"], world["token_b"])  # expert B's link on its own routes
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                with client.session_transaction() as session:
                    session.clear()
                if caller in people:
                    auth.as_user(people[caller])
                response = client.open(path, method=method, data={}, follow_redirects=False)
                status = response.status_code
                body = response.get_data().decode("utf-8", "replace")
                response.close()
                where = f"{caller} {method} {path} -> {status}"
                if status >= 500 and not (status == 503 and rule.endpoint == "main.healthz"):  # no Redis here
                    problems.append(f"server error: {where}")
                signed_out = caller in ("anonymous", "expert_b") and rule.endpoint not in PUBLIC
                to_login = status in (302, 303) and "/login" in response.headers.get("Location", "")
                if signed_out and (status < 300 or (status in (302, 303) and not to_login)):
                    problems.append(f"reachable without signing in: {where}")
                outsider = caller in ("hr_b", "expert_b", "anonymous")
                if outsider and COMPANY_A_ARGS & set(rule.arguments) and status < 300:
                    problems.append(f"company A's object reachable: {where}")
                in_portal = caller == "expert_b" and rule.endpoint.startswith("portal.") and status < 400
                if in_portal and "Sam Chan" in body:  # case A's dependant
                    problems.append(f"expert B sees case A: {where}")
    assert not problems, "\n".join(problems)


def test_api_endpoints_with_a_token_of_company_b(app, db, people, world):
    _, token_b = issue_token(people["hr_b"], "b")
    db.session.commit()
    client = app.test_client()
    headers = {"Authorization": f"Bearer {token_b}"}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or not (COMPANY_A_ARGS & set(rule.arguments)):
            continue
        path = _url(rule, world)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            response = client.open(path, method=method, headers=headers, json={})
            assert response.status_code == 404, f"{method} {path} -> {response.status_code} (must be 404)"
