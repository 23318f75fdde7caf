"""Working calendar and deadlines, in pure Python (no Django): see docs/worktime.md."""

from pathlib import Path

from motcua.worktime.calendar import (
    DEFAULT_PERIODS,
    DEFAULT_TIMEZONE,
    Period,
    WorkCalendar,
    WorkingPeriod,
    parse_periods,
)
from motcua.worktime.deadlines import RESUME_MODES, Pause, ResumeMode, due_at, elapsed
from motcua.worktime.overrides import CalendarOverride, OverrideKind, load_overrides, parse_overrides

# Where the repository keeps the Government's decisions for Vietnam (settings may point elsewhere).
DEFAULT_OVERRIDES_FILE = Path(__file__).resolve().parents[2] / "data" / "calendar" / "VN.yaml"

__all__ = [
    "DEFAULT_OVERRIDES_FILE",
    "DEFAULT_PERIODS",
    "DEFAULT_TIMEZONE",
    "RESUME_MODES",
    "CalendarOverride",
    "OverrideKind",
    "Pause",
    "Period",
    "ResumeMode",
    "WorkCalendar",
    "WorkingPeriod",
    "due_at",
    "elapsed",
    "load_overrides",
    "parse_overrides",
    "parse_periods",
]
