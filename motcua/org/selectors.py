"""Read queries over the organisation."""

from django.conf import settings
from django.db.models import Count, Prefetch, QuerySet

from motcua.integrations.population_registry import PersonRecord

from .models import AdministrativeUnit, Agency, Branch, Center, Counter, Person, ServicePoint


def home_center() -> Center | None:
    """The installation's own center: the one `MOTCUA_CENTER_CODE` names, else the first loaded.

    Used where nothing else says which center acts (a dossier no branch has received yet, a complaint).
    """
    code = settings.MOTCUA.get("CENTER_CODE") or ""
    centers = Center.objects.select_related("province")
    return (centers.filter(code=code).first() if code else None) or centers.order_by("pk").first()


def slip_prefix_of(branch: Branch | None) -> str:
    """The numbering prefix of the branch's center (`Center.slip_prefix`), or of the home center.

    No statement when the caller has read the branch with its center (the intake path does).
    """
    if branch is not None and Branch.center.is_cached(branch):  # type: ignore[attr-defined]
        return branch.center.slip_prefix
    if branch is not None:
        return Center.objects.filter(pk=branch.center_id).values_list("slip_prefix", flat=True).first() or ""
    center = home_center()
    return center.slip_prefix if center is not None else ""


def list_branches(*, active_only: bool = True) -> QuerySet[Branch]:
    branches = Branch.objects.select_related("center").annotate(
        service_point_count=Count("service_points", distinct=True),
        counter_count=Count("service_points__counters", distinct=True),
    )
    return branches.filter(is_active=True) if active_only else branches


def get_branch(code: str) -> Branch | None:
    return list_branches(active_only=False).filter(code=code).first()


def list_service_points(*, branch_code: str | None = None, active_only: bool = True) -> QuerySet[ServicePoint]:
    points = ServicePoint.objects.select_related("branch__center", "commune").prefetch_related(
        Prefetch("counters", queryset=Counter.objects.filter(is_active=True)
                 .prefetch_related("service_groups").order_by("number")),
    )
    if active_only:
        points = points.filter(is_active=True, branch__is_active=True)
    if branch_code:
        points = points.filter(branch__code=branch_code)
    return points


def default_service_point(branch_id: int | None) -> ServicePoint | None:
    """A branch's first active service point (by code), with its branch and center: where its dossiers
    are received when none is named."""
    if branch_id is None:
        return None
    return (ServicePoint.objects.select_related("branch__center").filter(branch_id=branch_id, is_active=True)
            .order_by("code").first())


def intake_counters(point: ServicePoint, group=None, *, regular: bool = True) -> QuerySet[Counter]:
    """The active intake counters of `point` (serving `group`): the counters that call a group's numbers.

    `regular`: without the counters reserved for priority cases, whose time is not the group's to count
    on. Fee, result, consultation and digitisation counters never serve a group's queue.
    """
    counters = Counter.objects.filter(service_point=point, is_active=True, kind=Counter.Kind.RECEPTION)
    if regular:
        counters = counters.filter(priority_only=False)
    if group is not None:
        counters = counters.filter(service_groups=group)
    return counters.distinct()


def planned_periods_of(counter: Counter, center: Center | None = None) -> list[list[str]]:
    """The counter's planned hours as [["08:00", "12:00"], …] (the center's working hours when it has none)."""
    return [[start.strftime("%H:%M"), end.strftime("%H:%M")] for start, end in counter.periods(center)]


def serves_group(counter: Counter) -> bool:
    """Whether the counter calls the numbers of its groups (intake), rather than only numbers sent to it."""
    return counter.kind == Counter.Kind.RECEPTION


def service_groups_of(point: ServicePoint) -> list:
    """The service groups served at a point: the groups of its regular intake counters, in display order."""
    groups = {g.pk: g for counter in point.counters.all() if serves_group(counter) and not counter.priority_only
              for g in counter.service_groups.all()}
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


def person_record(national_id: str) -> PersonRecord | None:
    """A person known to the center as the population registry would describe them (the local fake's source)."""
    person = Person.objects.select_related("commune").filter(national_id=national_id).first()
    if person is None:
        return None
    return PersonRecord(
        national_id=person.national_id,
        full_name=person.full_name,
        birth_date=person.birth_date,
        gender=person.gender,
        commune_code=person.commune.code if person.commune else "",
        address=person.address,
    )
