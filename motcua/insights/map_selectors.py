"""The public service map: each service point with its place, hours, waits now and satisfaction.

Numbers only: no ticket, no name, nothing personal. The waits are the queue's own estimates
(`queueing.selectors.group_statuses`), the satisfaction share is the ratings' (levels 4–5) over the
last `SATISFACTION_DAYS` days.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone

from motcua.core import clock
from motcua.org import selectors as org_selectors
from motcua.org.models import ServicePoint, center_periods
from motcua.queueing import selectors as queue_selectors
from motcua.queueing.selectors import GroupStatus
from motcua.ratings import selectors as rating_selectors
from motcua.ratings.selectors import Figures

SATISFACTION_DAYS = 30


@dataclass
class MapPoint:
    point: ServicePoint
    latitude: float | None
    longitude: float | None
    hours: list[tuple[dt.time, dt.time]]
    groups: list[GroupStatus]
    satisfaction: Figures | None
    booking_url: str

    @property
    def longest_wait(self) -> int | None:
        waits = [g.wait_minutes for g in self.groups if g.wait_minutes is not None]
        return max(waits) if waits else None


@dataclass
class ServiceMap:
    points: list[MapPoint]
    satisfaction_since: dt.date
    satisfaction_until: dt.date
    at: dt.datetime


def _coordinate(value) -> float | None:
    return None if value is None else float(value)


def service_map() -> ServiceMap:
    """Every active service point with its waits now, in the branches' order."""
    today = timezone.localdate(clock.now())
    since = today - dt.timedelta(days=SATISFACTION_DAYS - 1)
    ratings = rating_selectors.figures_by("service_point_id", since, today)
    booking = reverse("queue-book")
    points = [
        MapPoint(point=point, latitude=_coordinate(point.latitude), longitude=_coordinate(point.longitude),
                 hours=list(center_periods(point.branch.center)), groups=queue_selectors.group_statuses(point), satisfaction=ratings.get(point.pk),
                 booking_url=f"{booking}?{urlencode({'point': point.pk})}")
        for point in org_selectors.list_service_points().select_related("branch")
    ]
    return ServiceMap(points=points, satisfaction_since=since, satisfaction_until=today,
                      at=clock.now())


def drawing(points: list[MapPoint]) -> dict:
    """The points' positions in a 100-wide box, north up (longitude scaled by the latitude's cosine).

    Numbered as listed; centred on the middle of the points, with at least ~1 km of span so that a
    single point (or points at one place) sits in the middle instead of a corner.
    """
    placed = [(n, p.latitude, p.longitude) for n, p in enumerate(points, 1)
              if p.latitude is not None and p.longitude is not None]
    if not placed:
        return {"height": 40, "spots": []}
    lats = [lat for _n, lat, _lng in placed]
    lngs = [lng for _n, _lat, lng in placed]
    scale = math.cos(math.radians(sum(lats) / len(lats)))
    width, height = (max(lngs) - min(lngs)) * scale, max(lats) - min(lats)
    # Degrees per drawing unit: 88 units across and at most 48 down for the points, 6 around them.
    unit = max(width / 88, height / 48, 0.01 / 88)
    box_height = round(max(height / unit + 12, 40), 2)
    mid_lat, mid_lng = (max(lats) + min(lats)) / 2, (max(lngs) + min(lngs)) / 2
    spots = [{"number": n, "x": round(50 + (lng - mid_lng) * scale / unit, 2),
              "y": round(box_height / 2 - (lat - mid_lat) / unit, 2)} for n, lat, lng in placed]
    return {"height": box_height, "spots": spots}
