"""Sign-in limits behind a load balancer (F2) and a per-account delay nobody can keep up for ever (F15)."""

from __future__ import annotations

from datetime import timedelta

import time_machine
from sqlalchemy import select

from talentcase.accounts import services
from talentcase.audit.models import AuditEntry
from talentcase.common import clock
from talentcase.extensions import db as _db
from tests import factories
from tests.conftest import make_app


def _failed_ips(db) -> list[str]:
    query = select(AuditEntry).where(AuditEntry.action == "login_failed").order_by(AuditEntry.id)
    return [entry.ip for entry in db.session.scalars(query)]


def _behind_proxies(tmp_path, count: int):
    return make_app(
        STORAGE_DIR=str(tmp_path),
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path}/t.db",
        PROXY_COUNT=count,
        LOGIN_ADDRESS_RATE_LIMIT="3 per minute",
    )


def _spray(client, addresses: list[str]) -> list[int]:
    return [
        client.post(
            "/login",
            data={"email": f"spray{i}@x.test", "password": "wrong-password"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for i, address in enumerate(addresses)
    ]


def test_behind_a_configured_proxy_each_client_has_its_own_limit_and_address(tmp_path):
    app = _behind_proxies(tmp_path, 1)
    with app.app_context():
        _db.create_all()
        addresses = [f"203.0.113.{i}" for i in range(5)]
        assert _spray(app.test_client(), addresses) == [200] * 5  # one client's spraying no longer blocks all
        assert _failed_ips(_db) == addresses  # the audit log has the real client address
        assert _spray(app.test_client(), ["198.51.100.7"] * 4)[-1] == 429  # one client is still limited
        _db.drop_all()


def test_without_a_configured_proxy_the_forwarded_address_is_not_believed(tmp_path):
    app = _behind_proxies(tmp_path, 0)
    with app.app_context():
        _db.create_all()
        assert _spray(app.test_client(), ["203.0.113.1", "203.0.113.2"]) == [200, 200]
        assert _failed_ips(_db) == ["127.0.0.1", "127.0.0.1"]  # a client cannot pick its own address
        _db.drop_all()


def test_the_wait_grows_with_the_failures_and_stays_short():
    waits = [services.failure_wait(count) for count in range(1, 12)]
    assert waits[: services.MAX_FAILED_LOGINS - 1] == [timedelta(0)] * (services.MAX_FAILED_LOGINS - 1)
    assert waits == sorted(waits)
    assert max(waits) <= timedelta(minutes=1)


def test_someone_guessing_cannot_keep_an_account_locked(people, db):
    with time_machine.travel(clock.now(), tick=False) as traveller:
        for _ in range(30):  # an attacker tries again as soon as each wait is over, many times
            services.authenticate("hr@alpha.test", "wrong-password")
            traveller.shift(services.failure_wait(people["hr_a"].failed_login_count))
        services.authenticate("hr@alpha.test", "wrong-password")
        assert services.authenticate("hr@alpha.test", factories.PASSWORD).reason == "locked"
        traveller.shift(timedelta(seconds=61))  # the owner, a minute after the last guess at most, gets in
        assert services.authenticate("hr@alpha.test", factories.PASSWORD).ok
