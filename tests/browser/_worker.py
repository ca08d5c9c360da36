"""The RQ worker of the browser tests' live server: `python -m tests.browser._worker`, config in the environment.

A subprocess rather than a thread: an RQ worker installs signal handlers, which only the main thread may do.
"""

from __future__ import annotations

import json
import os

from config import TestingConfig
from talentcase import create_app
from talentcase.jobs.worker import run


def main() -> None:
    app = create_app(TestingConfig, **json.loads(os.environ["TALENTCASE_BROWSER_CONFIG"]))
    with app.app_context():
        run(app, with_cron=False)


if __name__ == "__main__":
    main()
