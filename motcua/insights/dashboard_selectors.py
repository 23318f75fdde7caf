"""The leaders' dashboard now: dossiers received, in progress, due today, overdue and returned, per branch,
agency, procedure and channel, in one aggregate query per dimension.

The rows read are the open dossiers (served by the partial indexes on open dossiers) and those received
or returned today (the indexes on the reception and return times): the cost follows the backlog and
the day, not the history. Overdue is the dossiers'
own rule (`deadlines.with_urgency`), as the inbox badges say it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import OPEN_STATE_LIST, Channel, State
from motcua.dossiers.services import deadlines
from motcua.org.models import ServicePoint
from motcua.queueing import selectors as queue_selectors
from motcua.queueing.models import Ticket
from motcua.ratings import selectors as rating_selectors

from .policies import AGENCY, BRANCH, Scope
from .selectors import scoped_dossiers

DIMENSIONS = {
    "branch": ("branch__code", "branch__name"),
    "agency": ("competent_agency__code", "competent_agency__name"),
    "procedure": ("procedure__code", "procedure__name"),
    "channel": ("channel", "channel"),
}
MEASURES = ("received", "in_progress", "due_today", "overdue", "returned")
IN_PROGRESS = [s for s in OPEN_STATE_LIST if s != State.NEW]


@dataclass
class Row:
    key: str
    name: str
    received: int = 0
    in_progress: int = 0
    due_today: int = 0
    overdue: int = 0
    returned: int = 0
    inbox_url: str = ""  # the open dossiers behind the row, where the inbox can filter on the dimension
    overdue_url: str = ""


def _day_bounds(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + dt.timedelta(days=1)


def now_by(scope: Scope, dimension: str, now: dt.datetime | None = None) -> list[Row]:
    """Today's figures of `scope` per `dimension` ("branch", "agency", "procedure", "channel").

    Three aggregate queries, each served by an index: the open dossiers (the state's index and the
    partial indexes on open dossiers), those received today (`received_at`), those returned today
    (`returned_at`). An OR of the three would read the whole table.
    """
    now = now or timezone.now()
    start, end = _day_bounds(now)
    code, name = DIMENSIONS[dimension]
    dossiers = scoped_dossiers(scope)
    open_dossiers = dossiers.filter(state__in=OPEN_STATE_LIST)
    found: dict[str, dict] = {}

    def add(queryset, **measures) -> None:
        for figure in queryset.values(code, name).annotate(**measures):
            entry = found.setdefault(figure[code] or "", {"name": figure[name]})
            entry.update({m: figure[m] for m in measures})

    add(open_dossiers, in_progress=Count("pk", filter=Q(state__in=IN_PROGRESS)),
        due_today=Count("pk", filter=Q(state__in=deadlines.CLOCK_RUNNING, due_at__gte=start, due_at__lt=end)))
    add(dossiers.filter(received_at__gte=start, received_at__lt=end), received=Count("pk"))
    add(dossiers.filter(returned_at__gte=start, returned_at__lt=end), returned=Count("pk"))
    add(deadlines.with_urgency(open_dossiers, deadlines.OVERDUE, now), overdue=Count("pk"))
    labels = dict(Channel.choices)
    rows = []
    for key, entry in found.items():
        label = str(labels.get(key, key)) if dimension == "channel" else (entry["name"] or "—")
        row = Row(key=key, name=label, **{m: entry.get(m, 0) for m in MEASURES})
        if dimension in ("agency", "procedure") and key:
            row.inbox_url = f"{reverse('dossier-inbox')}?{urlencode({dimension: key})}"
            row.overdue_url = f"{reverse('dossier-inbox')}?{urlencode({dimension: key, 'due': 'overdue'})}"
        rows.append(row)
    return sorted(rows, key=lambda r: (-r.overdue, -r.in_progress, r.name))


def totals(rows: list[Row]) -> Row:
    total = Row(key="", name="")
    for row in rows:
        for measure in MEASURES:
            setattr(total, measure, getattr(total, measure) + getattr(row, measure))
    return total


@dataclass
class PointNow:
    """A service point's queue and satisfaction now (the queue's and the ratings' own selectors)."""

    point: ServicePoint
    waiting: int
    open_counters: int
    longest_wait_minutes: int | None  # the longest a waiting citizen has waited so far
    estimated_wait_minutes: int | None  # the longest estimate of a new ticket among the point's groups
    ratings: int
    satisfied_percent: float | None


def queue_now(scope: Scope, now: dt.datetime | None = None) -> list[PointNow]:
    """Per active service point of the scope (none for an agency: its queue is its branches')."""
    if scope.kind == AGENCY:
        return []
    now = now or timezone.now()
    points = ServicePoint.objects.filter(is_active=True).select_related("branch").order_by("branch__number", "code")
    if scope.kind == BRANCH:
        points = points.filter(branch=scope.branch)
    result = []
    for point in points:
        statuses = queue_selectors.group_statuses(point)
        first = (queue_selectors.tickets_today(point).filter(status=Ticket.Status.WAITING)
                 .aggregate(first=Min("issued_at"))["first"])
        estimates = [s.wait_minutes for s in statuses if s.wait_minutes is not None]
        figures = rating_selectors.satisfaction(point).total
        result.append(PointNow(
            point=point, waiting=sum(queue_selectors.waiting_counts(point).values()),
            open_counters=len(queue_selectors.open_counters(point)),
            longest_wait_minutes=int((now - first).total_seconds() // 60) if first else None,
            estimated_wait_minutes=max(estimates) if estimates else None,
            ratings=figures.total, satisfied_percent=figures.share_percent))
    return result
