"""Shared pieces of the organisation loaders: problems, reports, reading files with line numbers."""


import csv
from collections import Counter as Tally
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from pydantic import (
    ValidationError,
)

from motcua.core.audit import record_event
from motcua.core.datafiles import DataFileError, LineDict, read_yaml
from motcua.core.errors import ValidationFailed

from ..models import AdministrativeUnit

Unit = AdministrativeUnit
Level = AdministrativeUnit.Level
UnitKey = tuple[str, str, bool]  # (level, code, is_current)



# --- problems, errors, reports -------------------------------------------------------------------

@dataclass(frozen=True)
class DataProblem:
    """One problem in a data file: where it is (file, line, entry, field) and what is wrong."""

    file: str
    line: int | None
    entry: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.entry}: {self.field}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "entry": self.entry, "field": self.field,
                "message": self.message}


class OrgDataInvalid(ValidationFailed):
    code = "org_data_invalid"
    default_message = gettext_lazy("Tệp dữ liệu tổ chức có lỗi; không có gì được nạp.")

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        super().__init__(details=[p.as_dict() for p in problems])

    def __str__(self) -> str:
        return "\n".join([str(self.message), *(f"  {p}" for p in self.problems)])


class UnitsInvalid(OrgDataInvalid):
    code = "units_invalid"


class AgenciesInvalid(OrgDataInvalid):
    code = "agencies_invalid"


class CenterInvalid(OrgDataInvalid):
    code = "center_invalid"


# How the loaders' count keys read in their reports (the keys themselves go to the audit log).
COUNT_LABELS = {
    "provinces": pgettext_lazy("load report", "tỉnh"),
    "former_provinces": pgettext_lazy("load report", "tỉnh cũ"),
    "communes": pgettext_lazy("load report", "xã"),
    "former_districts": pgettext_lazy("load report", "huyện cũ"),
    "former_communes": pgettext_lazy("load report", "xã cũ"),
    "successor_links": pgettext_lazy("load report", "liên kết sang đơn vị mới"),
    "agencies": pgettext_lazy("load report", "cơ quan"),
    "commune_committees": pgettext_lazy("load report", "UBND xã"),
    "branches": pgettext_lazy("load report", "chi nhánh"),
    "service_points": pgettext_lazy("load report", "điểm tiếp nhận"),
    "counters": pgettext_lazy("load report", "quầy"),
}


@dataclass
class LoadReport:
    """What a loader found and did, counted per kind of row."""

    name: str
    counts: dict[str, int] = field(default_factory=dict)
    created: Tally = field(default_factory=Tally)
    updated: Tally = field(default_factory=Tally)
    deactivated: Tally = field(default_factory=Tally)

    @property
    def changed(self) -> bool:
        return any((self.created.total(), self.updated.total(), self.deactivated.total()))

    def __str__(self) -> str:
        counts = ", ".join(f"{COUNT_LABELS.get(k, k)} {v}" for k, v in self.counts.items())
        done = _("tạo mới %(created)d, cập nhật %(updated)d, ngừng hoạt động %(deactivated)d") % {
            "created": self.created.total(), "updated": self.updated.total(),
            "deactivated": self.deactivated.total()}
        return f"{self.name}: {counts} — {done}"


def _audit(report: LoadReport, action: str, path: Path, actor: Any) -> None:
    """One audit entry per load that changed something (a run that changes nothing leaves no trace)."""
    if report.changed:
        record_event(actor or "load_org", action, "data_file", Path(path).name[:60], data={
            "counts": report.counts, "created": dict(report.created), "updated": dict(report.updated),
            "deactivated": dict(report.deactivated)})


# --- reading files with line numbers --------------------------------------------------------------

def _read_yaml(path: Path, error: type[OrgDataInvalid]) -> Any:
    try:
        return read_yaml(path)
    except DataFileError as exc:
        raise error([DataProblem(exc.path, exc.line, "-", "-", exc.problem)]) from exc


def _line(node: Any, key: str | None = None) -> int | None:
    if isinstance(node, LineDict):
        return node.key_lines.get(key, node.line) if key else node.line
    return None


def _label(node: Any, index: int) -> str:
    if isinstance(node, dict):
        for key in ("code", "numbers", "number"):
            if node.get(key) is not None:
                return str(node[key])
    return f"#{index + 1}"


def _locate(root: Any, loc: tuple, root_label: str) -> tuple[str, str, int | None]:
    """Turn a validation error's path into (entry, field, line), e.g. branches[cn03].service_points[x], kind."""
    node, line = root, _line(root)
    parts: list[str] = []
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node, label = node[part], _label(node[part], part)
            line = _line(node) or line
            parts.append(f"{parts.pop()}[{label}]" if parts else f"[{label}]")
        elif isinstance(part, str) and isinstance(node, dict):
            line = _line(node, part) or line
            node = node.get(part)
            parts.append(part)
        else:
            break
    if parts and not parts[-1].endswith("]"):
        return ".".join(parts[:-1]) or root_label, parts[-1], line
    return ".".join(parts) or root_label, "-", line


def _validation_problems(exc: ValidationError, root: Any, file: str, root_label: str) -> list[DataProblem]:
    problems = []
    for err in exc.errors():
        entry, fld, line = _locate(root, tuple(err["loc"]), root_label)
        message = err["msg"].removeprefix("Value error, ")
        problems.append(DataProblem(file, line, entry, fld, message))
    return problems


def _read_csv(path: Path, columns: list[str], problems: list[DataProblem]) -> list[tuple[int, dict[str, str]]]:
    if not path.is_file():
        problems.append(DataProblem(str(path), None, "-", "-", "file not found"))
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            problems.append(DataProblem(str(path), 1, "header", ", ".join(missing), "missing columns"))
            return []
        return [(reader.line_num, {k: (v or "").strip() for k, v in row.items() if k}) for row in reader]
