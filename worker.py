"""RQ worker entry point: `python worker.py [--burst]` runs the packs, alerts and mail queues with the scheduler."""

from __future__ import annotations

import sys

from talentcase import create_app
from talentcase.common.jobs import run_worker


def main(argv: list[str]) -> int:
    app = create_app()
    run_worker(app, burst="--burst" in argv)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
