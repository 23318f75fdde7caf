"""Loading administrative units (provinces, communes, former units and their successors)."""


import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from ..models import AdministrativeUnit
from .common import DataProblem, LoadReport, UnitsInvalid, _audit, _read_csv

Unit = AdministrativeUnit
Level = AdministrativeUnit.Level
UnitKey = tuple[str, str, bool]  # (level, code, is_current)


# --- administrative units -------------------------------------------------------------------------

_CODE_PATTERNS: dict[str, re.Pattern[str]] = {Level.PROVINCE: re.compile(r"^\d{2}$"), Level.DISTRICT: re.compile(r"^\d{3}$"),
                  Level.COMMUNE: re.compile(r"^\d{5}$")}
_KIND_PREFIXES = ("thành phố", "tỉnh", "thị xã", "quận", "huyện", "thị trấn", "phường", "xã", "đặc khu")
_HISTORY_COLUMNS = ["old_code", "old_name", "old_district_code", "old_district_name", "old_province_code",
                    "old_province_name", "new_code", "new_name", "new_province_code"]


def _kind_from_name(name: str) -> str:
    lowered = name.lower()
    return next((p for p in _KIND_PREFIXES if lowered.startswith(p + " ")), "")


@dataclass
class _UnitSpec:
    name: str
    kind: str
    parent: UnitKey | None
    successors: set[UnitKey] = field(default_factory=set)


class _UnitReader:
    """Collects the desired units from the CSV files, with every problem found."""

    def __init__(self) -> None:
        self.units: dict[UnitKey, _UnitSpec] = {}
        self.problems: list[DataProblem] = []

    def problem(self, path: Path, line: int, entry: str, fld: str, message: str) -> None:
        self.problems.append(DataProblem(str(path), line, entry, fld, message))

    def code_ok(self, path: Path, line: int, entry: str, fld: str, code: str, level: str) -> bool:
        if _CODE_PATTERNS[level].match(code):
            return True
        self.problem(path, line, entry, fld, f"malformed code {code!r}")
        return False

    def add_current(self, path: Path, line: int, key: UnitKey, spec: _UnitSpec) -> None:
        if key in self.units:
            self.problem(path, line, key[1], "code", "duplicate code")
        elif spec.name:
            self.units[key] = spec
        else:
            self.problem(path, line, key[1], "name", "name is empty")

    def add_former(self, key: UnitKey, name: str, parent: UnitKey | None, successor: UnitKey,
                   where: tuple[Path, int, str, str]) -> None:
        spec = self.units.get(key)
        if spec is None:
            self.units[key] = _UnitSpec(name, _kind_from_name(name), parent, {successor})
        elif (spec.name, spec.parent) != (name, parent):
            self.problem(*where, f"code {key[1]!r} already given to {spec.name!r} (another name or parent unit)")
        else:
            spec.successors.add(successor)


def _read_units(directory: Path) -> _UnitReader:
    reader = _UnitReader()
    path = directory / "provinces.csv"
    for line, row in _read_csv(path, ["code", "name", "type"], reader.problems):
        if reader.code_ok(path, line, row["code"], "code", row["code"], Level.PROVINCE):
            reader.add_current(path, line, (Level.PROVINCE, row["code"], True),
                               _UnitSpec(row["name"], row["type"], None))
    for path in sorted(directory.glob("*_communes.csv")):
        for line, row in _read_csv(path, ["code", "name", "type", "province_code"], reader.problems):
            province = (Level.PROVINCE, row["province_code"], True)
            if not reader.code_ok(path, line, row["code"], "code", row["code"], Level.COMMUNE):
                continue
            if province not in reader.units:
                reader.problem(path, line, row["code"], "province_code",
                               f"no province {row['province_code']!r} in provinces.csv")
                continue
            reader.add_current(path, line, (Level.COMMUNE, row["code"], True),
                               _UnitSpec(row["name"], row["type"], province))
    for path in sorted(directory.glob("*_old_to_new.csv")):
        for line, row in _read_csv(path, _HISTORY_COLUMNS, reader.problems):
            _read_history_row(reader, path, line, row)
    if not any(key[0] == Level.PROVINCE for key in reader.units) and not reader.problems:
        reader.problem(path, 0, "-", "-", "no provinces")
    return reader


