"""The leaders' analysis of a period: trends, hot spots, satisfaction in detail, and the overdue alerts.

Every figure reads the period's own rows (dossiers received or resolved in it, tickets of its days,
ratings of its days), through the same rules as the rest of the center: a dossier's timeliness is
`deadlines.timeliness` against its first appointment (as the service index counts it), a dossier is
overdue or nearly so by `deadlines.with_urgency`/`urgency` (as the inbox badges say), a citizen is
satisfied at levels 4–5 (`ratings.selectors.Figures`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Avg, Count, F, Max, QuerySet
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.catalog.models import Procedure
from motcua.core.errors import NotFound, ValidationFailed
from motcua.dossiers.models import OPEN_STATE_LIST, Dossier, SupplementRequest
from motcua.dossiers.services import deadlines
from motcua.org.models import Counter, ServicePoint
from motcua.queueing.models import Ticket
from motcua.ratings import selectors as rating_selectors
from motcua.ratings.models import Rating
from motcua.ratings.selectors import Figures

from .policies import AGENCY, BRANCH, Scope
from .selectors import Period, received_in, resolved_in, scoped_dossiers

GRAINS = ("day", "week", "month")
SPOTS = 5  # how many of each kind of hot spot
MIN_RATINGS = 5  # a satisfaction share on fewer ratings says little: not a hot spot
ALERTS = 50  # the overdue alerts listed (the count says how many there are in all)
DIMENSIONS = {
    "branch": ("branch__code", "branch__name"),
    "agency": ("competent_agency__code", "competent_agency__name"),
    "procedure": ("procedure__code", "procedure__name"),
}
KINDS = ("late", "supplement")


# --- trends -------------------------------------------------------------------------------------------

@dataclass
class TrendRow:
    start: dt.date
    received: int = 0
    resolved: int = 0
    on_time: int = 0  # early or on time, of the resolved
    late: int = 0

    @property
    def on_time_percent(self) -> float | None:
        return round(100 * self.on_time / self.resolved, 1) if self.resolved else None


def bucket_of(day: dt.date, grain: str) -> dt.date:
    """The first day of the day's bucket: itself, its week's Monday, its month's first day."""
    if grain == "week":
        return day - dt.timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def parse_grain(value: str | None) -> str:
    grain = (value or "day").strip()
    if grain not in GRAINS:
        raise ValidationFailed(_("Chọn theo ngày, tuần hoặc tháng."), code="invalid_grain",
                               details={"grain": grain, "allowed": list(GRAINS)})
    return grain


def trends(scope: Scope, period: Period, grain: str = "day") -> list[TrendRow]:
    """Per day, week or month of the period: dossiers received, resolved, resolved on time and late."""
    rows: dict[dt.date, TrendRow] = {}
    day = bucket_of(period.start, grain)
    while day <= period.end:
        rows[day] = TrendRow(day)
        day = bucket_of(day + dt.timedelta(days=32 if grain == "month" else 7 if grain == "week" else 1), grain)
    for received_at in received_in(scope, period).values_list("received_at", flat=True).iterator():
        rows[bucket_of(timezone.localdate(received_at), grain)].received += 1
    resolved = (resolved_in(scope, period).annotate(first_due=Coalesce("original_due_at", "due_at"))
                .values_list("result_ready_at", "first_due"))
    for finished, due in resolved.iterator():
        row = rows[bucket_of(timezone.localdate(finished), grain)]
        row.resolved += 1
        if deadlines.timeliness(finished, due) == deadlines.LATE:
            row.late += 1
        else:
            row.on_time += 1
    return list(rows.values())


# --- hot spots ----------------------------------------------------------------------------------------

@dataclass
class Spot:
    key: str
    name: str
    value: float  # the count or the minutes or the share the spot is ranked by
    total: int  # what it is out of (resolved, received, tickets, ratings)
    url: str = ""

    @property
    def percent(self) -> float | None:
        return round(100 * self.value / self.total, 1) if self.total else None


def _spot_url(kind: str, scope: Scope, period: Period, dimension: str, key: str) -> str:
    query = {"kind": kind, **period.query(), **scope.query()}
    query[dimension] = key  # a branch or agency row narrows the scope; a procedure row filters it
    return f"{reverse('insights-analysis-dossiers')}?{urlencode(query)}"


