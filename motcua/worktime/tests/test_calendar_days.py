"""Which days are working days: Vietnamese holidays, the Government's swaps, configuration."""

from datetime import date, datetime, time

import pytest

from motcua.worktime import DEFAULT_OVERRIDES_FILE, WorkCalendar, load_overrides

CALENDAR = WorkCalendar(overrides=load_overrides(DEFAULT_OVERRIDES_FILE))
PACKAGE_ONLY = WorkCalendar()


def _days(first: date, last: date) -> list[date]:
    return [date.fromordinal(n) for n in range(first.toordinal(), last.toordinal() + 1)]


def _table(*, working: list[date], off: list[date]) -> list[tuple[date, bool]]:
    return [(day, True) for day in working] + [(day, False) for day in off]


# Tết Ất Tỵ 2025: the Government's 9-day break from Saturday 25/1 to Sunday 2/2/2025.
TET_2025 = _table(
    working=[date(2025, 1, 24), date(2025, 2, 3)], off=_days(date(2025, 1, 25), date(2025, 2, 2))
)
# Tết Bính Ngọ 2026: 16-20/2 (Monday-Friday) between two weekends.
TET_2026 = _table(
    working=[date(2026, 2, 13), date(2026, 2, 23)], off=_days(date(2026, 2, 14), date(2026, 2, 22))
)
# Tết Đinh Mùi 2027 (Lunar New Year on Saturday 6/2): no decision yet; the package's rules give
# Friday 5/2 (eve) to Tuesday 9/2, the weekend moved to Thursday 4/2 and Wednesday 10/2.
TET_2027 = _table(
    working=[date(2027, 2, 3), date(2027, 2, 11)], off=_days(date(2027, 2, 4), date(2027, 2, 10))
)
# 30/4-1/5/2025: 30/4 to 4/5, Friday 2/5 swapped with Saturday 26/4 (a working Saturday).
LABOUR_DAY_2025 = _table(
    working=[date(2025, 4, 26), date(2025, 4, 29), date(2025, 5, 5)],
    off=[date(2025, 4, 27), *_days(date(2025, 4, 30), date(2025, 5, 4))],
)
# 2026: Hùng Kings' day on Sunday 26/4 (made up on Monday 27/4), then Thursday 30/4 and Friday 1/5.
LABOUR_DAY_2026 = _table(
    working=[date(2026, 4, 24), date(2026, 4, 28), date(2026, 4, 29), date(2026, 5, 4)],
    off=[
        date(2026, 4, 25),
        date(2026, 4, 26),
        date(2026, 4, 27),
        *_days(date(2026, 4, 30), date(2026, 5, 3)),
    ],
)
# 2/9/2025 on a Tuesday, with Monday 1/9 as the adjacent day: 30/8 to 2/9.
NATIONAL_DAY_2025 = _table(
    working=[date(2025, 8, 29), date(2025, 9, 3)], off=_days(date(2025, 8, 30), date(2025, 9, 2))
)
# 2/9/2026 on a Wednesday, adjacent day Tuesday 1/9, Monday 31/8 swapped with Saturday 22/8.
NATIONAL_DAY_2026 = _table(
    working=[date(2026, 8, 22), date(2026, 8, 28), date(2026, 9, 3)],
    off=[date(2026, 8, 23), *_days(date(2026, 8, 29), date(2026, 9, 2))],
)
# New Year 2026: 1/1 to 4/1, Friday 2/1 swapped with Saturday 10/1 (only in data/calendar/VN.yaml).
NEW_YEAR_2026 = _table(
    working=[date(2025, 12, 31), date(2026, 1, 5), date(2026, 1, 9), date(2026, 1, 10)],
    off=[*_days(date(2026, 1, 1), date(2026, 1, 4)), date(2026, 1, 11)],
)


@pytest.mark.parametrize(
    ("day", "expected"),
    TET_2025
    + TET_2026
    + TET_2027
    + LABOUR_DAY_2025
    + LABOUR_DAY_2026
    + NATIONAL_DAY_2025
    + NATIONAL_DAY_2026
    + NEW_YEAR_2026,
)
def test_is_working_day(day: date, expected: bool) -> None:
    assert CALENDAR.is_working_day(day) is expected


@pytest.mark.parametrize(
    ("day", "expected"),
    TET_2025
    + TET_2026
    + TET_2027
    + LABOUR_DAY_2025
    + LABOUR_DAY_2026
    + NATIONAL_DAY_2025
    + NATIONAL_DAY_2026,
)
def test_the_package_alone_knows_tet_and_the_known_swaps(day: date, expected: bool) -> None:
    assert PACKAGE_ONLY.is_working_day(day) is expected


