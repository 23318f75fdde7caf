"""The Government's yearly calendar decisions (extra days off, make-up working days), read from YAML.

File format (see docs/worktime.md)::

    country: VN
    decisions:
      - name: "Tết Dương lịch 2026"
        source: "Văn bản số 12729/VPCP-KGVX ngày 25/12/2025"
        days_off: [2026-01-01..2026-01-04]
        working_days: [2026-01-10]

Each item of `days_off` / `working_days` is a date (``2026-01-10``) or an inclusive range
(``2026-01-01..2026-01-04``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import yaml

# A range longer than this is far more likely a typo in a year than a real break.
MAX_RANGE_DAYS = 31

_DECISION_KEYS = {"name", "source", "days_off", "working_days"}
_TOP_KEYS = {"country", "decisions"}


class OverrideKind(StrEnum):
    DAY_OFF = "day_off"
    WORKING_DAY = "working_day"


@dataclass(frozen=True, slots=True)
class CalendarOverride:
    """One day whose status the Government decided: a day off or a working day."""

    day: dt.date
    kind: OverrideKind
    name: str
    source: str


def load_overrides(path: str | Path, *, country: str = "VN") -> tuple[CalendarOverride, ...]:
    """Read and validate an override file; raise ValueError naming the file on any problem."""
    path = Path(path)
    with path.open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    try:
        return parse_overrides(data, country=country)
    except ValueError as error:
        raise ValueError(f"{path}: {error}") from error


def parse_overrides(data: object, *, country: str = "VN") -> tuple[CalendarOverride, ...]:
    """Validate already-parsed YAML data and return the overrides sorted by day."""
    if data is None:
        return ()
    if not isinstance(data, dict):
        raise ValueError("the top level must be a mapping with 'country' and 'decisions'")
    _reject_unknown_keys(data, _TOP_KEYS, "the top level")
    file_country = data.get("country", country)
    if file_country != country:
        raise ValueError(f"the file is for country {file_country!r}, the calendar for {country!r}")
    decisions = data.get("decisions") or []
    if not isinstance(decisions, list):
        raise ValueError("'decisions' must be a list")
    by_day: dict[dt.date, CalendarOverride] = {}
    for position, decision in enumerate(decisions, start=1):
        for override in _parse_decision(decision, position):
            previous = by_day.get(override.day)
            if previous is not None and previous.kind != override.kind:
                raise ValueError(
                    f"{override.day.isoformat()} is a {previous.kind} in {previous.name!r} "
                    f"and a {override.kind} in {override.name!r}"
                )
            by_day.setdefault(override.day, override)
    return tuple(by_day[day] for day in sorted(by_day))


def _parse_decision(decision: object, position: int) -> list[CalendarOverride]:
    where = f"decision #{position}"
    if not isinstance(decision, dict):
        raise ValueError(f"{where} must be a mapping")
    _reject_unknown_keys(decision, _DECISION_KEYS, where)
    name = decision.get("name")
    source = decision.get("source")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where} needs a 'name'")
    where = f"decision {name!r}"
    if not isinstance(source, str) or not source.strip():
        raise ValueError(
            f"{where} needs a 'source' (the decision's number and date, or where it was published)"
        )
    if not decision.get("days_off") and not decision.get("working_days"):
        raise ValueError(f"{where} lists neither 'days_off' nor 'working_days'")
    overrides = []
    for key, kind in (("days_off", OverrideKind.DAY_OFF), ("working_days", OverrideKind.WORKING_DAY)):
        items = decision.get(key) or []
        if not isinstance(items, list):
            raise ValueError(f"{where}: '{key}' must be a list")
        for item in items:
            for day in _parse_days(item, where):
                overrides.append(
                    CalendarOverride(day=day, kind=kind, name=name.strip(), source=source.strip())
                )
    return overrides


def _parse_days(item: object, where: str) -> list[dt.date]:
    if isinstance(item, dt.datetime):
        raise ValueError(f"{where}: {item!r} has a time of day; give a date")
    if isinstance(item, dt.date):
        return [item]
    if not isinstance(item, str):
        raise ValueError(f"{where}: {item!r} is not a date (YYYY-MM-DD) or a range (YYYY-MM-DD..YYYY-MM-DD)")
    first_text, separator, last_text = item.partition("..")
    first = _parse_date(first_text, where)
    last = _parse_date(last_text, where) if separator else first
    length = (last - first).days + 1
    if length < 1:
        raise ValueError(f"{where}: range {item!r} ends before it starts")
    if length > MAX_RANGE_DAYS:
        raise ValueError(f"{where}: range {item!r} spans {length} days (more than {MAX_RANGE_DAYS})")
    return [first + dt.timedelta(days=offset) for offset in range(length)]


def _parse_date(text: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{where}: {text.strip()!r} is not a date in the form YYYY-MM-DD") from None


def _reject_unknown_keys(mapping: dict[object, object], allowed: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in mapping if key not in allowed)
    if unknown:
        raise ValueError(
            f"{where}: unknown key(s) {', '.join(unknown)}; allowed: {', '.join(sorted(allowed))}"
        )
