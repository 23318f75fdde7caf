"""`GET /api/service-points/{id}/wait-estimates?from=&to=`: the wait estimates judged on real waits."""

from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from motcua.core.api import ErrorOut, authenticated
from motcua.core.errors import NotFound, PermissionDenied
from motcua.org.models import ServicePoint

from ..selectors import estimates

router = Router(tags=["planning"])


class AccuracyOut(Schema):
    tickets: int = Field(description="tickets called with both estimates at issue")
    estimator_mae: float | None = Field(description="mean absolute error of the estimate shown, minutes")
    naive_mae: float | None = Field(
        description="the same of the naive estimate: queue × average ÷ open counters"
    )
    ratio: float | None = Field(description="estimator_mae ÷ naive_mae; below 1: the estimator is better")
    estimator_bias: float | None = Field(
        description="mean of estimate − real wait, minutes (negative: too short)"
    )


class DisplaysOut(Schema):
    count: int
    mae: float | None = Field(description="error of later displays against the time left until the call")
    max_step: float | None = Field(description="largest change between two displays beyond the time passed")


class EstimateGroupOut(Schema):
    letter: str
    name: str
    accuracy: AccuracyOut
    displays: DisplaysOut


class EstimateDayOut(Schema):
    day: str
    letter: str
    accuracy: AccuracyOut


class WaitEstimatesOut(Schema):
    service_point: int
    period_from: str
    period_to: str
    total: AccuracyOut
    displays: DisplaysOut
    groups: list[EstimateGroupOut]
    days: list[EstimateDayOut]


class PeriodQuery(Schema):
    # Declared for the schema; read from the query string as given (`from` is a Python keyword).
    period_from: str | None = Field(
        None, alias="from", description="YYYY-MM-DD (default: the month's first day)"
    )
    period_to: str | None = Field(None, alias="to", description="YYYY-MM-DD, inclusive (default: today)")


def _accuracy(a: estimates.Accuracy) -> dict:
    return {
        "tickets": a.tickets,
        "estimator_mae": a.estimator_mae,
        "naive_mae": a.naive_mae,
        "ratio": a.ratio,
        "estimator_bias": a.estimator_bias,
    }


def _displays(d: estimates.Displays) -> dict:
    return {"count": d.count, "mae": d.mae, "max_step": d.max_step}


@router.get(
    "/service-points/{point_id}/wait-estimates",
    auth=authenticated,
    response={200: WaitEstimatesOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    url_name="planning_wait_estimates",
    summary="The point's wait estimates judged on real waits, per group and day (the branch's leaders)",
    operation_id="motcua_planning_api_wait_estimates",
)
def wait_estimates(request, point_id: int, filters: Query[PeriodQuery]):
    point = ServicePoint.objects.select_related("branch").filter(pk=point_id, is_active=True).first()
    if point is None:
        raise NotFound(_("Không có điểm tiếp nhận này."), code="service_point_not_found")
    if not estimates.can_view(request.user, point):
        raise PermissionDenied(
            _("Chỉ lãnh đạo chi nhánh, giám đốc trung tâm và quản trị viên xem được báo cáo này.")
        )
    report = estimates.report(point, estimates.period_of(request.GET.get("from"), request.GET.get("to")))
    return {
        "service_point": point.pk,
        "period_from": report.period.start.isoformat(),
        "period_to": report.period.end.isoformat(),
        "total": _accuracy(report.total),
        "displays": _displays(report.displays),
        "groups": [
            {
                "letter": r.group.letter,
                "name": r.group.name,
                "accuracy": _accuracy(r.accuracy),
                "displays": _displays(r.displays),
            }
            for r in report.groups
        ],
        "days": [
            {"day": r.day.isoformat(), "letter": r.group.letter, "accuracy": _accuracy(r.accuracy)}
            for r in report.days
        ],
    }
