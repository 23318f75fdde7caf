"""The staffing planner page /planning/staffing/ for the branch's leaders: the day's plan, its charts, saving it,
what one counter more or less changes, and after the day the plan beside what happened."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from motcua.core import clock
from motcua.core.errors import DomainError, PermissionDenied, page_status
from motcua.org.calendars import calendar_for
from motcua.org.models import ServicePoint
from motcua.planning import policies
from motcua.planning.services import staffing


def _points(user) -> list[ServicePoint]:
    points = (
        ServicePoint.objects.filter(is_active=True)
        .select_related("branch__center")
        .order_by("branch__number", "code")
    )
    return [p for p in points if policies.can(user, "plan_staffing", p)]


def _next_working_day(point: ServicePoint) -> dt.date:
    calendar = calendar_for(point.branch.center)
    day = clock.today() + dt.timedelta(days=1)
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def _chart(plan) -> dict:
    labels = [f"{h:02d}:00" for h in plan.hours]
    groups = []
    for g in plan.groups:
        by_hour = {h.hour: h for h in g.hours}
        groups.append(
            {
                "name": f"{g.group.letter} – {g.group.name}",
                "counters": [by_hour[h].counters if h in by_hour else 0 for h in plan.hours],
                "wait": [
                    round(by_hour[h].expected.mean_wait, 1)
                    if h in by_hour and by_hour[h].expected.mean_wait is not None
                    else None
                    for h in plan.hours
                ],
                "queue": [
                    round(by_hour[h].expected.queue_length, 1) if h in by_hour else None for h in plan.hours
                ],
                "utilisation": [
                    round(100 * by_hour[h].expected.utilisation)
                    if h in by_hour and by_hour[h].expected.utilisation is not None
                    else None
                    for h in plan.hours
                ],
            }
        )
    return {
        "labels": labels,
        "groups": groups,
        "names": {
            "counters": _("Số quầy"),
            "wait": _("Chờ trung bình (phút)"),
            "queue": _("Số người chờ trung bình"),
            "utilisation": _("Công suất quầy (%)"),
        },
    }


@login_required
def staffing_page(request):
    points = _points(request.user)
    if not points:
        error = PermissionDenied(
            _("Chỉ lãnh đạo chi nhánh được lập kế hoạch bố trí quầy."), code="not_branch_leader"
        )
        return render(request, "planning/staffing_forbidden.html", {"error": error}, status=403)
    point = next((p for p in points if str(p.pk) == request.GET.get("point", "")), points[0])
    try:
        day = dt.date.fromisoformat(request.GET.get("date", "")) if request.GET.get("date") else None
    except ValueError:
        day = None
    day = day or _next_working_day(point)
    context = {"points": points, "point": point, "day": day, "today": clock.today()}
    if request.method == "POST":
        counters: dict[int, dict[int, int]] = {}
        for key, value in request.POST.items():
            parts = key.split("-")
            if len(parts) == 3 and parts[0] == "c" and parts[1].isdigit() and parts[2].isdigit():
                try:
                    counters.setdefault(int(parts[1]), {})[int(parts[2])] = int(value)
                except ValueError:
                    counters.setdefault(int(parts[1]), {})[int(parts[2])] = -1
        try:
            staffing.save_staffing_plan(request.user, point, day, counters)
        except DomainError as error:
            context["error"] = error
        else:
            messages.success(
                request,
                _(
                    "Đã lưu kế hoạch bố trí quầy ngày %(day)s. Số chỗ đặt lịch và giới hạn cấp số "
                    "trong ngày theo kế hoạch này."
                )
                % {"day": f"{day:%d/%m/%Y}"},
            )
            return redirect(f"{reverse('planning-staffing')}?point={point.pk}&date={day.isoformat()}")
    try:
        plan = staffing.staffing_plan(request.user, point, day)
        context.update(
            plan=plan,
            chart=_chart(plan),
            editable=day >= clock.today(),
            target_percent=round(plan.target.share * 100),
        )
        changes_for = request.GET.get("changes", "")
        if changes_for.isdigit():
            group = next((g for g in plan.groups if g.group.pk == int(changes_for)), None)
            if group is not None:
                changes = staffing.one_counter_changes(request.user, point, day, group.group.pk)
                by_hour = {h.hour: h for h in group.hours}
                context["changes"] = {
                    "group": group,
                    "rows": [
                        {
                            "hour": f"{hour:02d}:00",
                            "now": by_hour[hour],
                            "more": next((c for c in changes if c.hour == hour and c.delta == 1), None),
                            "less": next((c for c in changes if c.hour == hour and c.delta == -1), None),
                        }
                        for hour in sorted(by_hour)
                    ],
                }
        if day <= clock.today():
            context["actual"] = staffing.plan_against_actual(request.user, point, day)
    except DomainError as error:
        context["error"] = error
        return render(request, "planning/staffing.html", context, status=page_status(error, 422))
    return render(request, "planning/staffing.html", context, status=422 if "error" in context else 200)
