"""Loading the center: service groups, branches, service points, counters."""


import re
from collections.abc import Callable, Sequence
from datetime import date, time
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from django.db import models, transaction
from django.utils.translation import gettext as _
from pydantic import (
    BeforeValidator,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ..models import (
    AdministrativeUnit,
    Agency,
    Branch,
    Center,
    Counter,
    ServiceGroup,
    ServicePoint,
    planned_periods_problem,
)
from .agencies import _SLUG, Text, _Spec, load_agencies
from .common import CenterInvalid, DataProblem, LoadReport, _audit, _line, _read_yaml, _validation_problems
from .units import load_units

Unit = AdministrativeUnit
Level = AdministrativeUnit.Level
UnitKey = tuple[str, str, bool]  # (level, code, is_current)


# --- the center: groups, branches, service points, counters ---------------------------------------

def _time_text(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        raise ValueError("write times in quotes, e.g. \"15:00\" (bare 15:00 is read as a number)")
    return value


TimeText = Annotated[time, BeforeValidator(_time_text)]
Coordinate = Annotated[Decimal, Field(max_digits=9, decimal_places=6)]


def _ordered(periods: list[tuple[time, time]]) -> list[tuple[time, time]]:
    previous_end = time.min
    for start, end in periods:
        if not previous_end <= start < end:
            raise ValueError("periods must be increasing and must not overlap")
        previous_end = end
    return periods


def _hhmm(periods: list[tuple[time, time]]) -> list[list[str]]:
    return [[s.strftime("%H:%M"), e.strftime("%H:%M")] for s, e in periods]


class GroupSpec(_Spec):
    code: Text = Field(pattern=_SLUG, max_length=40)
    name: Text = Field(min_length=1, max_length=120)
    letter: Text = Field(pattern=r"^[A-Z]{1,2}$")
    average_service_minutes: int = Field(ge=1, le=600)


class CounterSpec(_Spec):
    number: int | None = Field(default=None, ge=1, le=999)
    numbers: Text | None = Field(default=None, pattern=r"^\d{1,3}\s*-\s*\d{1,3}$")
    kind: Text
    groups: Any
    agency: Text | None = Field(default=None, pattern=_SLUG)
    lanes: Text = Counter.Lanes.ALL
    priority_only: bool = False
    planned_periods: list[tuple[TimeText, TimeText]] = Field(default_factory=list)
    active: bool = True

    @field_validator("kind", "lanes")
    @classmethod
    def known_choice(cls, value: str, info: ValidationInfo) -> str:
        allowed = Counter.Kind.values if info.field_name == "kind" else Counter.Lanes.values
        if value not in allowed:
            raise ValueError(f"{info.field_name} must be one of: {', '.join(allowed)}")
        return value

    @field_validator("groups")
    @classmethod
    def group_list(cls, value: Any) -> Any:
        if value == "all" or (isinstance(value, list) and value and all(
                isinstance(v, str) and re.match(_SLUG, v) for v in value)):
            return value
        raise ValueError("must be \"all\" or a list of service group codes")

    @field_validator("planned_periods")
    @classmethod
    def ordered_planned_periods(cls, periods: list[tuple[time, time]]) -> list[tuple[time, time]]:
        return _ordered(periods)

    @model_validator(mode="after")
    def one_numbering(self):
        if (self.number is None) == (self.numbers is None):
            raise ValueError("give exactly one of number (one counter) or numbers (a range, e.g. \"1-5\")")
        if self.numbers is not None:
            first, last = (int(n) for n in self.numbers.split("-"))
            if not 1 <= first <= last:
                raise ValueError(f"invalid range {self.numbers!r}")
        return self

    def expanded(self) -> list[int]:
        if self.number is not None:
            return [self.number]
        first, last = (int(n) for n in (self.numbers or "").split("-"))
        return list(range(first, last + 1))


class PointSpec(_Spec):
    code: Text = Field(pattern=_SLUG, max_length=40)
    name: Text = Field(min_length=1, max_length=200)
    address: Text = Field(min_length=1, max_length=250)
    commune: Text = Field(pattern=r"^\d{5}$")
    latitude: Coordinate = Field(ge=-90, le=90)
    longitude: Coordinate = Field(ge=-180, le=180)
    active: bool = True
    counters: list[CounterSpec] = Field(min_length=1)


class BranchSpec(_Spec):
    number: int = Field(ge=1, le=999)
    code: Text = Field(pattern=_SLUG, max_length=40)
    name: Text = Field(min_length=1, max_length=200)
    opened_on: date | None = None
    phone: Text = Field(default="", max_length=30)
    active: bool = True
    service_points: list[PointSpec] = Field(min_length=1)


class CenterSpec(_Spec):
    code: Text = Field(pattern=_SLUG, max_length=50)
    name: Text = Field(min_length=1, max_length=200)
    short_name: Text = Field(min_length=1, max_length=80)
    motto: Text = Field(default="", max_length=200)
    province: Text = Field(pattern=r"^\d{2}$")
    e_id_suffix: Text = Field(pattern=r"^[A-Z]\d{2}$")
    slip_prefix: Text = Field(default="", pattern=r"^(?:[A-Z0-9]{1,8})?$")
    address: Text = Field(default="", max_length=250)
    phone: Text = Field(default="", max_length=30)
    email: Text = Field(default="", max_length=254)
    working_periods: list[tuple[TimeText, TimeText]] = Field(min_length=1)
    cutoff_time: TimeText | None = None
    last_hour_counts_next_day: bool = False
    resume_mode: Literal["restart", "resume"] = "restart"
    service_groups: list[GroupSpec] = Field(min_length=1)
    branches: list[BranchSpec] = Field(min_length=1)

    @field_validator("working_periods")
    @classmethod
    def ordered_periods(cls, periods: list[tuple[time, time]]) -> list[tuple[time, time]]:
        return _ordered(periods)


def read_center_spec(path: Path) -> tuple[CenterSpec, Any]:
    """Parse and validate center.yaml on its own (no database); raises CenterInvalid."""
    path = Path(path)
    raw = _read_yaml(path, CenterInvalid)
    if not isinstance(raw, dict):
        raise CenterInvalid([DataProblem(str(path), 1, "-", "-",
                                         "the file must hold a mapping (code, name, branches …)")])
    try:
        return CenterSpec.model_validate(dict(raw)), raw
    except ValidationError as exc:
        raise CenterInvalid(_validation_problems(exc, raw, str(path), str(raw.get("code", "center")))) from exc


class _CenterChecker:
    """Cross-checks a valid CenterSpec against itself and the database (units, agencies)."""

    def __init__(self, spec: CenterSpec, raw: Any, file: str):
        self.spec, self.raw, self.file = spec, raw, file
        self.problems: list[DataProblem] = []
        self.province = Unit.objects.filter(level=Level.PROVINCE, is_current=True, code=spec.province).first()
        self.communes = {u.code: u for u in Unit.objects.filter(level=Level.COMMUNE, is_current=True)}
        self.agencies = {a.code: a for a in Agency.objects.all()}

    def problem(self, node: Any, entry: str, key: str, message: str) -> None:
        self.problems.append(DataProblem(self.file, _line(node, key), entry, key, message))

    def run(self) -> list[DataProblem]:
        spec, raw = self.spec, self.raw
        if self.province is None:
            self.problem(raw, spec.code, "province",
                         f"no current province {spec.province!r}; load the units first")
        self.unique(spec.service_groups, raw["service_groups"], "service_groups", ["code", "letter"])
        self.unique(spec.branches, raw["branches"], "branches", ["code", "number"])
        points = [(p, rp, f"branches[{b.code}].service_points[{p.code}]")
                  for b, rb in zip(spec.branches, raw["branches"], strict=True)
                  for p, rp in zip(b.service_points, rb["service_points"], strict=True)]
        seen: set[str] = set()
        for point, raw_point, entry in points:
            if point.code in seen:
                self.problem(raw_point, entry, "code", "duplicate service point code")
            seen.add(point.code)
            self.check_point(point, raw_point, entry)
        return self.problems

    def unique(self, specs: list, raws: list, name: str, keys: list[str]) -> None:
        for key in keys:
            seen = set()
            for spec, node in zip(specs, raws, strict=True):
                value = getattr(spec, key)
                if value in seen:
                    self.problem(node, f"{name}[{spec.code}]", key, f"duplicate value {value!r}")
                seen.add(value)

    def check_point(self, point: PointSpec, raw_point: Any, entry: str) -> None:
        commune = self.communes.get(point.commune)
        if commune is None:
            self.problem(raw_point, entry, "commune", f"no current commune {point.commune!r}")
        elif self.province and commune.parent_id != self.province.pk:
            self.problem(raw_point, entry, "commune", f"{commune.name} is not in the center's province")
        groups = {g.code for g in self.spec.service_groups}
        numbers: set[int] = set()
        for counter, raw_counter in zip(point.counters, raw_point["counters"], strict=True):
            where = f"{entry}.counters[{counter.numbers or counter.number}]"
            if numbers & set(counter.expanded()):
                self.problem(raw_counter, where, "number", "counter number used twice at this service point")
            numbers |= set(counter.expanded())
            unknown = [] if counter.groups == "all" else [g for g in counter.groups if g not in groups]
            if unknown:
                self.problem(raw_counter, where, "groups", f"not in service_groups: {', '.join(unknown)}")
            if counter.planned_periods and planned_periods_problem(_hhmm(counter.planned_periods),
                                                                   tuple(self.spec.working_periods)):
                self.problem(raw_counter, where, "planned_periods",
                             "each planned period must lie within one of the center's working_periods")
            if counter.agency and counter.agency not in self.agencies:
                self.problem(raw_counter, where, "agency",
                             f"unknown agency {counter.agency!r} (not in agencies.yaml)")


def _value(obj: models.Model, name: str) -> Any:
    field = obj._meta.get_field(name)
    assert isinstance(field, models.Field), f"{name} is not a concrete field"  # only fields are loaded
    return getattr(obj, field.attname)


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _upsert[M: models.Model](model: type[M], lookup: dict, values: dict, report: LoadReport, label: str,
            existing: M | None = None, *, look: bool = True) -> M:
    """Create the row or update the fields that differ; counts what it did in the report."""
    obj = existing if existing is not None or not look else model._default_manager.filter(**lookup).first()
    if obj is None:
        report.created[label] += 1
        return model._default_manager.create(**lookup, **values)
    changed = [k for k, v in values.items() if _value(obj, k) != _plain(v)]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        report.updated[label] += 1
    return obj


def _make_room[M: models.Model](rows: Sequence[M], fld: str, wanted: dict[int, Any],
                                placeholder: Callable[[M], Any]) -> None:
    """Move rows whose unique value changes to a placeholder first, so that values can be swapped."""
    for row in rows:
        if row.pk in wanted and getattr(row, fld) != wanted[row.pk]:
            type(row)._default_manager.filter(pk=row.pk).update(**{fld: placeholder(row)})
            setattr(row, fld, placeholder(row))


@transaction.atomic
def load_center(path: Path, *, actor: Any = None) -> LoadReport:
    """Load center.yaml: the center, its service groups, branches, service points and counters."""
    path = Path(path)
    spec, raw = read_center_spec(path)
    checker = _CenterChecker(spec, raw, str(path))
    if problems := checker.run():
        raise CenterInvalid(problems)
    report = LoadReport(str(_("Trung tâm")), counts={
        "branches": len(spec.branches), "service_points": sum(len(b.service_points) for b in spec.branches),
        "counters": sum(len(c.expanded()) for b in spec.branches for p in b.service_points for c in p.counters)})
    center = _upsert(Center, {"code": spec.code}, {
        "name": spec.name, "short_name": spec.short_name, "motto": spec.motto, "province": checker.province,
        "e_id_suffix": spec.e_id_suffix, "slip_prefix": spec.slip_prefix, "address": spec.address, "phone": spec.phone, "email": spec.email,
        "working_periods": _hhmm(spec.working_periods),
        "cutoff_time": spec.cutoff_time, "last_hour_counts_next_day": spec.last_hour_counts_next_day,
        "resume_mode": spec.resume_mode}, report, "centers")
    groups = _load_groups(center, spec, report)
    branches = list(center.branches.all())
    wanted_numbers = {b.pk: s.number for b in branches for s in spec.branches if s.code == b.code}
    _make_room(branches, "number", wanted_numbers, lambda b: 1000 + b.number)
    by_code = {b.code: b for b in Branch.objects.filter(code__in=[b.code for b in spec.branches])}
    for branch_spec in spec.branches:
        branch = _upsert(Branch, {"code": branch_spec.code}, {
            "center": center, "number": branch_spec.number, "name": branch_spec.name,
            "opened_on": branch_spec.opened_on, "phone": branch_spec.phone, "is_active": branch_spec.active},
            report, "branches", by_code.get(branch_spec.code), look=False)
        for point_spec in branch_spec.service_points:
            point = _upsert(ServicePoint, {"code": point_spec.code}, {
                "branch": branch, "name": point_spec.name, "address": point_spec.address,
                "commune": checker.communes[point_spec.commune], "latitude": point_spec.latitude,
                "longitude": point_spec.longitude, "is_active": point_spec.active}, report, "service_points")
            _load_counters(point, point_spec, groups, checker.agencies, report)
    _deactivate_missing(center, spec, report)
    _audit(report, "org.center_loaded", path, actor)
    return report


def _load_groups(center: Center, spec: CenterSpec, report: LoadReport) -> dict[str, ServiceGroup]:
    current = list(center.service_groups.all())
    wanted = {g.pk: s.letter for g in current for s in spec.service_groups if s.code == g.code}
    _make_room(current, "letter", wanted, lambda g: f"{g.pk % 100:02d}")
    by_code = {g.code: g for g in current}
    groups = {}
    for position, g in enumerate(spec.service_groups, 1):
        groups[g.code] = _upsert(ServiceGroup, {"center": center, "code": g.code}, {
            "name": g.name, "letter": g.letter, "average_service_minutes": g.average_service_minutes,
            "position": position}, report, "service_groups", by_code.get(g.code), look=False)
    return groups


def _load_counters(point: ServicePoint, spec: PointSpec, groups: dict[str, ServiceGroup],
                   agencies: dict[str, Agency], report: LoadReport) -> None:
    existing = {c.number: c for c in point.counters.prefetch_related("service_groups")}
    for counter_spec in spec.counters:
        wanted_groups = (list(groups.values()) if counter_spec.groups == "all"
                         else [groups[g] for g in counter_spec.groups])
        for number in counter_spec.expanded():
            before = existing.get(number)
            counter = _upsert(Counter, {"service_point": point, "number": number}, {
                "kind": counter_spec.kind, "agency": agencies.get(counter_spec.agency or ""),
                "lanes": counter_spec.lanes, "priority_only": counter_spec.priority_only,
                "planned_periods": _hhmm(counter_spec.planned_periods), "is_active": counter_spec.active}, report, "counters", before, look=False)
            wanted_pks = {g.pk for g in wanted_groups}
            if before is None or {g.pk for g in counter.service_groups.all()} != wanted_pks:
                counter.service_groups.set(wanted_groups)
                if before is not None:
                    report.updated["counter_groups"] += 1


def _deactivate_missing(center: Center, spec: CenterSpec, report: LoadReport) -> None:
    branch_codes = [b.code for b in spec.branches]
    point_codes = [p.code for b in spec.branches for p in b.service_points]
    report.deactivated["branches"] += (center.branches.filter(is_active=True).exclude(code__in=branch_codes)
                                       .update(is_active=False))
    report.deactivated["service_points"] += (ServicePoint.objects.filter(branch__center=center, is_active=True)
                                             .exclude(code__in=point_codes).update(is_active=False))
    for branch in spec.branches:
        for point in branch.service_points:
            numbers = [n for c in point.counters for n in c.expanded()]
            stale = Counter.objects.filter(service_point__code=point.code, is_active=True).exclude(number__in=numbers)
            report.deactivated["counters"] += stale.update(is_active=False)



# --- everything at once ----------------------------------------------------------------------------

@transaction.atomic
def load_org_data(directory: Path, *, actor: Any = None) -> list[LoadReport]:
    """Load units, agencies and the center from a data/ folder (units/, org/agencies.yaml, org/center.yaml)."""
    directory = Path(directory)
    units = load_units(directory / "units", actor=actor)
    spec, _raw = read_center_spec(directory / "org" / "center.yaml")
    agencies = load_agencies(directory / "org" / "agencies.yaml", province_code=spec.province,
                             e_id_suffix=spec.e_id_suffix, actor=actor)
    return [units, agencies, load_center(directory / "org" / "center.yaml", actor=actor)]
