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

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from motcua.dossiers.models import OPEN_STATE_LIST, Channel, State
from motcua.dossiers.services import deadlines

from .policies import Scope
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
