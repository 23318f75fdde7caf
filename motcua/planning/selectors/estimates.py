"""The wait estimates judged on real waits: per service point, group and day, the estimator against the naive rule.

Every ticket records the estimate it was given at issue (`queueing.WaitEstimate`, moment `issue`) with
the naive estimate of the same moment (tickets ahead × the group's configured average ÷ open counters),
and its first call (`Ticket.first_called_at`; for history imported without it, `called_at`). The real
wait is first call − issue. A ticket counts when it was called and both estimates exist (no counter
open at issue: no estimate). Later displays (moment `display`) are judged against the time left until
the first call, and their change beyond the time passed (the swing) is reported.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from statistics import fmean

from django.db.models import F
from django.db.models.functions import Coalesce

from motcua.core import clock
from motcua.insights import policies as insights_policies
from motcua.insights.selectors import Period, parse_period
from motcua.org.models import ServiceGroup, ServicePoint
from motcua.queueing.models import WaitEstimate


def can_view(user, point: ServicePoint) -> bool:
    """The branch's leaders, the center's director and administrators (the leaders' figures rule)."""
    scope = insights_policies.Scope(insights_policies.BRANCH, branch=point.branch)
    return insights_policies.can(user, "view_index", scope)


def points_for(user) -> list[ServicePoint]:
    """The active service points whose report `user` may read, in branch order."""
    points = (
        ServicePoint.objects.filter(is_active=True)
        .select_related("branch")
        .order_by("branch__number", "code")
    )
    return [p for p in points if can_view(user, p)]


@dataclass
class Accuracy:
    """Errors in minutes (estimate − real wait) of the estimator and of the naive rule on the same tickets."""

    estimator: list[float] = field(default_factory=list)
    naive: list[float] = field(default_factory=list)

    @property
    def tickets(self) -> int:
        return len(self.estimator)

    @property
    def estimator_mae(self) -> float | None:
        return round(fmean(abs(e) for e in self.estimator), 1) if self.estimator else None

    @property
    def naive_mae(self) -> float | None:
        return round(fmean(abs(e) for e in self.naive), 1) if self.naive else None

    @property
    def estimator_bias(self) -> float | None:
        return round(fmean(self.estimator), 1) if self.estimator else None

    @property
    def ratio(self) -> float | None:
        """Estimator MAE ÷ naive MAE: below 1, the estimator is the better one."""
        if not self.estimator:
            return None
        naive = fmean(abs(e) for e in self.naive)
        return round(fmean(abs(e) for e in self.estimator) / naive, 2) if naive else None

    def add(self, estimate: float, naive: float, real: float) -> None:
        self.estimator.append(estimate - real)
        self.naive.append(naive - real)


@dataclass
class Displays:
    """Later displays: their error against the time left, and their change beyond the time passed."""

    errors: list[float] = field(default_factory=list)
    steps: list[float] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.errors)

    @property
    def mae(self) -> float | None:
        return round(fmean(abs(e) for e in self.errors), 1) if self.errors else None

    @property
    def max_step(self) -> float | None:
        return round(max(self.steps), 1) if self.steps else None


@dataclass(frozen=True)
class DayRow:
    day: dt.date
    group: ServiceGroup
    accuracy: Accuracy


@dataclass(frozen=True)
class GroupRow:
    group: ServiceGroup
    accuracy: Accuracy
    displays: Displays


@dataclass(frozen=True)
class EstimateReport:
    point: ServicePoint
    period: Period
    total: Accuracy
    displays: Displays
    groups: list[GroupRow]
    days: list[DayRow]


def _minutes(delta: dt.timedelta) -> float:
    return delta.total_seconds() / 60


def report(point: ServicePoint, period: Period) -> EstimateReport:
    """The report of `point` over `period` (days of the tickets, inclusive): three statements in all."""
    rows = (
        WaitEstimate.objects.filter(
            ticket__service_point=point, ticket__day__gte=period.start, ticket__day__lte=period.end
        )
        .annotate(called=Coalesce(F("ticket__first_called_at"), F("ticket__called_at")))
        .filter(called__isnull=False)
        .order_by("ticket_id", "shown_at", "pk")
        .values_list(
            "ticket_id",
            "ticket__group_id",
            "ticket__day",
            "ticket__issued_at",
            "called",
            "moment",
            "shown_at",
            "minutes",
            "naive_minutes",
        )
    )
    groups = {g.pk: g for g in ServiceGroup.objects.filter(tickets__service_point=point).distinct()}
    total, all_displays = Accuracy(), Displays()
    by_group: dict[int, Accuracy] = defaultdict(Accuracy)
    displays_by_group: dict[int, Displays] = defaultdict(Displays)
    by_day: dict[tuple[dt.date, int], Accuracy] = defaultdict(Accuracy)
    previous: tuple[int, dt.datetime, int | None] | None = None  # (ticket, shown at, minutes) of the last row
    for ticket_id, group_id, day, issued_at, called, moment, shown_at, minutes, naive in rows:
        if moment == WaitEstimate.Moment.ISSUE:
            if minutes is not None and naive is not None:
                real = _minutes(called - issued_at)
                for accuracy in (total, by_group[group_id], by_day[(day, group_id)]):
                    accuracy.add(minutes, naive, real)
        elif minutes is not None and shown_at <= called:
            for displays in (all_displays, displays_by_group[group_id]):
                displays.errors.append(minutes - _minutes(called - shown_at))
                if previous is not None and previous[0] == ticket_id and previous[2] is not None:
                    expected = max(0.0, previous[2] - _minutes(shown_at - previous[1]))
                    displays.steps.append(abs(minutes - expected))
        previous = (ticket_id, shown_at, minutes)
    ordered = sorted(by_group, key=lambda pk: (groups[pk].position, groups[pk].code))
    return EstimateReport(
        point=point,
        period=period,
        total=total,
        displays=all_displays,
        groups=[GroupRow(groups[pk], by_group[pk], displays_by_group[pk]) for pk in ordered],
        days=[
            DayRow(day, groups[pk], accuracy)
            for (day, pk), accuracy in sorted(
                by_day.items(),
                key=lambda item: (item[0][0], groups[item[0][1]].position, groups[item[0][1]].code),
            )
        ],
    )


def period_of(start: str | None, end: str | None) -> Period:
    """`from`/`to` as the leaders' pages read them (YYYY-MM-DD; default: this month to today)."""
    return parse_period(start, end, clock.today())
