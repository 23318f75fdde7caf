"""Working-time arithmetic: when counting starts, adding working time, measuring it."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.worktime import DEFAULT_OVERRIDES_FILE, WorkCalendar, load_overrides, parse_periods

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OVERRIDES = load_overrides(DEFAULT_OVERRIDES_FILE)
CALENDAR = WorkCalendar(overrides=OVERRIDES)
WITH_CUTOFF = WorkCalendar(overrides=OVERRIDES, cutoff=time(15))
WITH_LAST_HOUR = WorkCalendar(overrides=OVERRIDES, last_hour_counts_next_day=True)


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def hours(value: float) -> timedelta:
    return timedelta(hours=value)


@pytest.mark.parametrize(
    ("calendar", "received", "expected"),
    [
        # Tuesday 11/3/2025, an ordinary working day.
        (CALENDAR, at(2025, 3, 11, 10, 15), at(2025, 3, 11, 10, 15)),
        (CALENDAR, at(2025, 3, 11, 7, 30), at(2025, 3, 11, 8)),
        (CALENDAR, at(2025, 3, 11, 12), at(2025, 3, 11, 13)),
        (CALENDAR, at(2025, 3, 11, 12, 30), at(2025, 3, 11, 13)),
        (CALENDAR, at(2025, 3, 11, 16, 59), at(2025, 3, 11, 16, 59)),
        (CALENDAR, at(2025, 3, 11, 17), at(2025, 3, 12, 8)),
        (CALENDAR, at(2025, 3, 8, 10), at(2025, 3, 10, 8)),  # Saturday
        (CALENDAR, at(2025, 1, 24, 17, 30), at(2025, 2, 3, 8)),  # Friday evening before Tết 2025
        (CALENDAR, at(2025, 4, 25, 17, 30), at(2025, 4, 26, 8)),  # the next day is a make-up Saturday
        # Friday 7/3/2025 with a 15:00 cut-off.
        (WITH_CUTOFF, at(2025, 3, 7, 16, 30), at(2025, 3, 10, 8)),
        (WITH_CUTOFF, at(2025, 3, 7, 14, 59), at(2025, 3, 7, 14, 59)),
        (WITH_CUTOFF, at(2025, 3, 7, 15), at(2025, 3, 10, 8)),
        (WITH_CUTOFF, at(2025, 3, 7, 7), at(2025, 3, 7, 8)),
        (CALENDAR, at(2025, 3, 7, 16, 30), at(2025, 3, 7, 16, 30)),  # no cut-off configured
        # The last working hour (16:00-17:00) counts from the next working day.
        (WITH_LAST_HOUR, at(2025, 3, 7, 15, 59), at(2025, 3, 7, 15, 59)),
        (WITH_LAST_HOUR, at(2025, 3, 7, 16), at(2025, 3, 10, 8)),
        (WITH_LAST_HOUR, at(2025, 3, 7, 16, 30), at(2025, 3, 10, 8)),
    ],
)
def test_counting_start(calendar: WorkCalendar, received: datetime, expected: datetime) -> None:
    assert calendar.counting_start(received) == expected


def test_counting_start_converts_other_time_zones() -> None:
    received = datetime(2025, 3, 11, 3, 15, tzinfo=UTC)  # 10:15 in Hà Nội
    result = CALENDAR.counting_start(received)
    assert result == at(2025, 3, 11, 10, 15)
    assert result.tzinfo is TZ
    assert result.hour == 10


@pytest.mark.parametrize(
    ("start", "duration", "expected"),
    [
        (at(2025, 3, 11, 10), hours(4), at(2025, 3, 11, 15)),  # across lunch
        (at(2025, 3, 11, 8), hours(4), at(2025, 3, 11, 12)),  # ends at noon, not 13:00
        (at(2025, 3, 11, 11), hours(1), at(2025, 3, 11, 12)),
        (at(2025, 3, 11, 11), timedelta(hours=1, minutes=1), at(2025, 3, 11, 13, 1)),
        (at(2025, 3, 11, 16), hours(1), at(2025, 3, 11, 17)),  # ends at closing, not next morning
        (at(2025, 3, 11, 10), timedelta(0), at(2025, 3, 11, 10)),
        (at(2025, 3, 11, 12, 30), timedelta(0), at(2025, 3, 11, 13)),
        (at(2025, 3, 13, 14), hours(16), at(2025, 3, 17, 14)),  # Thursday to Monday, across a weekend
        (at(2025, 1, 24, 10), hours(8), at(2025, 2, 3, 10)),  # across Tết 2025
        (at(2026, 2, 12, 9), hours(24), at(2026, 2, 24, 9)),  # across Tết 2026
        (at(2025, 4, 25, 16), hours(2), at(2025, 4, 26, 9)),  # onto the make-up Saturday
        (at(2025, 4, 29, 16), hours(2), at(2025, 5, 5, 9)),  # across 30/4-1/5/2025
        (at(2025, 8, 29, 16), hours(2), at(2025, 9, 3, 9)),  # across 2/9/2025
        (at(2026, 8, 28, 16), hours(2), at(2026, 9, 3, 9)),  # across 2/9/2026
        (at(2026, 1, 5, 8), hours(480), at(2026, 4, 2, 17)),  # 60 working days (see the docs)
        (at(2025, 3, 8, 10), hours(3), at(2025, 3, 10, 11)),  # from a Saturday
    ],
)
def test_add_working_time(start: datetime, duration: timedelta, expected: datetime) -> None:
    assert CALENDAR.add_working_time(start, duration) == expected


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (at(2025, 3, 10, 10), 0.5, at(2025, 3, 10, 15)),
        (at(2025, 3, 10, 8), 0.5, at(2025, 3, 10, 12)),
        (at(2025, 3, 10, 10), 1, at(2025, 3, 11, 10)),
        (at(2025, 3, 10, 8), 5, at(2025, 3, 14, 17)),
        (at(2025, 3, 10, 10), 0, at(2025, 3, 10, 10)),
    ],
)
def test_add_working_days(start: datetime, days: float, expected: datetime) -> None:
    assert CALENDAR.add_working_days(start, days) == expected


def test_add_working_days_uses_the_configured_day_length() -> None:
    periods = parse_periods("07:30-11:30, 13:30-17:00")
    assert periods == ((time(7, 30), time(11, 30)), (time(13, 30), time(17)))
    calendar = WorkCalendar(periods=periods)
    assert calendar.add_working_days(at(2025, 3, 10, 7, 30), 1) == at(2025, 3, 10, 17)
    assert calendar.add_working_days(at(2025, 3, 10, 7, 30), 0.5) == at(2025, 3, 10, 11, 15)  # 3 h 45
    assert calendar.add_working_days(at(2025, 3, 10, 7, 30), 0.6) == at(2025, 3, 10, 14)  # 4 h 30


@pytest.mark.parametrize("text", ["08:00", "8h-12h", "08:00-12:00;13:00-17:00"])
def test_parse_periods_rejects_malformed_text(text: str) -> None:
    with pytest.raises(ValueError, match="HH:MM-HH:MM"):
        parse_periods(text)


def test_negative_amounts_are_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_time(at(2025, 3, 10, 8), -hours(1))
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.add_working_days(at(2025, 3, 10, 8), -1)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (at(2025, 3, 7, 16), at(2025, 3, 10, 9), hours(2)),  # Friday to Monday
        (at(2025, 3, 11, 11, 30), at(2025, 3, 11, 13, 30), hours(1)),  # lunch does not count
        (at(2025, 3, 11, 12, 10), at(2025, 3, 11, 12, 50), timedelta(0)),
        (at(2025, 3, 11, 10), at(2025, 3, 11, 10), timedelta(0)),
        (at(2025, 1, 24, 8), at(2025, 2, 3, 17), hours(16)),  # Tết 2025 does not count
        (at(2026, 1, 1), at(2026, 2, 1), hours(21 * 8)),  # January 2026: 21 working days
        (at(2025, 3, 10, 9), at(2025, 3, 7, 16), -hours(2)),  # reversed: negative
    ],
)
def test_working_time_between(start: datetime, end: datetime, expected: timedelta) -> None:
    assert CALENDAR.working_time_between(start, end) == expected


def test_working_time_between_mixed_time_zones() -> None:
    start = datetime(2025, 3, 11, 1, tzinfo=UTC)  # 08:00 in Hà Nội
    assert CALENDAR.working_time_between(start, at(2025, 3, 11, 17)) == hours(8)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(2025, 3, 11, 8), True),
        (at(2025, 3, 11, 12), True),
        (at(2025, 3, 11, 12, 30), False),
        (at(2025, 3, 11, 17), True),
        (at(2025, 3, 11, 17, 1), False),
        (at(2025, 3, 11, 7, 59), False),
        (at(2025, 3, 8, 10), False),  # Saturday
        (at(2025, 4, 26, 10), True),  # make-up Saturday
    ],
)
def test_is_working_time(moment: datetime, expected: bool) -> None:
    assert CALENDAR.is_working_time(moment) is expected


def test_naive_datetimes_are_rejected_with_a_clear_message() -> None:
    naive = datetime(2025, 3, 11, 10)
    aware = at(2025, 3, 11, 10)
    calls = [
        lambda: CALENDAR.counting_start(naive),
        lambda: CALENDAR.add_working_time(naive, hours(1)),
        lambda: CALENDAR.add_working_days(naive, 1),
        lambda: CALENDAR.working_time_between(naive, aware),
        lambda: CALENDAR.working_time_between(aware, naive),
        lambda: CALENDAR.is_working_time(naive),
    ]
    for call in calls:
        with pytest.raises(ValueError, match="naive datetime 2025-03-11T10:00:00.*timezone-aware"):
            call()


def test_subtract_working_time_mirrors_adding_it():
    calendar = WorkCalendar()
    friday_10 = datetime(2026, 11, 27, 10, 0, tzinfo=TZ)
    assert calendar.subtract_working_time(friday_10, timedelta(hours=8)) == datetime(2026, 11, 26, 10, 0, tzinfo=TZ)
    friday_8 = datetime(2026, 11, 27, 8, 0, tzinfo=TZ)
    assert calendar.subtract_working_time(friday_8, timedelta(hours=8)) == datetime(2026, 11, 26, 8, 0, tzinfo=TZ)
    monday_9 = datetime(2026, 11, 30, 9, 0, tzinfo=TZ)  # over the weekend
    assert calendar.subtract_working_time(monday_9, timedelta(hours=2)) == datetime(2026, 11, 27, 16, 0, tzinfo=TZ)
    assert calendar.previous_working_day(monday_9.date()) == friday_10.date()