def late_spots(scope: Scope, period: Period, dimension: str) -> list[Spot]:
    """The branches, agencies or procedures with the most dossiers resolved late in the period."""
    code, name = DIMENSIONS[dimension]
    tallies: dict[str, list] = {}
    rows = (resolved_in(scope, period).annotate(first_due=Coalesce("original_due_at", "due_at"))
            .values_list("result_ready_at", "first_due", code, name))
    for finished, due, key, label in rows.iterator():
        tally = tallies.setdefault(key or "", [label or "—", 0, 0])
        tally[2] += 1
        if deadlines.timeliness(finished, due) == deadlines.LATE:
            tally[1] += 1
    spots = [Spot(key, label, late, total, _spot_url("late", scope, period, dimension, key))
             for key, (label, late, total) in tallies.items() if late]
    return sorted(spots, key=lambda s: (-s.value, -(s.percent or 0), s.name))[:SPOTS]


def supplement_spots(scope: Scope, period: Period) -> list[Spot]:
    """The procedures whose dossiers were most often asked for a supplement in the period (a guide to fix)."""
    asked = (SupplementRequest.objects.filter(dossier__in=scoped_dossiers(scope), requested_at__gte=period.since,
                                              requested_at__lt=period.until)
             .values("dossier__procedure__code", "dossier__procedure__name")
             .annotate(n=Count("dossier")).order_by("-n", "dossier__procedure__name")[:SPOTS])
    codes = [row["dossier__procedure__code"] for row in asked]
    received = dict(received_in(scope, period).filter(procedure__code__in=codes)
                    .values("procedure__code").annotate(n=Count("pk")).values_list("procedure__code", "n"))
    return [Spot(row["dossier__procedure__code"], row["dossier__procedure__name"], row["n"],
                 received.get(row["dossier__procedure__code"], 0),
                 _spot_url("supplement", scope, period, "procedure", row["dossier__procedure__code"]))
            for row in asked]


def _points(scope: Scope) -> QuerySet[ServicePoint]:
    points = ServicePoint.objects.filter(is_active=True)
    if scope.kind == BRANCH:
        return points.filter(branch=scope.branch)
    if scope.kind == AGENCY:
        return points.none()  # an agency's citizens queue at the branches: their queues are the branches'
    return points


def wait_spots(scope: Scope, period: Period) -> list[Spot]:
    """The service points where citizens waited longest on average (issued → first called) in the period."""
    rows = (Ticket.objects.filter(service_point__in=_points(scope), day__gte=period.start, day__lte=period.end,
                                  called_at__isnull=False)
            .values("service_point_id", "service_point__name")
            .annotate(n=Count("pk"), average=Avg(F("called_at") - F("issued_at")),
                      longest=Max(F("called_at") - F("issued_at"))))
    spots = []
    for row in rows:
        average = row["average"]
        if isinstance(average, (int, float)):  # some backends answer microseconds
            average = dt.timedelta(microseconds=average)
        spots.append(Spot(str(row["service_point_id"]), row["service_point__name"],
                          round(average.total_seconds() / 60, 1), row["n"],
                          f"{reverse('insights-map')}#point-{row['service_point_id']}"))
    return sorted(spots, key=lambda s: (-s.value, s.name))[:SPOTS]


# --- satisfaction ---------------------------------------------------------------------------------------

@dataclass
class SatisfactionDetail:
    total: Figures
    points: list[Figures] = field(default_factory=list)
    counters: list[Figures] = field(default_factory=list)
    officers: list[Figures] = field(default_factory=list)
    comments: list[Rating] = field(default_factory=list)
    target: float = rating_selectors.TARGET


