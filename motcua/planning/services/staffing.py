"""The staffing planner's use cases: the recommended plan of a day, saving the leader's plan, plan against actual.

A day is planned group by group from the point's own history (`planning.selectors.history`), simulated
`MOTCUA_PLANNING_RUNS` times per plan (`planning.simulation`). Results are cached by their inputs: a new
booking or a new day of history gives new inputs, hence a new simulation.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.translation import gettext as _

from motcua.core import clock
from motcua.core.audit import record_event
from motcua.core.errors import ValidationFailed
from motcua.org.calendars import calendar_for
from motcua.org.models import ServiceGroup, ServicePoint
from motcua.planning import policies, simulation
from motcua.planning.models import StaffingPlan, StaffingPlanHour
from motcua.planning.selectors import history as history_selectors
from motcua.planning.selectors.history import GroupHistory
from motcua.planning.selectors.staffing import saved_plan
from motcua.planning.simulation import DayResult, HourResult, WaitTarget
from motcua.queueing.models import Ticket

MAX_COUNTERS = 99
CACHE_SECONDS = 3600
_TARGET = re.compile(r"^\s*(\d{1,3})\s*%?\s*/\s*(\d{1,3})\s*$")


def wait_target() -> WaitTarget:
    """MOTCUA_PLANNING_WAIT_TARGET, "90%/15": 90% of citizens called within 15 minutes."""
    value = str(settings.MOTCUA_PLANNING_WAIT_TARGET)
    match = _TARGET.match(value)
    if not match or not 1 <= int(match[1]) <= 100 or not 1 <= int(match[2]):
        raise ImproperlyConfigured(f"MOTCUA_PLANNING_WAIT_TARGET must look like 90%/15, not {value!r}")
    return WaitTarget(minutes=int(match[2]), share=int(match[1]) / 100)


def runs() -> int:
    return max(1, int(settings.MOTCUA_PLANNING_RUNS))


class DayOff(ValidationFailed):
    code = "day_off"


@dataclass
class PlannedHour:
    hour: int
    counters: int  # the saved plan's, or the recommendation's when nothing is saved
    recommended: int
    available: int  # counters planned for the group then (their officers' hours)
    expected: HourResult  # of `counters`

    @property
    def label(self) -> str:
        return f"{self.hour:02d}:00"


@dataclass
class GroupPlan:
    group: ServiceGroup
    history: GroupHistory
    hours: list[PlannedHour]
    day: DayResult  # of the counters planned
    recommended_day: DayResult
    short: list[int]  # hours the available counters cannot bring to the target


@dataclass
class PointPlan:
    point: ServicePoint
    day: dt.date
    target: WaitTarget
    groups: list[GroupPlan]
    saved: StaffingPlan | None
    hours: list[int] = field(default_factory=list)

    def total(self, hour: int) -> int:
        return sum(h.counters for g in self.groups for h in g.hours if h.hour == hour)


def _cached(kind: str, inputs: Any, compute):
    key = (
        "planning:"
        + kind
        + ":"
        + hashlib.sha256(json.dumps(inputs, sort_keys=True, default=str).encode()).hexdigest()
    )
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


def _inputs(history: GroupHistory, target: WaitTarget, n: int, plan: Any = None) -> dict:
    return {
        "day": asdict(history.day),
        "available": history.available,
        "target": asdict(target),
        "runs": n,
        "plan": plan,
        "seed": history.group.pk,
    }


def _recommend(history: GroupHistory, target: WaitTarget) -> simulation.Recommendation:
    n = runs()
    return _cached(
        "recommend",
        _inputs(history, target, n),
        lambda: simulation.recommend(
            history.day, history.available, target=target, runs=n, seed=history.group.pk
        ),
    )


def _simulate(history: GroupHistory, plan: dict[int, int], target: WaitTarget) -> DayResult:
    n = runs()
    return _cached(
        "simulate",
        _inputs(history, target, n, plan),
        lambda: simulation.simulate_day(history.day, plan, target=target, runs=n, seed=history.group.pk),
    )


def _histories(point: ServicePoint, day: dt.date) -> list[GroupHistory]:
    histories = history_selectors.point_history(point, day)
    if not histories and not calendar_for(point.branch.center).is_working_day(day):
        raise DayOff(
            _("Ngày %(day)s là ngày nghỉ: không có kế hoạch bố trí quầy.") % {"day": f"{day:%d/%m/%Y}"},
            details={"field": "date"},
        )
    return histories


def staffing_plan(user, point: ServicePoint, day: dt.date) -> PointPlan:
    """The day's plan per group and hour: the saved one (or the recommendation), with its expected waits."""
    policies.check(user, "plan_staffing", point)
    target = wait_target()
    saved = saved_plan(point.pk, day)
    saved_hours = {(h.group_id, h.hour): h.counters for h in saved.hours.all()} if saved else {}
    groups = []
    for history in _histories(point, day):
        recommendation = _recommend(history, target)
        hours = history.day.hours
        if saved is not None and any(key[0] == history.group.pk for key in saved_hours):
            plan = {h: saved_hours.get((history.group.pk, h), 0) for h in hours}
            result = (
                _simulate(history, plan, target) if plan != recommendation.plan else recommendation.result
            )
        else:
            plan, result = dict(recommendation.plan), recommendation.result
        groups.append(
            GroupPlan(
                group=history.group,
                history=history,
                day=result,
                recommended_day=recommendation.result,
                short=recommendation.short,
                hours=[
                    PlannedHour(
                        h, plan[h], recommendation.plan[h], history.available.get(h, 0), result.hours[h]
                    )
                    for h in hours
                ],
            )
        )
    all_hours = sorted({h.hour for g in groups for h in g.hours})
    return PointPlan(point=point, day=day, target=target, groups=groups, saved=saved, hours=all_hours)


