"""Read queries of satisfaction: the ticket a counter's tablet offers, and the figures per day."""

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Count
from django.utils import timezone

from motcua.core import clock
from motcua.org.models import Counter, ServicePoint
from motcua.queueing import selectors as queue_selectors

from .models import SATISFIED_FROM, Level, Rating
from .services import rating_window

if TYPE_CHECKING:
    from motcua.queueing.models import Ticket

TARGET = 0.95  # at least 95% of citizens satisfied


def get_counter(counter_id: int) -> Counter | None:
    return (Counter.objects.select_related("service_point__branch")
            .filter(pk=counter_id, is_active=True).first())


def get_point(point_id: int) -> ServicePoint | None:
    return ServicePoint.objects.select_related("branch").filter(pk=point_id).first()


def counter_officer(counter: Counter):
    """The officer operating the counter now (None when nobody signed in at it)."""
    return queue_selectors.counter_officer(counter)


def officer_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def officer_names(user_ids: list[int]) -> dict[int, str]:
    """The officers' names to show beside their figures, by user id."""
    return {pk: officer_name(user) for pk, user in get_user_model().objects.in_bulk(user_ids).items()}


def pending_ticket(counter: Counter, now=None) -> "Ticket | None":
    """The counter's latest finished ticket when it can still be rated, else None.

    Only the latest one: once the next service has ended, the previous citizen has left the counter.
    """
    now = now or clock.now()
    latest = queue_selectors.last_finished_ticket(counter)
    if latest is None or now - latest.finished_at > rating_window():
        return None
    if Rating.objects.filter(ticket=latest).exists():
        return None
    return latest


@dataclass
class Figures:
    """Counts per level and the share satisfied (levels 4–5) against the target."""

    counts: dict[int, int] = field(default_factory=lambda: {level.value: 0 for level in Level})
    label: str = ""
    key: int | None = None  # the counter's number, the officer's id or the service point's id

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def satisfied(self) -> int:
        return sum(n for score, n in self.counts.items() if score >= SATISFIED_FROM)

    @property
    def share(self) -> float | None:
        return self.satisfied / self.total if self.total else None

    @property
    def share_percent(self) -> float | None:
        return None if self.share is None else round(self.share * 100, 1)

    @property
    def meets_target(self) -> bool | None:
        return None if self.share is None else self.share >= TARGET

    @property
    def levels(self) -> list[tuple[int, str, int]]:
        return [(level.value, str(level.label), self.counts[level.value]) for level in Level]


@dataclass
class Satisfaction:
    point: ServicePoint
    day: date
    total: Figures
    counters: list[Figures]
    officers: list[Figures]
    target: float = TARGET


def satisfaction(point: ServicePoint, day: date | None = None) -> Satisfaction:
    """Today's (or `day`'s) figures of a service point: all together, per counter and per officer."""
    day = day or timezone.localdate(clock.now())
    rows = (Rating.objects.filter(service_point=point, day=day)
            .values("counter_id", "officer_id", "score").annotate(n=Count("id")))
    total = Figures(label=point.name, key=point.pk)
    counters = {c.pk: Figures(label=str(c.number), key=c.number)
                for c in Counter.objects.filter(service_point=point, is_active=True).order_by("number")}
    officers: dict[int | None, Figures] = {}
    for row in rows:
        total.counts[row["score"]] += row["n"]
        if row["counter_id"] not in counters:  # a counter since deactivated keeps its ratings
            number = Counter.objects.filter(pk=row["counter_id"]).values_list("number", flat=True).first()
            counters[row["counter_id"]] = Figures(label=str(number), key=number)
        counters[row["counter_id"]].counts[row["score"]] += row["n"]
        officers.setdefault(row["officer_id"], Figures(key=row["officer_id"])).counts[row["score"]] += row["n"]
    names = officer_names([pk for pk in officers if pk is not None])
    for pk, figures in officers.items():
        figures.label = names.get(pk, "") if pk is not None else ""
    return Satisfaction(point=point, day=day, total=total,
                        counters=sorted(counters.values(), key=lambda f: f.key or 0),
                        officers=sorted(officers.values(), key=lambda f: f.label))


def latest_comments(point: ServicePoint, day: date, limit: int = 20) -> list[Rating]:
    """The day's comments for staff (counter and time only: the ticket's holder is not shown)."""
    return list(Rating.objects.filter(service_point=point, day=day).exclude(comment="")
                .select_related("counter").order_by("-created_at")[:limit])


def figures_by(key: str, since: date, until: date, **filters) -> dict[int | None, Figures]:
    """The figures of the ratings between `since` and `until` (inclusive) per `key` ("service_point_id",
    "counter_id", "officer_id"), restricted by `filters` (e.g. service_point__branch=…)."""
    rows = (Rating.objects.filter(day__gte=since, day__lte=until, **filters)
            .values(key, "score").annotate(n=Count("id")))
    figures: dict[int | None, Figures] = {}
    for row in rows:
        entry = figures.setdefault(row[key], Figures(key=row[key]))
        entry.counts[row["score"]] += row["n"]
    return figures
