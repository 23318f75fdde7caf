"""The working calendar of a center: its hours and cut-off (data) over Vietnam's holidays and decisions."""

import datetime as dt
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from holidays import country_holidays

from motcua.worktime import DEFAULT_PERIODS, WorkCalendar, WorkingPeriod, load_overrides, parse_periods
from motcua.worktime.overrides import CalendarOverride, OverrideKind

from .models import Center, Counter

CULTURE_DAY = "Ngày Văn hóa Việt Nam"
CULTURE_DAY_YEARS = range(2025, 2101)


@lru_cache(maxsize=8)
def _overrides(path: str, mtime: float):
    return load_overrides(Path(path))


@lru_cache(maxsize=2)
def _culture_day(day_off: bool) -> tuple[CalendarOverride, ...]:
    """24/11, which the holidays package lists as a day off: a working day unless the operator says so.

    No legal text in force for state agencies makes it a day off (the Labour Code 2019, article 112,
    lists the public holidays); MOTCUA_CULTURE_DAY_OFF turns it (and any day the package moves it to)
    into a day off once one does."""
    source = ("MOTCUA_CULTURE_DAY_OFF (docs/worktime.md)" if day_off else
              "Bộ luật Lao động 2019, điều 112: không phải ngày nghỉ lễ; MOTCUA_CULTURE_DAY_OFF tắt")
    kind = OverrideKind.DAY_OFF if day_off else OverrideKind.WORKING_DAY
    days = {dt.date(year, 11, 24) for year in CULTURE_DAY_YEARS}
    days |= {day for year in CULTURE_DAY_YEARS
             for day, name in country_holidays("VN", years=year).items() if CULTURE_DAY in name}
    return tuple(CalendarOverride(day=day, kind=kind, name=CULTURE_DAY, source=source)
                 for day in sorted(days) if day.weekday() < 5)


def calendar_for(center: Center) -> WorkCalendar:
    """The WorkCalendar that deadlines of dossiers received by `center` are counted in."""
    path = Path(settings.MOTCUA["CALENDAR_FILE"])
    overrides = _overrides(str(path), path.stat().st_mtime) if path.exists() else ()
    overrides = (*overrides, *_culture_day(bool(settings.MOTCUA_CULTURE_DAY_OFF)))
    periods = (parse_periods(",".join(f"{start}-{end}" for start, end in center.working_periods))
               if center.working_periods else DEFAULT_PERIODS)
    return WorkCalendar(
        periods=periods,
        overrides=overrides,
        timezone=settings.TIME_ZONE,
        cutoff=center.cutoff_time,
        last_hour_counts_next_day=center.last_hour_counts_next_day,
    )


def counter_periods(counter: Counter, day: dt.date, calendar: WorkCalendar,
                    center: Center | None = None) -> tuple[WorkingPeriod, ...]:
    """The periods `counter` is planned to be open on `day`, as aware (start, end) pairs; none on a day off."""
    if not calendar.is_working_day(day):
        return ()
    return tuple((dt.datetime.combine(day, start, tzinfo=calendar.tz), dt.datetime.combine(day, end, tzinfo=calendar.tz))
                 for start, end in counter.periods(center))


def planned_for(counter: Counter, start: dt.datetime, end: dt.datetime, calendar: WorkCalendar,
                center: Center | None = None) -> bool:
    """Whether `counter` is planned to be open during the whole of [start, end) (one day)."""
    day = start.astimezone(calendar.tz).date()
    return any(p_start <= start and end <= p_end for p_start, p_end in counter_periods(counter, day, calendar, center))


def planned_open_at(counter: Counter, moment: dt.datetime, calendar: WorkCalendar,
                    center: Center | None = None) -> bool:
    """Whether `counter` is planned to be open at `moment`."""
    day = moment.astimezone(calendar.tz).date()
    return any(p_start <= moment < p_end for p_start, p_end in counter_periods(counter, day, calendar, center))


def next_opening_moment(calendar: WorkCalendar, now: dt.datetime) -> dt.datetime | None:
    """`now` in the center's working hours; over lunch or before opening, when the hall next opens today;
    None when today's hours are over (or today is a day off)."""
    for start, end in calendar.working_periods(now.astimezone(calendar.tz).date()):
        if now < end:
            return max(start, now)
    return None