def one_counter_changes(user, point: ServicePoint, day: dt.date, group_id: int) -> list[simulation.Change]:
    """What one counter more or less in each hour would change for one group of the day's plan."""
    plan = staffing_plan(user, point, day)
    found = next((g for g in plan.groups if g.group.pk == group_id), None)
    if found is None:
        raise ValidationFailed(
            _("Nhóm dịch vụ không được phục vụ tại điểm này."),
            code="group_not_served",
            details={"field": "group"},
        )
    counters = {h.hour: h.counters for h in found.hours}
    target, n = plan.target, runs()
    return _cached(
        "changes",
        _inputs(found.history, target, n, counters),
        lambda: simulation.one_counter_changes(
            found.history.day, counters, target=target, runs=n, seed=found.group.pk
        ),
    )


def _expected_json(result: DayResult) -> dict:
    def figures(r: Any) -> dict:
        return {
            "arrivals": r.arrivals,
            "served": r.served,
            "sent_home": r.sent_home,
            "mean_wait": r.mean_wait,
            "within_target": r.within_target,
            "utilisation": r.utilisation,
        }

    return {
        "day": figures(result),
        "hours": {str(h): {**figures(r), "queue_length": r.queue_length} for h, r in result.hours.items()},
    }


@transaction.atomic
def save_staffing_plan(
    user, point: ServicePoint, day: dt.date, counters: dict[int, dict[int, int]]
) -> PointPlan:
    """Save the leader's counters per group (id) and hour for `day`; booking and the capacity guarantee follow it.

    Every group served at the point and every working hour of the day must be given (0 is a value).
    """
    policies.check(user, "plan_staffing", point)
    if day < clock.today():
        raise ValidationFailed(
            _("Không sửa được kế hoạch của ngày đã qua."), code="day_past", details={"field": "date"}
        )
    target = wait_target()
    histories = _histories(point, day)
    problems = []
    by_group = {h.group.pk: h for h in histories}
    for group_id in counters:
        if group_id not in by_group:
            problems.append(
                {
                    "field": "groups",
                    "group": group_id,
                    "message": _("Nhóm dịch vụ không được phục vụ tại điểm này."),
                }
            )
    for history in histories:
        given = counters.get(history.group.pk)
        hours = history.day.hours
        if given is None or set(given) != set(hours):
            problems.append(
                {
                    "field": "groups",
                    "group": history.group.pk,
                    "message": _("Cần số quầy cho từng giờ làm việc: %(hours)s.")
                    % {"hours": ", ".join(f"{h:02d}:00" for h in hours)},
                }
            )
        elif any(not isinstance(n, int) or not 0 <= n <= MAX_COUNTERS for n in given.values()):
            problems.append(
                {
                    "field": "groups",
                    "group": history.group.pk,
                    "message": _("Số quầy mỗi giờ từ 0 đến %(max)d.") % {"max": MAX_COUNTERS},
                }
            )
    if problems:
        raise ValidationFailed(_("Kế hoạch chưa hợp lệ."), code="plan_invalid", details=problems)
    values = {
        "wait_target_minutes": int(target.minutes),
        "wait_target_percent": round(target.share * 100),
        "saved_by": user if getattr(user, "is_authenticated", False) else None,
        "saved_at": clock.now(),
    }
    # Two leaders saving at once: one row (get_or_create survives the unique constraint), then one after the other.
    created, _new = StaffingPlan.objects.get_or_create(service_point=point, day=day, defaults=values)
    plan = StaffingPlan.objects.select_for_update().get(pk=created.pk)
    for key, value in values.items():
        setattr(plan, key, value)
    plan.expected = {
        str(h.group.pk): _expected_json(_simulate(h, counters[h.group.pk], target)) for h in histories
    }
    plan.save()
    StaffingPlanHour.objects.filter(plan=plan).delete()
    StaffingPlanHour.objects.bulk_create(
        [
            StaffingPlanHour(plan=plan, group_id=group_id, hour=hour, counters=n)
            for group_id, hours in counters.items()
            for hour, n in hours.items()
        ]
    )
    record_event(
        user,
        "staffing_plan.saved",
        "planning.StaffingPlan",
        plan.pk,
        data={
            "service_point": point.pk,
            "day": day.isoformat(),
            "counters": {str(g): {str(h): n for h, n in hours.items()} for g, hours in counters.items()},
        },
    )
    return staffing_plan(user, point, day)