def _read_history_row(reader: _UnitReader, path: Path, line: int, row: dict[str, str]) -> None:
    entry = row["old_code"] or f"#{line}"
    checks = [("old_code", Level.COMMUNE), ("old_district_code", Level.DISTRICT),
              ("old_province_code", Level.PROVINCE), ("new_code", Level.COMMUNE)]
    if not all(reader.code_ok(path, line, entry, col, row[col], level) for col, level in checks):
        return
    new = (Level.COMMUNE, row["new_code"], True)
    if new not in reader.units:
        reader.problem(path, line, entry, "new_code", f"no current commune {row['new_code']!r}")
        return
    if reader.units[new].parent != (Level.PROVINCE, row["new_province_code"], True):
        reader.problem(path, line, entry, "new_province_code", "does not match the province of the new commune")
        return
    # The former province is the current one when code and name are unchanged (Hà Nội); otherwise a
    # former province of its own, succeeded by the new province.
    province = (Level.PROVINCE, row["old_province_code"], True)
    current = reader.units.get(province)
    if current is None or current.name != row["old_province_name"]:
        province = (Level.PROVINCE, row["old_province_code"], False)
        reader.add_former(province, row["old_province_name"], None,
                          (Level.PROVINCE, row["new_province_code"], True), (path, line, entry, "old_province_name"))
    district = (Level.DISTRICT, row["old_district_code"], False)
    reader.add_former(district, row["old_district_name"], province, new, (path, line, entry, "old_district_name"))
    reader.add_former((Level.COMMUNE, row["old_code"], False), row["old_name"], district, new,
                      (path, line, entry, "old_name"))


_WRITE_ORDER = [(Level.PROVINCE, True), (Level.PROVINCE, False), (Level.COMMUNE, True), (Level.DISTRICT, False),
                (Level.COMMUNE, False)]
_UNIT_LABELS = {(Level.PROVINCE, True): "provinces", (Level.PROVINCE, False): "former_provinces",
                (Level.COMMUNE, True): "communes", (Level.DISTRICT, False): "former_districts",
                (Level.COMMUNE, False): "former_communes"}


@transaction.atomic
def load_units(directory: Path, *, actor: Any = None) -> LoadReport:
    """Load provinces, communes and former units with their successors from a units/ folder."""
    reader = _read_units(Path(directory))
    if reader.problems:
        raise UnitsInvalid(reader.problems)
    report = LoadReport(str(_("Đơn vị hành chính")))
    existing: dict[UnitKey, Unit] = {(u.level, u.code, u.is_current): u for u in Unit.objects.all()}
    for level, current in _WRITE_ORDER:
        keys = sorted(k for k in reader.units if k[0] == level and k[2] == current)
        label = _UNIT_LABELS[(level, current)]
        if keys:
            report.counts[label] = len(keys)
        new, changed = [], []
        for key in keys:
            spec = reader.units[key]
            values = {"name": spec.name, "kind": spec.kind,
                      "parent_id": existing[spec.parent].pk if spec.parent else None}
            unit = existing.get(key)
            if unit is None:
                new.append(Unit(level=level, code=key[1], is_current=current, **values))
            elif any(getattr(unit, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(unit, k, v)
                changed.append(unit)
        Unit.objects.bulk_create(new)
        if new and new[0].pk is None:  # a backend that does not return primary keys
            new = list(Unit.objects.filter(level=level, is_current=current, code__in=[u.code for u in new]))
        existing.update({(u.level, u.code, u.is_current): u for u in new})
        Unit.objects.bulk_update(changed, ["name", "kind", "parent"])
        report.created[label] += len(new)
        report.updated[label] += len(changed)
    _sync_successors(reader, existing, report)
    _audit(report, "org.units_loaded", Path(directory), actor)
    return report


def _sync_successors(reader: _UnitReader, existing: dict[UnitKey, Unit], report: LoadReport) -> None:
    through = Unit.successors.through
    wanted = {(existing[key].pk, existing[succ].pk)
              for key, spec in reader.units.items() for succ in spec.successors}
    sources = {existing[key].pk for key, spec in reader.units.items() if spec.successors}
    present = set(through.objects.filter(from_administrativeunit_id__in=sources)
                  .values_list("from_administrativeunit_id", "to_administrativeunit_id"))
    through.objects.bulk_create(through(from_administrativeunit_id=a, to_administrativeunit_id=b)
                                for a, b in sorted(wanted - present))
    for a, b in present - wanted:
        through.objects.filter(from_administrativeunit_id=a, to_administrativeunit_id=b).delete()
    report.counts["successor_links"] = len(wanted)
    report.created["successor_links"] += len(wanted - present)
    report.updated["successor_links"] += len(present - wanted)
