"""The working calendar of a center: its hours and cut-off (data) over Vietnam's holidays and decisions."""

from functools import lru_cache
from pathlib import Path

from django.conf import settings

from motcua.worktime import WorkCalendar, load_overrides, parse_periods

from .models import Center


@lru_cache(maxsize=8)
def _overrides(path: str, mtime: float):
    return load_overrides(Path(path))


def calendar_for(center: Center) -> WorkCalendar:
    """The WorkCalendar that deadlines of dossiers received by `center` are counted in."""
    path = Path(settings.MOTCUA["CALENDAR_FILE"])
    overrides = _overrides(str(path), path.stat().st_mtime) if path.exists() else ()
    periods = (parse_periods(",".join(f"{start}-{end}" for start, end in center.working_periods))
               if center.working_periods else None)
    return WorkCalendar(
        **({"periods": periods} if periods else {}),
        overrides=overrides,
        timezone=settings.TIME_ZONE,
        cutoff=center.cutoff_time,
    )