# --- after the day ----------------------------------------------------------------------------------


@dataclass
class ActualHour:
    hour: int
    planned: int | None
    expected_mean_wait: float | None
    expected_within: float | None
    expected_served: float | None
    arrivals: int
    served: int
    sent_home: int  # numbers left unserved at the end of the day
    mean_wait: float | None
    within_target: float | None


@dataclass
class ActualGroup:
    group: ServiceGroup
    hours: list[ActualHour]
    arrivals: int
    served: int
    sent_home: int
    mean_wait: float | None
    within_target: float | None
    expected_mean_wait: float | None
    expected_within: float | None


def plan_against_actual(user, point: ServicePoint, day: dt.date) -> list[ActualGroup]:
    """The saved plan (and what it expected) beside what happened, per group and hour (a day that has begun).

    A ticket's wait runs from its issue (a booked ticket: from its slot, if later) to its first call; the
    hour is that of the issue (of the slot). Sent home: numbers never called and not served that day.
    """
    policies.check(user, "plan_staffing", point)
    target = wait_target()
    calendar = calendar_for(point.branch.center)
    tz = calendar.tz
    saved = saved_plan(point.pk, day)
    planned = {(h.group_id, h.hour): h.counters for h in saved.hours.all()} if saved else {}
    expected = saved.expected if saved else {}
    tickets = Ticket.objects.filter(service_point=point, day=day).select_related("group")
    rows: dict[int, dict[int, list[Ticket]]] = {}
    for ticket in tickets:
        since = max(ticket.issued_at, ticket.booked_for) if ticket.booked_for else ticket.issued_at
        rows.setdefault(ticket.group_id, {}).setdefault(since.astimezone(tz).hour, []).append(ticket)
    hours_of_day = sorted(
        {
            h
            for s, e in calendar.working_periods(day)
            for h in range(s.astimezone(tz).hour, (e - dt.timedelta(seconds=1)).astimezone(tz).hour + 1)
        }
    )
    groups = {g.pk: g for g in ServiceGroup.objects.filter(pk__in=set(rows) | {g for g, _h in planned})}
    result = []
    for group in sorted(groups.values(), key=lambda g: (g.position, g.code)):
        mine = rows.get(group.pk, {})
        hours = sorted(set(hours_of_day) | set(mine))
        exp = expected.get(str(group.pk), {})
        lines, all_waits = [], []
        totals = {"arrivals": 0, "served": 0, "sent_home": 0, "within": 0, "counted": 0}
        for hour in hours:
            waits, served, sent_home, no_show = [], 0, 0, 0
            for ticket in mine.get(hour, []):
                since = max(ticket.issued_at, ticket.booked_for) if ticket.booked_for else ticket.issued_at
                if ticket.status == Ticket.Status.NO_SHOW:
                    no_show += 1
                elif ticket.called_at:
                    waits.append(max(0.0, (ticket.called_at - since).total_seconds() / 60))
                    served += ticket.status == Ticket.Status.DONE
                elif day < clock.today():
                    sent_home += 1
            arrivals = len(mine.get(hour, []))
            counted = arrivals - no_show
            within = sum(w <= target.minutes for w in waits)
            exp_hour = exp.get("hours", {}).get(str(hour), {})
            lines.append(
                ActualHour(
                    hour=hour,
                    planned=planned.get((group.pk, hour)),
                    expected_mean_wait=exp_hour.get("mean_wait"),
                    expected_within=exp_hour.get("within_target"),
                    expected_served=exp_hour.get("served"),
                    arrivals=arrivals,
                    served=served,
                    sent_home=sent_home,
                    mean_wait=sum(waits) / len(waits) if waits else None,
                    within_target=within / counted if counted and (waits or sent_home) else None,
                )
            )
            all_waits += waits
            for key, value in (
                ("arrivals", arrivals),
                ("served", served),
                ("sent_home", sent_home),
                ("within", within),
                ("counted", counted),
            ):
                totals[key] += value
        result.append(
            ActualGroup(
                group=group,
                hours=lines,
                arrivals=totals["arrivals"],
                served=totals["served"],
                sent_home=totals["sent_home"],
                mean_wait=sum(all_waits) / len(all_waits) if all_waits else None,
                within_target=totals["within"] / totals["counted"] if totals["counted"] else None,
                expected_mean_wait=exp.get("day", {}).get("mean_wait"),
                expected_within=exp.get("day", {}).get("within_target"),
            )
        )
    return result
