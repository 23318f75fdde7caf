"""The wait estimates report for branch leaders: the estimator against the naive rule on real tickets."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from motcua.core.errors import DomainError, PermissionDenied, page_status

from ..selectors import estimates


@login_required
def wait_estimates(request):
    """`/planning/estimates/?point=&from=&to=`: per group and day, MAE of both estimates; the leader's own points."""
    points = estimates.points_for(request.user)
    if not points:
        error = PermissionDenied(
            _("Chỉ lãnh đạo chi nhánh, giám đốc trung tâm và quản trị viên xem được báo cáo này.")
        )
        return render(request, "planning/estimates_forbidden.html", {"error": error}, status=403)
    wanted = request.GET.get("point", "")
    point = next((p for p in points if str(p.pk) == wanted), points[0])
    context = {
        "points": points,
        "point": point,
        "error": None,
        "report": None,
        "start": request.GET.get("from", ""),
        "end": request.GET.get("to", ""),
    }
    try:
        period = estimates.period_of(request.GET.get("from"), request.GET.get("to"))
    except DomainError as error:
        context["error"] = error
        return render(request, "planning/estimates.html", context, status=page_status(error, error.status))
    context.update(
        report=estimates.report(point, period), start=period.start.isoformat(), end=period.end.isoformat()
    )
    return render(request, "planning/estimates.html", context)
