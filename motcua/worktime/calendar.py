"""The working calendar: which days are working days, which instants are working time, and
arithmetic on working time (add, measure, start of counting).

Working time is measured on the local wall clock of the calendar's time zone (Vietnam has no
daylight saving time). Every datetime given to a `WorkCalendar` must be timezone-aware; results
are in the calendar's time zone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from motcua.worktime import deadlines
from motcua.worktime.deadlines import Pause, ResumeMode
from motcua.worktime.overrides import CalendarOverride, OverrideKind
from motcua.worktime.public_holidays import is_supported_country, is_swapped_working_day, public_holiday_name

Period = tuple[dt.time, dt.time]
WorkingPeriod = tuple[dt.datetime, dt.datetime]

DEFAULT_PERIODS: tuple[Period, ...] = ((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17)))
SATURDAY, SUNDAY = 5, 6
DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
LAST_HOUR = dt.timedelta(hours=1)
ZERO = dt.timedelta(0)

# next_working_day gives up after this many days: only a calendar with no working day at all gets there.
_SEARCH_LIMIT_DAYS = 1000
_ONE_DAY = dt.timedelta(days=1)


def parse_periods(text: str) -> tuple[Period, ...]:
    """Parse working periods written as ``"08:00-12:00,13:00-17:00"`` (for settings)."""
    periods = []
    for chunk in text.split(","):
        start_text, separator, end_text = chunk.strip().partition("-")
        if not separator:
            raise ValueError(f"working period {chunk.strip()!r} is not in the form HH:MM-HH:MM")
        try:
            periods.append(
                (dt.time.fromisoformat(start_text.strip()), dt.time.fromisoformat(end_text.strip()))
            )
        except ValueError:
            raise ValueError(f"working period {chunk.strip()!r} is not in the form HH:MM-HH:MM") from None
    return tuple(periods)


@dataclass(frozen=True)
class WorkCalendar:
    """Working days and hours of one office, with the rules that decide when counting starts.

    - `periods`: working periods of a working day, in order (default 8:00-12:00 and 13:00-17:00);
      their total is the length of a working day.
    - `weekend`: weekly days off as `date.weekday()` numbers (default Saturday 5 and Sunday 6).
    - `country`: public holidays and known weekend swaps from the `holidays` package (None: none).
    - `overrides`: the Government's yearly decisions, which win over the package (`load_overrides`).
    - `timezone`: IANA name of the local time zone.
    - `cutoff`: a dossier received at or after this time of day counts from the next working day.
    - `last_hour_counts_next_day`: a dossier received in the last working hour of the day counts
      from the next working day.
    """

    periods: tuple[Period, ...] = DEFAULT_PERIODS
    weekend: frozenset[int] = frozenset({SATURDAY, SUNDAY})
    country: str | None = "VN"
    overrides: tuple[CalendarOverride, ...] = ()
    timezone: str = DEFAULT_TIMEZONE
    cutoff: dt.time | None = None
    last_hour_counts_next_day: bool = False
    _override_by_day: dict[dt.date, CalendarOverride] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "periods", tuple((start, end) for start, end in self.periods))
        object.__setattr__(self, "weekend", frozenset(self.weekend))
        object.__setattr__(self, "overrides", tuple(self.overrides))
        _check_periods(self.periods)
        if not self.weekend <= set(range(7)):
            raise ValueError(
                f"weekend days must be weekday numbers 0 (Monday) to 6 (Sunday), got {sorted(self.weekend)}"
            )
        if len(self.weekend) == 7:
            raise ValueError("the weekend cannot cover the whole week")
        if self.country is not None and not is_supported_country(self.country):
            raise ValueError(f"the holidays package does not know the country {self.country!r}")
        if self.cutoff is not None and self.cutoff.tzinfo is not None:
            raise ValueError("cutoff is a local time of day and must not carry a tzinfo")
        try:
            ZoneInfo(self.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {self.timezone!r}") from None
        by_day: dict[dt.date, CalendarOverride] = {}
        for override in self.overrides:
            previous = by_day.setdefault(override.day, override)
            if previous.kind != override.kind:
                raise ValueError(
                    f"{override.day.isoformat()} is overridden both as a day off and as a working day"
                )
        self._override_by_day.update(by_day)

    @cached_property
    def tz(self) -> ZoneInfo:
        """The calendar's time zone."""
        return ZoneInfo(self.timezone)

    @cached_property
    def day_length(self) -> dt.timedelta:
        """Working time in one working day (the sum of the periods)."""
        anchor = dt.date(2000, 1, 1)
        return sum(
            (
                dt.datetime.combine(anchor, end) - dt.datetime.combine(anchor, start)
                for start, end in self.periods
            ),
            ZERO,
        )

    # Days

    def is_working_day(self, day: dt.date) -> bool:
        """Tell whether `day` is a working day (overrides, then public holidays, then the weekend)."""
        day = _as_date(day)
        override = self._override_by_day.get(day)
        if override is not None:
            return override.kind is OverrideKind.WORKING_DAY
        if self.country is not None and public_holiday_name(self.country, day) is not None:
            return False
        if day.weekday() in self.weekend:
            return self.country is not None and is_swapped_working_day(self.country, day)
        return True

    def day_off_name(self, day: dt.date) -> str | None:
        """Name of the holiday or decided day off on `day`; None for working days and plain weekends."""
        day = _as_date(day)
        if self.is_working_day(day):
            return None
        if self.country is not None:
            name = public_holiday_name(self.country, day)
            if name is not None:
                return name
        override = self._override_by_day.get(day)
        return override.name if override is not None else None

    def next_working_day(self, day: dt.date) -> dt.date:
        """The first working day strictly after `day`."""
        return self._working_day_from(day, _ONE_DAY, "after")

    def previous_working_day(self, day: dt.date) -> dt.date:
        """The last working day strictly before `day`."""
        return self._working_day_from(day, -_ONE_DAY, "before")

    def _working_day_from(self, day: dt.date, step: dt.timedelta, side: str) -> dt.date:
        candidate = _as_date(day)
        for _ in range(_SEARCH_LIMIT_DAYS):
            candidate += step
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"no working day within {_SEARCH_LIMIT_DAYS} days {side} {day.isoformat()}")

    def working_days_in(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """The working days from `first` to `last`, both included."""
        first, last = _as_date(first), _as_date(last)
        days = []
        day = first
        while day <= last:
            if self.is_working_day(day):
                days.append(day)
            day += _ONE_DAY
        return days

    def working_periods(self, day: dt.date) -> tuple[WorkingPeriod, ...]:
        """The working periods of `day` as aware (start, end) pairs; empty on a day off."""
        day = _as_date(day)
        if not self.is_working_day(day):
            return ()
        return tuple(
            (dt.datetime.combine(day, start, tzinfo=self.tz), dt.datetime.combine(day, end, tzinfo=self.tz))
            for start, end in self.periods
        )

    # Instants

    def localize(self, moment: dt.datetime) -> dt.datetime:
        """Convert an aware datetime to the calendar's time zone; reject naive ones."""
        if not isinstance(moment, dt.datetime):
            raise TypeError(f"expected a datetime, got {type(moment).__name__}")
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError(
                f"naive datetime {moment.isoformat()}: working time needs timezone-aware datetimes "
                f"(attach a tzinfo, e.g. ZoneInfo({self.timezone!r}))"
            )
        return moment.astimezone(self.tz)

    def is_working_time(self, moment: dt.datetime) -> bool:
        """Tell whether `moment` lies in a working period (both ends included)."""
        local = self.localize(moment)
        return any(start <= local <= end for start, end in self.working_periods(local.date()))

    def counting_start(self, received_at: dt.datetime) -> dt.datetime:
        """The instant processing time starts counting for something received at `received_at`.

        Inside working time that is the instant itself; before opening or over lunch, the start
        of the next period; after closing, on a day off, after the cut-off or (if enabled) in the
        last working hour, the start of the next working day.
        """
        local = self.localize(received_at)
        periods = self.working_periods(local.date())
        if periods and not self._counts_from_next_day(local, periods):
            for start, end in periods:
                if local < end:
                    return max(local, start)
        return self._day_start(self.next_working_day(local.date()))

    def add_working_time(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The instant at which `duration` of working time has passed since `start`.

        The result lies in working time: a duration ending exactly at the end of a period gives
        that end (12:00, not 13:00); a zero duration gives the first working instant from `start`.
        """
        if duration < ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        moment = self.localize(start)
        remaining = duration
        day = moment.date()
        # One step per working day: a 60-working-day deadline visits about 85 calendar days.
        while True:
            for period_start, period_end in self.working_periods(day):
                begin = max(moment, period_start)
                if begin >= period_end:
                    continue
                available = period_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day = self.next_working_day(day)

    def subtract_working_time(self, end: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The latest instant from which `duration` of working time remains until `end`.

        The mirror of `add_working_time`: 8 working hours before Friday 10:00 is Thursday 10:00, and
        before Friday 8:00 it is Thursday 8:00 (not Wednesday 17:00).
        """
        if duration < ZERO:
            raise ValueError(f"duration must not be negative, got {duration}")
        moment = self.localize(end)
        remaining = duration
        day = moment.date()
        while True:
            for period_start, period_end in reversed(self.working_periods(day)):
                finish = min(moment, period_end)
                if finish <= period_start:
                    continue
                available = finish - period_start
                if remaining <= available:
                    return finish - remaining
                remaining -= available
            day = self.previous_working_day(day)

    def add_working_days(self, start: dt.datetime, days: float) -> dt.datetime:
        """`add_working_time` with `days` × the working-day length (`days` may be fractional)."""
        if days < 0:
            raise ValueError(f"days must not be negative, got {days}")
        return self.add_working_time(start, self.day_length * days)

    def working_time_between(self, start: dt.datetime, end: dt.datetime) -> dt.timedelta:
        """Working time from `start` to `end`; negative when `end` is before `start` (antisymmetric)."""
        low, high = self.localize(start), self.localize(end)
        if high < low:
            return -self.working_time_between(high, low)
        total = ZERO
        day = low.date()
        while day <= high.date():
            for period_start, period_end in self.working_periods(day):
                overlap = min(period_end, high) - max(period_start, low)
                if overlap > ZERO:
                    total += overlap
            day += _ONE_DAY
        return total

    # Deadlines (see deadlines.py for the rules)

    def due_at(
        self,
        received_at: dt.datetime,
        duration: dt.timedelta,
        pauses: Iterable[Pause] = (),
        resume_mode: ResumeMode = "restart",
    ) -> dt.datetime | None:
        """The deadline for a dossier; None while a pause (supplement awaited) is open."""
        return deadlines.due_at(self, received_at, duration, pauses, resume_mode)

    def elapsed(
        self,
        received_at: dt.datetime,
        now: dt.datetime,
        pauses: Iterable[Pause] = (),
        resume_mode: ResumeMode = "restart",
        *,
        duration: dt.timedelta | None = None,
    ) -> dt.timedelta:
        """Working time used on the dossier's clock at `now`."""
        return deadlines.elapsed(self, received_at, now, pauses, resume_mode, duration=duration)

    # Helpers

    def _day_start(self, day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, self.periods[0][0], tzinfo=self.tz)

    def _counts_from_next_day(self, local: dt.datetime, periods: tuple[WorkingPeriod, ...]) -> bool:
        if self.cutoff is not None and local.time() >= self.cutoff:
            return True
        return self.last_hour_counts_next_day and local >= periods[-1][1] - LAST_HOUR


def _check_periods(periods: tuple[Period, ...]) -> None:
    if not periods:
        raise ValueError("a working day needs at least one working period")
    previous_end: dt.time | None = None
    for start, end in periods:
        if not isinstance(start, dt.time) or not isinstance(end, dt.time):
            raise ValueError(f"working period {start!r}-{end!r} must be a pair of datetime.time")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("working periods are local times of day and must not carry a tzinfo")
        if start >= end:
            raise ValueError(f"working period {start:%H:%M}-{end:%H:%M} must end after it starts (same day)")
        if previous_end is not None and start < previous_end:
            raise ValueError(
                f"working period {start:%H:%M}-{end:%H:%M} overlaps or precedes the one before it"
            )
        previous_end = end


def _as_date(day: dt.date) -> dt.date:
    # A datetime is a date subclass; its time of day would be silently ignored, so reject it.
    if isinstance(day, dt.datetime):
        raise TypeError(f"expected a date, got the datetime {day.isoformat()}; pass moment.date()")
    if not isinstance(day, dt.date):
        raise TypeError(f"expected a date, got {type(day).__name__}")
    return day
