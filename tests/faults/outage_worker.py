"""`python -m tests.faults.outage_worker`: worker.py with short intervals, for the tests that cut Redis off under it.

The outbox dispatcher runs every second and the worker looks after itself every second (production: 30 s and 15 s),
so that an outage's effect is seen within a test's seconds.
"""

from __future__ import annotations

from talentcase import create_app
from talentcase.jobs import worker


def main() -> None:
    app = create_app(PERIODIC_INTERVALS={"dispatch_outbox": 1})
    worker.WORKER_OPTIONS.update(maintenance_interval=1, worker_ttl=16, job_monitoring_interval=1)
    worker.RESTART_SECONDS["cron"] = (1, 5)
    with app.app_context():
        worker.run(app)


if __name__ == "__main__":
    main()
