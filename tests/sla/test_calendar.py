"""HKCalendar against the real Hong Kong calendars of the `holidays` package (no mocking)."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest

from talentcase.sla.calendar import HKCalendar

TYPHOON_DAY = date(2026, 9, 15)  # a Tuesday


@pytest.fixture(scope="module")
def cal() -> HKCalendar:
    return HKCalendar({TYPHOON_DAY: "Typhoon signal 8", date(2026, 9, 20): "Black rainstorm warning"})


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 1, 1), "The first day of January"),
        (date(2026, 2, 17), "Lunar New Year's Day"),
        (date(2026, 2, 18), "The second day of Lunar New Year"),
        (date(2026, 2, 19), "The third day of Lunar New Year"),
        (date(2026, 4, 3), "Good Friday"),
        (date(2026, 4, 4), "The day following Good Friday"),  # a Saturday, still a general holiday
        # Ching Ming fell on Easter Sunday in 2026, so the gazette shifts both to the Monday and Tuesday.
        (date(2026, 4, 6), "The day following Ching Ming Festival"),
        (date(2026, 4, 7), "The day following Easter Monday"),
        (date(2026, 12, 25), "Christmas Day"),
        (date(2026, 12, 26), "The first weekday after Christmas Day"),  # Saturday
        (date(2027, 2, 6), "Lunar New Year's Day"),  # Saturday; the second day is Sunday 7 Feb
        (date(2027, 2, 8), "The third day of Lunar New Year"),
        (date(2027, 2, 9), "The fourth day of Lunar New Year"),
        (date(2027, 3, 26), "Good Friday"),
        (date(2027, 3, 27), "The day following Good Friday"),
        (date(2027, 3, 29), "Easter Monday"),
        (date(2027, 12, 27), "The first weekday after Christmas Day"),
    ],
)
def test_general_holidays_are_the_gazetted_ones(cal: HKCalendar, day: date, reason: str) -> None:
    assert cal.general_holiday_reason(day) == reason
    assert cal.non_running_reason(day) == reason
    assert not cal.is_working_day(day)


@pytest.mark.parametrize("day", [date(2026, 4, 5), date(2027, 2, 7), date(2026, 3, 1), date(2027, 12, 26)])
def test_every_sunday_is_a_general_holiday(cal: HKCalendar, day: date) -> None:
    assert day.weekday() == 6
    assert cal.general_holiday_reason(day) == "Sunday"
    assert not cal.is_working_day(day)


def test_all_sundays_of_two_years_are_general_holidays(cal: HKCalendar) -> None:
    d = date(2026, 1, 4)
    while d.year < 2028:
        assert cal.general_holiday_reason(d) is not None
        d += timedelta(days=7)


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 24),  # Christmas Eve is not a general holiday
        date(2026, 4, 2),  # Maundy Thursday
        date(2027, 3, 30),  # Tuesday after Easter Monday 2027
        date(2026, 2, 20),  # the day after the Lunar New Year holidays 2026
    ],
)
def test_ordinary_weekdays_are_working_days(cal: HKCalendar, day: date) -> None:
    assert cal.general_holiday_reason(day) is None
    assert cal.non_running_reason(day) is None
    assert cal.is_working_day(day)


def test_statutory_only_days_are_not_general_holidays(cal: HKCalendar) -> None:
    # 5 Apr 2026 is the statutory (Employment Ordinance) Ching Ming holiday but it is simply a Sunday in the
    # general-holiday list; 26 Sep 2026 is a Saturday general holiday.
    assert cal.general_holiday_reason(date(2026, 4, 5)) == "Sunday"
    assert cal.general_holiday_reason(date(2026, 9, 26)) == "The day following the Chinese Mid-Autumn Festival"


def test_saturday_is_neither_working_nor_a_holiday(cal: HKCalendar) -> None:
    saturday = date(2026, 3, 7)
    assert not cal.is_working_day(saturday)
    assert cal.non_running_reason(saturday) is None


def test_closure_days(cal: HKCalendar) -> None:
    assert cal.closure_reason(TYPHOON_DAY) == "Typhoon signal 8"
    assert cal.non_running_reason(TYPHOON_DAY) == "Typhoon signal 8"
    assert cal.general_holiday_reason(TYPHOON_DAY) is None
    assert not cal.is_working_day(TYPHOON_DAY)
    # A closure on a Sunday: the day is a general holiday first.
    assert cal.closure_reason(date(2026, 9, 20)) == "Black rainstorm warning"
    assert cal.non_running_reason(date(2026, 9, 20)) == "Sunday"
    assert HKCalendar().closure_reason(TYPHOON_DAY) is None
    assert HKCalendar().is_working_day(TYPHOON_DAY)


def test_closures_are_copied_and_read_only() -> None:
    closures = {TYPHOON_DAY: "Typhoon signal 8"}
    cal = HKCalendar(closures)
    closures[date(2026, 9, 16)] = "Typhoon signal 10"
    assert cal.closure_reason(date(2026, 9, 16)) is None
    with pytest.raises(TypeError):
        cal.closures[date(2026, 9, 17)] = "x"  # type: ignore[index]


def test_traditional_chinese_names() -> None:
    assert HKCalendar(language="zh_HK").general_holiday_reason(date(2026, 4, 3)) == "耶穌受難節"


def test_many_lookups_are_cheap(cal: HKCalendar) -> None:
    start = time.perf_counter()
    d = date(2025, 1, 1)
    for _ in range(20_000):
        cal.is_working_day(d)
        cal.non_running_reason(d)
        d += timedelta(days=1) if d.year < 2030 else -timedelta(days=1800)
    assert time.perf_counter() - start < 1.0
