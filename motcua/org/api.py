"""Public API of the organisation: branches, service points (with groups and counters), units."""

from decimal import Decimal

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema

from motcua.core.errors import NotFound

from . import selectors

router = Router(tags=["organisation"])


class BranchOut(Schema):
    code: str
    number: int
    name: str
    phone: str
    service_point_count: int
    counter_count: int


class GroupOut(Schema):
    code: str
    name: str
    letter: str


class ServicePointCounterOut(Schema):
    id: int
    number: int
    kind: str
    kind_label: str
    service_groups: list[str]
    lanes: str
    priority_only: bool
    planned_periods: list[list[str]] = Field(
        description='Planned hours of a working day, e.g. [["08:00", "12:00"]]; the center\'s working hours '
                    'when the counter has none of its own.')


class ServicePointOut(Schema):
    id: int
    code: str
    name: str
    branch: str
    address: str
    commune: str | None
    latitude: Decimal | None
    longitude: Decimal | None
    service_groups: list[GroupOut]
    counters: list[ServicePointCounterOut]


class UnitOut(Schema):
    code: str
    name: str
    level: str
    kind: str
    parent: str | None


def _service_point_out(point) -> ServicePointOut:
    return ServicePointOut(
        id=point.pk, code=point.code, name=point.name, branch=point.branch.code, address=point.address,
        commune=point.commune.name if point.commune else None, latitude=point.latitude,
        longitude=point.longitude,
        service_groups=[GroupOut(code=g.code, name=g.name, letter=g.letter)
                        for g in selectors.service_groups_of(point)],
        counters=[ServicePointCounterOut(id=c.pk, number=c.number, kind=c.kind, kind_label=str(c.get_kind_display()),
                                         service_groups=[g.code for g in c.service_groups.all()], lanes=c.lanes,
                                         priority_only=c.priority_only,
                                         planned_periods=selectors.planned_periods_of(c, point.branch.center))
                  for c in point.counters.all()],
    )


@router.get("/branches", response=list[BranchOut], auth=None, summary="Branches of the center")
def list_branches(request):
    return list(selectors.list_branches())


@router.get("/branches/{code}", response=BranchOut, auth=None, summary="One branch")
def get_branch(request, code: str):
    branch = selectors.get_branch(code)
    if branch is None:
        raise NotFound(_("Không có chi nhánh này."))
    return branch


@router.get("/service-points", response=list[ServicePointOut], auth=None,
            summary="Service points with their service groups and counters")
def list_service_points(request, branch: str | None = None):
    return [_service_point_out(p) for p in selectors.list_service_points(branch_code=branch)]


@router.get("/service-points/{point_id}", response=ServicePointOut, auth=None, summary="One service point")
def get_service_point(request, point_id: int):
    return _service_point_out(get_object_or_404(selectors.list_service_points(), pk=point_id))


@router.get("/units", response=list[UnitOut], auth=None, summary="Administrative units (province, commune)")
def list_units(request, level: str | None = None, parent: str | None = None, q: str | None = None,
               current: bool = True):
    return [UnitOut(code=u.code, name=u.name, level=u.level, kind=u.kind,
                    parent=u.parent.code if u.parent else None)
            for u in selectors.list_units(level=level, parent_code=parent, q=q, current=current)]
