"""Ownership fixtures: a frozen Hong Kong day (the cover periods and queues are judged on it)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

TODAY = date(2026, 3, 20)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield
