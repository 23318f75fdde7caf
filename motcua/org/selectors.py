"""Read queries over the organisation."""

from django.db.models import Count, Prefetch, QuerySet

from .models import AdministrativeUnit, Agency, Branch, Counter, ServicePoint


def list_branches(*, active_only: bool = True) -> QuerySet[Branch]:
    branches = Branch.objects.select_related("center").annotate(
        service_point_count=Count("service_points", distinct=True),
        counter_count=Count("service_points__counters", distinct=True),
    )
    return branches.filter(is_active=True) if active_only else branches


def get_branch(code: str) -> Branch | None:
    return list_branches(active_only=False).filter(code=code).first()


def list_service_points(*, branch_code: str | None = None, active_only: bool = True) -> QuerySet[ServicePoint]:
    points = ServicePoint.objects.select_related("branch", "commune").prefetch_related(
        Prefetch("counters", queryset=Counter.objects.filter(is_active=True)
                 .prefetch_related("service_groups").order_by("number")),
    )
    if active_only:
        points = points.filter(is_active=True, branch__is_active=True)
    if branch_code:
        points = points.filter(branch__code=branch_code)
    return points


def default_service_point(branch_id: int | None) -> ServicePoint | None:
    """A branch's first active service point (by code): where its dossiers are received when none is named."""
    if branch_id is None:
        return None
    return ServicePoint.objects.filter(branch_id=branch_id, is_active=True).order_by("code").first()


def service_groups_of(point: ServicePoint) -> list:
    """The service groups served at a point: the union of its counters' groups, in display order."""
    groups = {g.pk: g for counter in point.counters.all() for g in counter.service_groups.all()}
    return sorted(groups.values(), key=lambda g: (g.position, g.code))


def list_agencies(*, kind: str | None = None) -> QuerySet[Agency]:
    agencies = Agency.objects.filter(is_active=True).select_related("commune")
    return agencies.filter(kind=kind) if kind else agencies


def list_units(*, level: str | None = None, parent_code: str | None = None, current: bool = True,
               q: str | None = None) -> QuerySet[AdministrativeUnit]:
    units = AdministrativeUnit.objects.filter(is_current=current).select_related("parent")
    if level:
        units = units.filter(level=level)
    if parent_code:
        units = units.filter(parent__code=parent_code)
    if q:
        units = units.filter(name__icontains=q)
    return units