def test_the_new_year_2026_swap_comes_from_the_override_file() -> None:
    assert PACKAGE_ONLY.is_working_day(date(2026, 1, 2)) is True
    assert PACKAGE_ONLY.is_working_day(date(2026, 1, 10)) is False
    assert CALENDAR.is_working_day(date(2026, 1, 2)) is False
    assert CALENDAR.is_working_day(date(2026, 1, 10)) is True


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 24), date(2025, 2, 3)),  # across Tết 2025
        (date(2025, 4, 25), date(2025, 4, 26)),  # the make-up Saturday
        (date(2025, 4, 29), date(2025, 5, 5)),
        (date(2026, 2, 13), date(2026, 2, 23)),  # across Tết 2026
        (date(2026, 1, 9), date(2026, 1, 10)),
        (date(2026, 8, 28), date(2026, 9, 3)),
        (date(2025, 3, 11), date(2025, 3, 12)),  # an ordinary Tuesday
        (date(2025, 3, 7), date(2025, 3, 10)),  # an ordinary Friday
    ],
)
def test_next_working_day(day: date, expected: date) -> None:
    assert CALENDAR.next_working_day(day) == expected


def test_working_days_in_a_month() -> None:
    # January 2026: 22 weekdays, minus 1/1 and 2/1, plus Saturday 10/1.
    assert len(CALENDAR.working_days_in(date(2026, 1, 1), date(2026, 1, 31))) == 21
    # February 2026: 20 weekdays, minus the 5 days of Tết.
    assert len(CALENDAR.working_days_in(date(2026, 2, 1), date(2026, 2, 28))) == 15


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 1, 29), "Tết Nguyên Đán"),
        (date(2025, 1, 25), "Nghỉ Tết Nguyên đán Ất Tỵ 2025"),  # a Saturday inside the decided break
        (date(2026, 1, 2), "Nghỉ Tết Dương lịch 2026"),
        (date(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (date(2026, 9, 2), "Quốc khánh"),
        (date(2025, 3, 8), None),  # a plain Saturday
        (date(2025, 3, 11), None),  # a working day
        (date(2026, 1, 10), None),  # a make-up Saturday
    ],
)
def test_day_off_name(day: date, expected: str | None) -> None:
    assert CALENDAR.day_off_name(day) == expected


def test_working_periods_of_a_working_day_and_a_day_off() -> None:
    periods = CALENDAR.working_periods(date(2025, 3, 11))
    assert [(start.time(), end.time()) for start, end in periods] == [
        (time(8), time(12)),
        (time(13), time(17)),
    ]
    assert all(start.tzinfo is CALENDAR.tz for start, _ in periods)
    assert CALENDAR.working_periods(date(2025, 1, 29)) == ()
    assert CALENDAR.working_periods(date(2025, 3, 8)) == ()


def test_configured_weekend_and_no_country() -> None:
    sunday_only = WorkCalendar(weekend=frozenset({6}))
    assert sunday_only.is_working_day(date(2025, 3, 8)) is True
    assert sunday_only.is_working_day(date(2025, 3, 9)) is False
    no_holidays = WorkCalendar(country=None)
    assert no_holidays.is_working_day(date(2025, 1, 29)) is True
    assert no_holidays.is_working_day(date(2025, 4, 26)) is False  # no package swaps either


def test_day_length_follows_the_periods() -> None:
    assert CALENDAR.day_length.total_seconds() == 8 * 3600
    short = WorkCalendar(periods=((time(7, 30), time(11, 30)), (time(13, 30), time(17))))
    assert short.day_length.total_seconds() == 7.5 * 3600


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"periods": ()}, "at least one working period"),
        ({"periods": ((time(13), time(12)),)}, "must end after it starts"),
        ({"periods": ((time(8), time(12)), (time(11), time(17)))}, "overlaps"),
        ({"weekend": frozenset(range(7))}, "whole week"),
        ({"weekend": frozenset({7})}, "weekday numbers"),
        ({"country": "XX"}, "does not know the country"),
        ({"timezone": "Asia/Nowhere"}, "unknown time zone"),
    ],
)
def test_invalid_configuration_is_rejected(options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WorkCalendar(**options)  # type: ignore[arg-type]


def test_a_datetime_is_not_taken_for_a_date() -> None:
    with pytest.raises(TypeError, match="moment.date"):
        CALENDAR.is_working_day(datetime(2025, 3, 11, 10, tzinfo=CALENDAR.tz))


def test_calendars_are_values() -> None:
    assert WorkCalendar(cutoff=time(15)) == WorkCalendar(cutoff=time(15))
    assert WorkCalendar(cutoff=time(15)) != WorkCalendar()
    assert hash(WorkCalendar(overrides=CALENDAR.overrides)) == hash(CALENDAR)