def satisfaction(scope: Scope, period: Period, comments: int = 20) -> SatisfactionDetail:
    """The period's satisfaction of the scope: in all, per service point, counter and officer, and the
    latest comments (free text typed by citizens: only for the leaders who read this page)."""
    points = {p.pk: p for p in _points(scope).select_related("branch")}
    since, until = period.start, period.end
    by_point = rating_selectors.figures_by("service_point_id", since, until, service_point__in=list(points))
    by_counter = rating_selectors.figures_by("counter_id", since, until, service_point__in=list(points))
    by_officer = rating_selectors.figures_by("officer_id", since, until, service_point__in=list(points))
    total = Figures(label=str(_("Tất cả")))
    for point_id, figures in by_point.items():
        for level, n in figures.counts.items():
            total.counts[level] += n
        figures.label = points[point_id].name if point_id is not None else "—"
    counters = Counter.objects.in_bulk([pk for pk in by_counter if pk is not None])
    for counter_id, figures in by_counter.items():
        counter = counters.get(counter_id) if counter_id is not None else None
        figures.label = f"{points[counter.service_point_id].name} · {counter.number}" if counter else "—"
    for user_id, name in rating_selectors.officer_names([k for k in by_officer if k is not None]).items():
        by_officer[user_id].label = name
    if None in by_officer:
        by_officer[None].label = str(_("(không rõ cán bộ)"))
    latest = list(Rating.objects.filter(service_point__in=list(points), day__gte=since, day__lte=until)
                  .exclude(comment="").select_related("service_point").order_by("-created_at")[:comments])

    def ranked(figures: dict) -> list[Figures]:
        return sorted(figures.values(), key=lambda f: (f.share if f.share is not None else 2, f.label))

    return SatisfactionDetail(total=total, points=ranked(by_point), counters=ranked(by_counter),
                              officers=ranked(by_officer), comments=latest)


def lowest_satisfaction(detail: SatisfactionDetail) -> list[Figures]:
    """The service points and officers with the lowest share satisfied, on enough ratings to mean something."""
    candidates = [f for f in detail.points + detail.officers if f.total >= MIN_RATINGS and f.share is not None]
    return sorted(candidates, key=lambda f: (f.share, f.label))[:SPOTS]


# --- the dossiers behind a hot spot -----------------------------------------------------------------------

def dossiers_behind(scope: Scope, period: Period, kind: str, procedure: str | None = None) -> QuerySet[Dossier]:
    """The dossiers counted in a hot spot: resolved late in the period, or asked for a supplement in it."""
    if kind not in KINDS:
        raise ValidationFailed(_("Loại điểm nóng không hợp lệ."), code="invalid_kind",
                               details={"kind": kind, "allowed": list(KINDS)})
    if kind == "late":
        resolved = (resolved_in(scope, period).annotate(first_due=Coalesce("original_due_at", "due_at"))
                    .values_list("pk", "result_ready_at", "first_due"))
        late = [pk for pk, finished, due in resolved if deadlines.timeliness(finished, due) == deadlines.LATE]
        dossiers = Dossier.objects.filter(pk__in=late)
    else:
        dossiers = scoped_dossiers(scope).filter(supplement__requested_at__gte=period.since,
                                                 supplement__requested_at__lt=period.until)
    if procedure:
        if not Procedure.objects.filter(code=procedure).exists():
            raise NotFound(_("Không tìm thấy thủ tục."), code="procedure_not_found")
        dossiers = dossiers.filter(procedure__code=procedure)
    return dossiers.select_related("procedure", "competent_agency", "branch").order_by("-received_at", "-pk")


# --- overdue alerts ---------------------------------------------------------------------------------------

@dataclass
class Alert:
    dossier: Dossier
    level: str  # deadlines.OVERDUE or deadlines.NEAR
    holder: str  # who holds it now: the step's officer, else its agency


@dataclass
class Alerts:
    rows: list[Alert]
    overdue: int
    near: int


def overdue_alerts(scope: Scope, now: dt.datetime | None = None) -> Alerts:
    """The open dossiers of the scope overdue and about to be, the most urgent first, with who holds them."""
    now = now or timezone.now()
    open_dossiers = scoped_dossiers(scope).filter(state__in=OPEN_STATE_LIST)
    overdue = deadlines.with_urgency(open_dossiers, deadlines.OVERDUE, now)
    near = deadlines.with_urgency(open_dossiers, deadlines.NEAR, now)
    related = ("procedure", "competent_agency", "current_step__assignee", "current_step__agency")
    rows = [Alert(d, deadlines.OVERDUE, "") for d in overdue.select_related(*related).order_by("due_at", "pk")[:ALERTS]]
    if len(rows) < ALERTS:
        rows += [Alert(d, deadlines.NEAR, "")
                 for d in near.select_related(*related).order_by("due_at", "pk")[:ALERTS - len(rows)]]
    for alert in rows:
        step = alert.dossier.current_step
        if step is not None and step.assignee is not None:
            alert.holder = step.assignee.get_full_name() or step.assignee.get_username()
        elif step is not None:
            alert.holder = step.agency.short_name or step.agency.name
        else:
            alert.holder = alert.dossier.competent_agency.short_name
    return Alerts(rows=rows, overdue=overdue.count(), near=near.count())
