"""Life events (sự kiện cuộc sống): the procedures each stage of life brings, as data a province edits.

`load_life_events(directory)` reads every `*.yaml` of the directory (one event a file, see
data/life_events/README.md), checks everything at once — required fields, unique event codes, each
procedure code present in the catalog (also those of the wallet's renewals file) — and then replaces
the stored events in one transaction: all or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from motcua.catalog.models import Procedure
from motcua.core.datafiles import DataFileError, read_yaml

from ..models import LifeEvent, LifeEventStep
from ..selectors.wallet import renewals_path

CODE = re.compile(r"^[a-z0-9][a-z0-9-]{0,59}$")


@dataclass(frozen=True)
class Problem:
    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.path}{f':{self.line}' if self.line else ''}: {self.message}"


class LifeEventsInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s)")


@dataclass
class LoadReport:
    events: int = 0
    steps: int = 0
    removed: int = 0
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        return f"{self.events} events, {self.steps} procedures, {self.removed} removed"


def _line(item, key: str | None = None) -> int | None:
    if key is not None and hasattr(item, "key_lines"):
        return item.key_lines.get(key, getattr(item, "line", None))
    return getattr(item, "line", None)


def _read(directory: Path, problems: list[Problem]) -> list[tuple[Path, dict]]:
    events = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = read_yaml(path)
        except DataFileError as exc:
            problems.append(Problem(str(path), exc.line, exc.problem))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(str(path), None, "expected a mapping (code, name, procedures)"))
            continue
        events.append((path, data))
    if not events and not problems:
        problems.append(Problem(str(directory), None, "no *.yaml file"))
    return events


def _check(events: list[tuple[Path, dict]], problems: list[Problem]) -> set[str]:
    seen: dict[str, str] = {}
    codes: set[str] = set()
    for path, data in events:
        code = str(data.get("code") or "")
        if not CODE.match(code):
            problems.append(
                Problem(str(path), _line(data, "code"), "code: lower-case letters, digits and '-'")
            )
        elif code in seen:
            problems.append(
                Problem(str(path), _line(data, "code"), f"code {code!r} already used in {seen[code]}")
            )
        else:
            seen[code] = path.name
        if not str(data.get("name") or "").strip():
            problems.append(Problem(str(path), _line(data), "name is required"))
        if not isinstance(data.get("position", 0), int):
            problems.append(Problem(str(path), _line(data, "position"), "position must be a whole number"))
        steps = data.get("procedures")
        if not isinstance(steps, list) or not steps:
            problems.append(Problem(str(path), _line(data, "procedures"), "procedures: a non-empty list"))
            continue
        for step in steps:
            if not isinstance(step, dict) or not str(step.get("code") or "").strip():
                problems.append(
                    Problem(
                        str(path), _line(step) or _line(data, "procedures"), "each procedure needs a code"
                    )
                )
                continue
            codes.add(str(step["code"]).strip())
    return codes


def _check_codes(events: list[tuple[Path, dict]], problems: list[Problem]) -> dict[str, Procedure]:
    wanted = _check(events, problems)
    renewals: list[tuple[str, int | None]] = []
    path = renewals_path()
    if path.is_file():
        try:
            rows = read_yaml(path) or []
        except DataFileError as exc:
            problems.append(Problem(str(path), exc.line, exc.problem))
            rows = []
        for row in rows if isinstance(rows, list) else []:
            if isinstance(row, dict) and row.get("procedure"):
                renewals.append((str(row["procedure"]), _line(row, "procedure")))
    known = {p.code: p for p in Procedure.objects.filter(code__in=wanted | {c for c, _l in renewals})}
    for file_path, data in events:
        for step in data.get("procedures") or []:
            code = str(step.get("code") or "").strip() if isinstance(step, dict) else ""
            if code and code not in known:
                problems.append(
                    Problem(str(file_path), _line(step, "code"), f"procedure {code!r} is not in the catalog")
                )
    for code, line in renewals:
        if code not in known:
            problems.append(Problem(str(path), line, f"procedure {code!r} is not in the catalog"))
    return known


def load_life_events(directory: Path, *, check_only: bool = False) -> LoadReport:
    """Check every file, then replace the stored life events with them (nothing is written on a problem)."""
    problems: list[Problem] = []
    events = _read(Path(directory), problems)
    known = _check_codes(events, problems)
    if problems:
        raise LifeEventsInvalid(problems)
    report = LoadReport()
    if check_only:
        report.events = len(events)
        report.steps = sum(len(data["procedures"]) for _p, data in events)
        return report
    with transaction.atomic():
        codes = [str(data["code"]) for _p, data in events]
        report.removed, _ = LifeEvent.objects.exclude(code__in=codes).delete()
        for _path, data in events:
            event, _created = LifeEvent.objects.update_or_create(
                code=str(data["code"]),
                defaults={
                    "name": str(data["name"]).strip(),
                    "description": str(data.get("description") or "").strip(),
                    "position": int(data.get("position") or 0),
                },
            )
            event.steps.all().delete()
            steps = [
                LifeEventStep(
                    event=event,
                    position=index,
                    procedure=known[str(step["code"]).strip()],
                    note=str(step.get("note") or "").strip(),
                )
                for index, step in enumerate(data["procedures"], start=1)
            ]
            LifeEventStep.objects.bulk_create(steps)
            report.events += 1
            report.steps += len(steps)
    return report
