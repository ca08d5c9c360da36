"""RQ worker entry point: `python worker.py [--burst]` does what `flask --app talentcase worker [--burst]` does: RQ's
worker on the packs, alerts and mail queues, with RQ's cron scheduler for the periodic jobs."""

from __future__ import annotations

import sys

from talentcase import create_app
from talentcase.jobs.worker import run


def main(argv: list[str]) -> int:
    app = create_app()
    with app.app_context():
        run(app, burst="--burst" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
