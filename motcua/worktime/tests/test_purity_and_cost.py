"""The package stays pure Python and cheap: no Django, holiday tables built once per year,
deadlines computed a day at a time."""

import ast
import subprocess
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from motcua.worktime import DEFAULT_OVERRIDES_FILE, WorkCalendar, load_overrides, public_holidays
from motcua.worktime.calendar import WorkingPeriod

PACKAGE_DIR = Path(__file__).resolve().parents[1]
REPOSITORY = PACKAGE_DIR.parents[1]
TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CALENDAR = WorkCalendar(overrides=load_overrides(DEFAULT_OVERRIDES_FILE))


def test_no_module_of_the_package_imports_django() -> None:
    offenders = []
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            offenders += [f"{path.name}: {name}" for name in names if name.split(".")[0] == "django"]
    assert offenders == []


def test_importing_the_package_loads_no_django() -> None:
    script = (
        "import sys, motcua.worktime\n"
        "loaded = sorted(name for name in sys.modules if name == 'django' or name.startswith('django.'))\n"
        "print(loaded)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPOSITORY, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_holiday_tables_are_built_once_per_year(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[int] = []
    original = public_holidays.holidays.country_holidays

    def counting(country: str, years: int) -> object:
        built.append(years)
        return original(country, years=years)

    public_holidays._year_table.cache_clear()
    monkeypatch.setattr(public_holidays.holidays, "country_holidays", counting)
    try:
        for offset in range(365):
            day = date(2026, 1, 1) + timedelta(days=offset)
            CALENDAR.is_working_day(day)
            CALENDAR.day_off_name(day)
    finally:
        public_holidays._year_table.cache_clear()
    # 2025 and 2027 too: a swap is filed under the year of its day off, which may be a neighbour.
    assert sorted(built) == [2025, 2026, 2027]


def test_long_deadlines_are_computed_a_day_at_a_time(monkeypatch: pytest.MonkeyPatch) -> None:
    visited: list[date] = []
    original = WorkCalendar.working_periods

    def counting(self: WorkCalendar, day: date) -> tuple[WorkingPeriod, ...]:
        visited.append(day)
        return original(self, day)

    monkeypatch.setattr(WorkCalendar, "working_periods", counting)
    received = datetime(2026, 1, 5, 8, tzinfo=TZ)
    due = CALENDAR.due_at(received, timedelta(hours=8 * 60))
    assert due == datetime(2026, 4, 2, 17, tzinfo=TZ)
    # 5/1 to 2/4/2026 is 88 calendar days with 60 working days: one look per working day.
    assert len(visited) <= 61
    visited.clear()
    assert CALENDAR.working_time_between(received, due) == timedelta(hours=8 * 60)
    assert len(visited) <= 88
