"""Counters planned per service group and hour for a day, by a layer above the queue (the staffing planner).

The queue cannot import the planner (it depends on the queue), so the planner registers a source here
(`register_plan_source`, from its AppConfig.ready). When a source knows a plan for (point, group, day),
the booking slots' capacity and the capacity guarantee count that plan's counters instead of the counters'
planned hours (docs/queue.md, "A saved staffing plan").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

PlanSource = Callable[
    [int, int, dt.date], dict[int, int] | None
]  # (point id, group id, day) -> hour -> counters

_sources: list[PlanSource] = []


def register_plan_source(source: PlanSource) -> None:
    if source not in _sources:
        _sources.append(source)


def planned_counters(point_id: int, group_id: int, day: dt.date) -> dict[int, int] | None:
    """hour (8 for 08:00–09:00) -> counters planned for the group, or None when no plan is saved."""
    for source in _sources:
        plan = source(point_id, group_id, day)
        if plan is not None:
            return plan
    return None


def counters_for(plan: dict[int, int], start: dt.datetime, end: dt.datetime, tz) -> int:
    """The counters a plan gives for the whole of [start, end): the fewest of the hours it touches."""
    first, last = start.astimezone(tz), (end - dt.timedelta(microseconds=1)).astimezone(tz)
    return min(plan.get(hour, 0) for hour in range(first.hour, last.hour + 1))


def minutes_left(plan: dict[int, int], periods, now: dt.datetime, tz) -> float:
    """Counter-minutes the plan still gives today: each hour's counters × its working minutes after `now`."""
    total = 0.0
    for start, end in periods:
        moment = max(start, now)
        while moment < end:
            local = moment.astimezone(tz)
            hour_end = local.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
            stop = min(end, hour_end)
            total += plan.get(local.hour, 0) * (stop - moment).total_seconds() / 60
            moment = stop
    return total
