"""Factories for the organisation's rows that tests (and the benchmarks' fixtures) build a hall from.

Each function creates one kind of row with the values the halls of the tests share, so that a test
names only what matters to it: `make_counters(point, [1, 2], groups=[land], planned_periods=…)`.
`make_hall` builds the usual one: a center, its agency, a branch and a service point, the groups named.
"""

from collections.abc import Iterable, Sequence
from types import SimpleNamespace
from typing import Any

from motcua.org.models import (
    AdministrativeUnit,
    Agency,
    Branch,
    Center,
    Counter,
    ServiceGroup,
    ServicePoint,
)

HOURS = [["08:00", "12:00"], ["13:00", "17:00"]]

# The service groups the tests use: code -> (name, letter, average service minutes, position).
GROUPS = {
    "tu-phap": ("Tư pháp – Hộ tịch", "A", 10, 1),
    "dat-dai": ("Đất đai", "B", 12, 2),
}


def make_province(code: str = "01", name: str = "Thành phố Hà Nội") -> AdministrativeUnit:
    """The province (created once; a second call returns it)."""
    province, _created = AdministrativeUnit.objects.get_or_create(level="province", code=code, is_current=True,
                                                                  defaults={"name": name})
    return province


def make_center(code: str = "hanoi", **fields: Any) -> Center:
    """A center in Hà Nội with the default working hours (8:00–12:00, 13:00–17:00) unless told otherwise."""
    values: dict[str, Any] = {"name": "Trung tâm Phục vụ hành chính công Thành phố Hà Nội",
                              "short_name": "TTPVHCC Hà Nội", "e_id_suffix": "H26", "working_periods": HOURS}
    values.update(fields)
    values.setdefault("province", make_province())
    return Center.objects.create(code=code, **values)


def make_center_agency(code: str = "ttpvhcc", **fields: Any) -> Agency:
    """The center's own agency (officers without another agency belong to it)."""
    values: dict[str, Any] = {"name": "Trung tâm", "short_name": "TTPVHCC", "kind": Agency.Kind.CENTER,
                              "e_id": "000.00.01.H26"}
    values.update(fields)
    return Agency.objects.create(code=code, **values)


def make_branch(center: Center, number: int = 1, **fields: Any) -> Branch:
    values: dict[str, Any] = {"code": f"cn-{number}", "name": f"Chi nhánh số {number}"}
    values.update(fields)
    return Branch.objects.create(center=center, number=number, **values)


def make_point(branch: Branch, code: str | None = None, **fields: Any) -> ServicePoint:
    values: dict[str, Any] = {"name": "Điểm Cầu Giấy", "address": "Số 1 Cầu Giấy"}
    values.update(fields)
    return ServicePoint.objects.create(branch=branch, code=code or f"{branch.code}-cau-giay", **values)


def make_group(center: Center, code: str, **fields: Any) -> ServiceGroup:
    """A service group; `tu-phap` (A) and `dat-dai` (B) come with their usual name, letter and times."""
    name, letter, minutes, position = GROUPS.get(code, (code, code[:1].upper(), 12, 0))
    values: dict[str, Any] = {"name": name, "letter": letter, "average_service_minutes": minutes,
                              "position": position}
    values.update(fields)
    return ServiceGroup.objects.create(center=center, code=code, **values)


def make_counter(point: ServicePoint, number: int, groups: Iterable[ServiceGroup] = (), **fields: Any) -> Counter:
    """One counter (an intake counter serving all lanes unless told otherwise) serving `groups`."""
    counter = Counter.objects.create(service_point=point, number=number, **fields)
    groups = list(groups)
    if groups:
        counter.service_groups.set(groups)
    return counter


def make_counters(point: ServicePoint, numbers: Iterable[int], groups: Iterable[ServiceGroup] = (),
                  **fields: Any) -> list[Counter]:
    """Counters numbered `numbers`, alike (same groups, same fields)."""
    groups = list(groups)
    return [make_counter(point, number, groups, **fields) for number in numbers]


def make_hall(*, groups: Sequence[str] = ("dat-dai", "tu-phap"), group_fields: dict[str, dict] | None = None,
              center_fields: dict | None = None, point_code: str | None = None) -> SimpleNamespace:
    """A center with its agency, branch 1 and one service point, and the service groups `groups` (no counter).

    Returns center, agency, branch, point and `group[code]`; `group_fields` overrides a group's values.
    """
    center = make_center(**(center_fields or {}))
    agency = make_center_agency()
    branch = make_branch(center, 1)
    point = make_point(branch, point_code)
    made = {code: make_group(center, code, **(group_fields or {}).get(code, {})) for code in groups}
    return SimpleNamespace(center=center, agency=agency, branch=branch, point=point, group=made)
