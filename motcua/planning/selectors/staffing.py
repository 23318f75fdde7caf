"""The saved staffing plans: what booking capacity and the capacity guarantee follow."""

from __future__ import annotations

import datetime as dt

from motcua.planning.models import StaffingPlan, StaffingPlanHour


def saved_plan(point_id: int, day: dt.date) -> StaffingPlan | None:
    return (
        StaffingPlan.objects.select_related("saved_by")
        .prefetch_related("hours")
        .filter(service_point_id=point_id, day=day)
        .first()
    )


def saved_counters(point_id: int, group_id: int, day: dt.date) -> dict[int, int] | None:
    """hour -> counters of the saved plan for one group on `day`, or None when no plan names the group."""
    rows = StaffingPlanHour.objects.filter(plan__service_point_id=point_id, plan__day=day, group_id=group_id)
    hours = dict(rows.values_list("hour", "counters"))
    return hours or None
