"""The planning API: a service point's staffing plan (GET, PUT /api/service-points/{id}/staffing-plan)."""

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Router, Schema

from motcua.core.api import ErrorOut, authenticated
from motcua.core.errors import NotFound
from motcua.org.models import ServicePoint
from motcua.planning.services import staffing

router = Router(tags=["planning"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


class StaffingExpectedOut(Schema):
    arrivals: float
    served: float
    sent_home: float
    mean_wait_minutes: float | None
    p90_wait_minutes: float | None
    within_target: float | None
    queue_length: float | None = None
    utilisation: float | None


class StaffingHourOut(Schema):
    hour: str  # "08:00": the hour from 08:00 to 09:00
    counters: int
    recommended: int
    available: int
    expected: StaffingExpectedOut


class StaffingGroupOut(Schema):
    id: int
    code: str
    letter: str
    name: str
    hours: list[StaffingHourOut]
    day: StaffingExpectedOut
    short_hours: list[str]


class StaffingTargetOut(Schema):
    minutes: float
    share: float


class StaffingPlanOut(Schema):
    service_point: int
    date: dt.date
    target: StaffingTargetOut
    saved: bool
    saved_at: dt.datetime | None
    groups: list[StaffingGroupOut]


class StaffingHourIn(Schema):
    hour: str
    counters: int


class StaffingGroupIn(Schema):
    id: int
    hours: list[StaffingHourIn]


class StaffingPlanIn(Schema):
    groups: list[StaffingGroupIn]


def _expected(result) -> StaffingExpectedOut:
    return StaffingExpectedOut(
        arrivals=round(result.arrivals, 2),
        served=round(result.served, 2),
        sent_home=round(result.sent_home, 2),
        mean_wait_minutes=_round(result.mean_wait),
        p90_wait_minutes=_round(result.p90_wait),
        within_target=_round(result.within_target, 3),
        queue_length=_round(getattr(result, "queue_length", None)),
        utilisation=_round(result.utilisation, 3),
    )


def _round(value, digits: int = 1):
    return None if value is None else round(value, digits)


def plan_out(plan) -> StaffingPlanOut:
    return StaffingPlanOut(
        service_point=plan.point.pk,
        date=plan.day,
        target=StaffingTargetOut(minutes=plan.target.minutes, share=plan.target.share),
        saved=plan.saved is not None,
        saved_at=plan.saved.saved_at if plan.saved else None,
        groups=[
            StaffingGroupOut(
                id=g.group.pk,
                code=g.group.code,
                letter=g.group.letter,
                name=g.group.name,
                hours=[
                    StaffingHourOut(
                        hour=h.label,
                        counters=h.counters,
                        recommended=h.recommended,
                        available=h.available,
                        expected=_expected(h.expected),
                    )
                    for h in g.hours
                ],
                day=_expected(g.day),
                short_hours=[f"{h:02d}:00" for h in g.short],
            )
            for g in plan.groups
        ],
    )


def _point(point_id: int) -> ServicePoint:
    point = ServicePoint.objects.select_related("branch__center").filter(pk=point_id, is_active=True).first()
    if point is None:
        raise NotFound(_("Không có điểm tiếp nhận này."), code="service_point_not_found")
    return point


def _hour(value: str) -> int:
    try:
        parsed = dt.time.fromisoformat(value)
    except ValueError:
        return -1
    return parsed.hour if parsed.minute == 0 else -1


@router.get(
    "/service-points/{point_id}/staffing-plan",
    response={200: StaffingPlanOut, **ERRORS},
    auth=authenticated,
    summary="The staffing plan of a day per group and hour, with the expected waits",
)
def get_staffing_plan(request, point_id: int, date: dt.date):
    """The saved plan of the day, or the recommendation when none is saved (the branch's leaders)."""
    return plan_out(staffing.staffing_plan(request.user, _point(point_id), date))


@router.put(
    "/service-points/{point_id}/staffing-plan",
    response={200: StaffingPlanOut, **ERRORS},
    auth=authenticated,
    summary="Save the staffing plan of a day (booking capacity follows it)",
)
def put_staffing_plan(request, point_id: int, date: dt.date, payload: StaffingPlanIn):
    counters = {g.id: {_hour(h.hour): h.counters for h in g.hours} for g in payload.groups}
    return plan_out(staffing.save_staffing_plan(request.user, _point(point_id), date, counters))
