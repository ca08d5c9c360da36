"""Alert thresholds as dates, and their order of severity as the one integer the sweep sorts on in SQL."""

from __future__ import annotations

import pytest

from talentcase.sla import thresholds


@pytest.mark.parametrize("percentages", [(1, 50, 75, 99), (60, 80)])
@pytest.mark.parametrize("days_before_due", [(1, 2, 60), (3,), ()])
def test_rank_orders_thresholds_exactly_as_severity_does(percentages, days_before_due):
    codes = [thresholds.percent_code(p) for p in percentages]
    codes += [thresholds.days_before_code(d) for d in days_before_due] + [thresholds.BREACH]
    assert sorted(codes, key=thresholds.rank) == sorted(codes, key=thresholds.severity)
    assert len({thresholds.rank(code) for code in codes}) == len(codes)
