"""Deadlines of dossiers: the processing clock with its pauses (supplement awaited).

The clock starts at `counting_start(received_at)`. A pause stops it; when the pause ends, the
clock restarts at `counting_start(end)` (the completed dossier is received again) and either
starts the full duration anew ("restart", the 2025 wording) or continues with the working time
already used ("resume"). A pause that starts at or after the deadline then in force does not stop
the clock: the dossier was already due, and a late dossier stays late.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from motcua.worktime.calendar import WorkCalendar

ResumeMode = Literal["restart", "resume"]
RESUME_MODES: tuple[ResumeMode, ...] = ("restart", "resume")
Pause = tuple[dt.datetime, dt.datetime | None]
"""A pause of the clock: (start, end), with end None while it is still open."""

ZERO = dt.timedelta(0)


def due_at(
    calendar: WorkCalendar,
    received_at: dt.datetime,
    duration: dt.timedelta,
    pauses: Iterable[Pause] = (),
    resume_mode: ResumeMode = "restart",
) -> dt.datetime | None:
    """The deadline for `duration` of working time, or None while a pause is open."""
    _check_duration(duration)
    _check_mode(resume_mode)
    checked = _checked_pauses(calendar, received_at, pauses)
    start = calendar.counting_start(received_at)
    used = ZERO
    for pause_start, pause_end in checked:
        deadline = calendar.add_working_time(start, duration - used)
        if pause_start >= deadline:
            return deadline
        used += max(ZERO, calendar.working_time_between(start, pause_start))
        if pause_end is None:
            return None
        start = calendar.counting_start(pause_end)
        if resume_mode == "restart":
            used = ZERO
    return calendar.add_working_time(start, duration - used)


def elapsed(
    calendar: WorkCalendar,
    received_at: dt.datetime,
    now: dt.datetime,
    pauses: Iterable[Pause] = (),
    resume_mode: ResumeMode = "restart",
    *,
    duration: dt.timedelta | None = None,
) -> dt.timedelta:
    """Working time used on the clock at `now` (since the last restart in "restart" mode).

    Pass `duration` to ignore pauses that start after the deadline, exactly as `due_at` does;
    then `elapsed(..., now=due_at(...), duration=d) == d`.
    """
    if duration is not None:
        _check_duration(duration)
    _check_mode(resume_mode)
    checked = _checked_pauses(calendar, received_at, pauses)
    now = calendar.localize(now)
    start = calendar.counting_start(received_at)
    used = ZERO
    for pause_start, pause_end in checked:
        if pause_start >= now:
            break
        if duration is not None and pause_start >= calendar.add_working_time(start, duration - used):
            break
        used += max(ZERO, calendar.working_time_between(start, pause_start))
        if pause_end is None or pause_end > now:
            return used
        start = calendar.counting_start(pause_end)
        if resume_mode == "restart":
            used = ZERO
    return used + max(ZERO, calendar.working_time_between(start, now))


def _checked_pauses(calendar: WorkCalendar, received_at: dt.datetime, pauses: Iterable[Pause]) -> list[Pause]:
    received = calendar.localize(received_at)
    checked: list[Pause] = []
    for pause_start, pause_end in pauses:
        start = calendar.localize(pause_start)
        end = None if pause_end is None else calendar.localize(pause_end)
        if start < received:
            raise ValueError(
                f"pause starting {start.isoformat()} begins before the receipt at {received.isoformat()}"
            )
        if end is not None and end < start:
            raise ValueError(f"pause starting {start.isoformat()} ends before it starts ({end.isoformat()})")
        checked.append((start, end))
    checked.sort(key=lambda pause: pause[0])
    for (_, previous_end), (next_start, _) in zip(checked, checked[1:], strict=False):
        if previous_end is None:
            raise ValueError("only the last pause may be open (end None)")
        if next_start < previous_end:
            raise ValueError(
                f"pauses overlap: one starts at {next_start.isoformat()} before the previous one ends"
            )
    return checked


def _check_duration(duration: dt.timedelta) -> None:
    if duration < ZERO:
        raise ValueError(f"duration must not be negative, got {duration}")


def _check_mode(resume_mode: str) -> None:
    if resume_mode not in RESUME_MODES:
        raise ValueError(f"resume_mode must be one of {', '.join(RESUME_MODES)}, got {resume_mode!r}")
