"""Deadlines of dossiers: due dates and the clock, with supplement pauses in both resume modes."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from motcua.worktime import DEFAULT_OVERRIDES_FILE, Pause, WorkCalendar, due_at, elapsed, load_overrides

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
OVERRIDES = load_overrides(DEFAULT_OVERRIDES_FILE)
CALENDAR = WorkCalendar(overrides=OVERRIDES)
WITH_CUTOFF = WorkCalendar(overrides=OVERRIDES, cutoff=time(15))


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


def days(value: float) -> timedelta:
    return timedelta(hours=8 * value)


# Received Monday 10/3/2025 at 08:00; supplement requested Tuesday 10:00 (10 working hours used),
# complete dossier back on Thursday 13/3 at 14:00.
RECEIVED = at(2025, 3, 10, 8)
SUPPLEMENT: list[Pause] = [(at(2025, 3, 11, 10), at(2025, 3, 13, 14))]


@pytest.mark.parametrize(
    ("calendar", "received", "duration", "expected"),
    [
        (CALENDAR, RECEIVED, days(5), at(2025, 3, 14, 17)),
        (WITH_CUTOFF, at(2025, 3, 7, 16, 30), days(1), at(2025, 3, 10, 17)),  # Friday after the cut-off
        (WITH_CUTOFF, at(2025, 3, 7, 16, 30), days(3), at(2025, 3, 12, 17)),
        (CALENDAR, at(2025, 3, 7, 16, 30), days(1), at(2025, 3, 10, 16, 30)),  # same Friday, no cut-off
        (CALENDAR, at(2025, 3, 11, 10), timedelta(hours=4), at(2025, 3, 11, 15)),  # across lunch
        (CALENDAR, at(2025, 3, 13, 14), days(2), at(2025, 3, 17, 14)),  # across a weekend
        (CALENDAR, at(2025, 1, 24, 10), days(1), at(2025, 2, 3, 10)),  # across Tết 2025
        (CALENDAR, at(2026, 2, 12, 9), days(3), at(2026, 2, 24, 9)),  # across Tết 2026
        # Across Tết 2027 (projected): 4 h on Wednesday 3/2, 4 h on Thursday 11/2, ending at noon.
        (CALENDAR, at(2027, 2, 3, 13), days(1), at(2027, 2, 11, 12)),
        # Received on the evening of 31/12/2025: counting starts Monday 5/1/2026 (1-4/1 off); the
        # 60th working day is Thursday 2/4/2026 (21 in January incl. Saturday 10/1, 15 in February,
        # 22 in March, then 1 and 2 April).
        (CALENDAR, at(2025, 12, 31, 17, 30), days(60), at(2026, 4, 2, 17)),
    ],
)
def test_due_at_without_pauses(
    calendar: WorkCalendar, received: datetime, duration: timedelta, expected: datetime
) -> None:
    assert calendar.due_at(received, duration) == expected


def test_due_at_is_in_local_time_for_utc_input() -> None:
    due = CALENDAR.due_at(datetime(2025, 3, 10, 1, tzinfo=UTC), days(1))
    assert due == at(2025, 3, 10, 17)
    assert due is not None and due.tzinfo is TZ and due.hour == 17


@pytest.mark.parametrize(
    ("calendar", "pauses", "mode", "expected"),
    [
        # Restart: the full 5 days again from Thursday 14:00.
        (CALENDAR, SUPPLEMENT, "restart", at(2025, 3, 20, 14)),
        # Resume: 30 hours left from Thursday 14:00.
        (CALENDAR, SUPPLEMENT, "resume", at(2025, 3, 19, 11)),
        # Supplement back Thursday 16:30, after the 15:00 cut-off: the clock restarts Friday 8:00.
        (WITH_CUTOFF, [(at(2025, 3, 11, 10), at(2025, 3, 13, 16, 30))], "restart", at(2025, 3, 20, 17)),
        (WITH_CUTOFF, [(at(2025, 3, 11, 10), at(2025, 3, 13, 16, 30))], "resume", at(2025, 3, 19, 15)),
        # Still waiting for the supplement: no deadline.
        (CALENDAR, [(at(2025, 3, 11, 10), None)], "restart", None),
        (CALENDAR, [(at(2025, 3, 11, 10), None)], "resume", None),
    ],
)
def test_due_at_with_a_supplement_pause(
    calendar: WorkCalendar, pauses: list[Pause], mode: str, expected: datetime | None
) -> None:
    assert calendar.due_at(RECEIVED, days(5), pauses, mode) == expected  # type: ignore[arg-type]


# Two days (16 h) from Monday 10/3/2025 8:00, paused Monday 10:00-15:00 and Wednesday 9:00 to
# Thursday 9:00. Restart: 11 h used after the first restart, then 16 h from Thursday 9:00.
# Resume: 2 h + 11 h used, 3 h left from Thursday 9:00.
TWO_PAUSES: list[Pause] = [
    (at(2025, 3, 12, 9), at(2025, 3, 13, 9)),
    (at(2025, 3, 10, 10), at(2025, 3, 10, 15)),  # given out of order on purpose
]


@pytest.mark.parametrize(
    ("mode", "expected"), [("restart", at(2025, 3, 17, 9)), ("resume", at(2025, 3, 13, 12))]
)
def test_due_at_with_two_pauses(mode: str, expected: datetime) -> None:
    assert due_at(CALENDAR, RECEIVED, days(2), TWO_PAUSES, mode) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", ["restart", "resume"])
def test_a_pause_after_the_deadline_does_not_move_it(mode: str) -> None:
    late: list[Pause] = [(at(2025, 3, 11, 9), at(2025, 3, 12, 9))]
    assert CALENDAR.due_at(RECEIVED, days(1), late, mode) == at(2025, 3, 10, 17)  # type: ignore[arg-type]
    still_open: list[Pause] = [(at(2025, 3, 10, 17), None)]
    assert CALENDAR.due_at(RECEIVED, days(1), still_open, mode) == at(2025, 3, 10, 17)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("now", "mode", "expected"),
    [
        (at(2025, 3, 9, 10), "restart", timedelta(0)),  # before receipt
        (at(2025, 3, 10, 12, 30), "restart", timedelta(hours=4)),
        (at(2025, 3, 12, 12), "restart", timedelta(hours=10)),  # during the pause the clock stands
        (at(2025, 3, 12, 12), "resume", timedelta(hours=10)),
        (at(2025, 3, 14, 10), "restart", timedelta(hours=5)),  # Thursday 14-17 and Friday 8-10
        (at(2025, 3, 14, 10), "resume", timedelta(hours=15)),
    ],
)
def test_elapsed(now: datetime, mode: str, expected: timedelta) -> None:
    assert CALENDAR.elapsed(RECEIVED, now, SUPPLEMENT, mode) == expected  # type: ignore[arg-type]


def test_elapsed_during_an_open_pause() -> None:
    assert elapsed(CALENDAR, RECEIVED, at(2025, 4, 1, 9), [(at(2025, 3, 11, 10), None)]) == timedelta(
        hours=10
    )


def test_elapsed_ignores_pauses_after_the_deadline_when_given_the_duration() -> None:
    late: list[Pause] = [(at(2025, 3, 11, 9), at(2025, 3, 12, 9))]
    now = at(2025, 3, 12, 10)
    assert CALENDAR.elapsed(RECEIVED, now, late, duration=days(1)) == timedelta(hours=18)
    # Without the duration the pause is taken as given and the clock restarted on Wednesday 9:00.
    assert CALENDAR.elapsed(RECEIVED, now, late) == timedelta(hours=1)


@pytest.mark.parametrize(
    ("pauses", "message"),
    [
        ([(at(2025, 3, 9, 10), at(2025, 3, 11, 10))], "before the receipt"),
        ([(at(2025, 3, 11, 10), at(2025, 3, 11, 9))], "ends before it starts"),
        ([(at(2025, 3, 11, 10), at(2025, 3, 12, 10)), (at(2025, 3, 12, 9), at(2025, 3, 13, 9))], "overlap"),
        ([(at(2025, 3, 11, 10), None), (at(2025, 3, 12, 9), at(2025, 3, 13, 9))], "only the last pause"),
        ([(datetime(2025, 3, 11, 10), None)], "naive datetime"),
    ],
)
def test_invalid_pauses_are_rejected(pauses: list[Pause], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        CALENDAR.due_at(RECEIVED, days(5), pauses)
    with pytest.raises(ValueError, match=message):
        CALENDAR.elapsed(RECEIVED, at(2025, 3, 20, 9), pauses)


def test_invalid_arguments_are_rejected() -> None:
    with pytest.raises(ValueError, match="resume_mode"):
        CALENDAR.due_at(RECEIVED, days(1), [], "continue")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="negative"):
        CALENDAR.due_at(RECEIVED, -days(1))
    with pytest.raises(ValueError, match="naive datetime"):
        CALENDAR.due_at(datetime(2025, 3, 10, 8), days(1))
    with pytest.raises(ValueError, match="naive datetime"):
        CALENDAR.elapsed(RECEIVED, datetime(2025, 3, 10, 9))
