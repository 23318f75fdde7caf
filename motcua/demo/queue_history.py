"""Weeks of past queue tickets for the demo, so that the staffing planner has a history to plan from.

Every working day of the last `days` calendar days (the center's calendar), the first service point of the
chosen branches receives tickets of each group its regular intake counters serve: a daily volume per
group that depends on the weekday (Monday busiest, Friday lightest), spread over 15-minute intervals with
a morning peak and a smaller afternoon one, about a third booked online (arriving a few minutes before
their slot, some never coming), a few no-shows among those at the hall. Each group is served first come
first served by its counters in their planned hours, with a service time drawn around the group's average
and a pace of its own for each counter's officer; who could not be served before closing was refused by
the capacity guarantee and has no ticket, as in the real system.

Every generated ticket carries the device marker `DEMO_HISTORY_DEVICE`, and `demo --remove` deletes them.
Deterministic for a seed; idempotent: nothing is added when the point already has tickets before today.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, ngettext

from motcua.core import clock, codes, roles
from motcua.core.ids import make_national_id
from motcua.org import selectors as org_selectors
from motcua.org.calendars import calendar_for, counter_periods
from motcua.org.models import Branch, Center, Counter, Officer
from motcua.queueing.models import Ticket
from motcua.ratings.models import Rating

DEMO_HISTORY_DEVICE = "demo-queue-history"
SEED = 1305  # 13/5, the day booked numbers began at branch 1
DAYS = 28
BRANCHES = (1,)
# Tickets a day per group at a point, before the weekday factor (a group not named: the default).
DAILY_TICKETS = {
    "dat-dai": 48,
    "tu-phap": 40,
    "kinh-doanh": 24,
    "xay-dung": 18,
    "lao-dong": 9,
    "y-te": 7,
    "giao-duc": 8,
}
DEFAULT_DAILY = 10
WEEKDAY_FACTOR = (1.3, 1.05, 0.95, 1.0, 0.8, 0.6, 0.5)
BOOKED_SHARE, BOOKING_NO_SHOW, HALL_NO_SHOW = 0.35, 0.1, 0.04
# Relative arrivals per quarter hour from 07:45 to 17:00 (a morning peak, a quieter afternoon).
_PROFILE = {
    dt.time(7, 45): 0.6,
    dt.time(8, 0): 1.6,
    dt.time(8, 15): 2.0,
    dt.time(8, 30): 2.2,
    dt.time(8, 45): 2.2,
    dt.time(9, 0): 2.0,
    dt.time(9, 15): 1.8,
    dt.time(9, 30): 1.7,
    dt.time(9, 45): 1.5,
    dt.time(10, 0): 1.4,
    dt.time(10, 15): 1.2,
    dt.time(10, 30): 1.1,
    dt.time(10, 45): 1.0,
    dt.time(11, 0): 0.8,
    dt.time(11, 15): 0.6,
    dt.time(11, 30): 0.4,
    dt.time(11, 45): 0.2,
    dt.time(12, 30): 0.2,
    dt.time(12, 45): 0.5,
    dt.time(13, 0): 1.1,
    dt.time(13, 15): 1.3,
    dt.time(13, 30): 1.4,
    dt.time(13, 45): 1.4,
    dt.time(14, 0): 1.3,
    dt.time(14, 15): 1.2,
    dt.time(14, 30): 1.1,
    dt.time(14, 45): 1.0,
    dt.time(15, 0): 0.8,
    dt.time(15, 15): 0.6,
    dt.time(15, 30): 0.5,
    dt.time(15, 45): 0.3,
    dt.time(16, 0): 0.2,
    dt.time(16, 15): 0.1,
}


@dataclass
class QueueHistoryReport:
    created: int = 0
    skipped: bool = False
    rated: int = 0

    def __str__(self) -> str:
        if self.skipped:
            return gettext("bỏ qua (đã có lịch sử)")
        return ngettext("%(n)d số thứ tự", "%(n)d số thứ tự", self.created) % {"n": self.created} + \
            gettext(", %(n)d đánh giá hài lòng") % {"n": self.rated}


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean > 30:  # normal approximation: Knuth's product underflows for large means
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _arrivals(rng: random.Random, day: dt.date, daily: float, tz) -> list[dt.datetime]:
    total = sum(_PROFILE.values())
    moments = []
    for start, weight in _PROFILE.items():
        begin = dt.datetime.combine(day, start, tzinfo=tz)
        moments += [
            begin + dt.timedelta(seconds=rng.uniform(0, 900))
            for _ in range(_poisson(rng, daily * weight / total))
        ]
    return sorted(moments)


def _fit(periods, begin: dt.datetime, minutes: float) -> tuple[dt.datetime, dt.datetime] | None:
    """The earliest service of `minutes` from `begin` that fits in one of the counter's periods."""
    for start, end in periods:
        at = max(begin, start)
        finish = at + dt.timedelta(minutes=minutes)
        if finish <= end:
            return at, finish
    return None


def _serve(
    arrivals: list[dt.datetime],
    counters: list[tuple[Counter, tuple]],
    rng: random.Random,
    mean_minutes: float,
    pace: dict[int, float],
) -> list[tuple[int, Counter, dt.datetime, dt.datetime, bool]]:
    """First come first served at the counters in their periods: (arrival index, counter, called, finished, no-show).

    A citizen no counter can serve before closing is left out: the capacity guarantee refused the number.
    """
    free = {counter.pk: dt.datetime.min.replace(tzinfo=dt.UTC) for counter, _periods in counters}
    served = []
    for index, arrived in enumerate(arrivals):
        no_show = rng.random() < HALL_NO_SHOW
        base = 1.5 if no_show else max(1.0, rng.lognormvariate(math.log(mean_minutes) - 0.08, 0.4))
        best = None
        for counter, periods in counters:
            minutes = base if no_show else base * pace[counter.pk]
            fit = _fit(periods, max(free[counter.pk], arrived), minutes)
            if fit is not None and (best is None or fit[0] < best[1][0]):
                best = (counter, fit)
        if best is None:
            continue
        counter, (called, finished) = best
        free[counter.pk] = finished
        served.append((index, counter, called, finished, no_show))
    return served


@transaction.atomic
def generate_queue_history(
    center: Center,
    *,
    days: int = DAYS,
    branches: tuple[int, ...] = BRANCHES,
    scale: float = 1.0,
    seed: int = SEED,
) -> QueueHistoryReport:
    """Past tickets for the `days` before today at the first service point of each of `branches` (see the module)."""
    today = clock.today()
    if days <= 0:
        return QueueHistoryReport(skipped=True)
    calendar = calendar_for(center)
    rng = random.Random(seed)  # noqa: S311 - demo data, the same for a seed
    tickets: list[Ticket] = []
    for branch in Branch.objects.filter(center=center, number__in=branches, is_active=True).order_by(
        "number"
    ):
        point = branch.service_points.filter(is_active=True).order_by("code").first()
        if point is None:
            continue
        if Ticket.objects.filter(service_point=point, day__lt=today).exists():
            return QueueHistoryReport(skipped=True)
        # The branch's reception officers serve the first counters (the others' officers are not demo accounts).
        officers = [
            o.user
            for o in Officer.objects.filter(branch=branch, user__groups__name=roles.RECEPTION_OFFICER)
            .select_related("user")
            .order_by("pk")
        ]
        for group in org_selectors.service_groups_of(point):
            counters = list(org_selectors.intake_counters(point, group).order_by("number"))
            if not counters:
                continue
            pace = {c.pk: rng.uniform(0.8, 1.25) for c in counters}
            officer_of = dict(zip((c.pk for c in counters), officers, strict=False))
            for day in calendar.working_days_in(
                today - dt.timedelta(days=days), today - dt.timedelta(days=1)
            ):
                daily = DAILY_TICKETS.get(group.code, DEFAULT_DAILY) * WEEKDAY_FACTOR[day.weekday()] * scale
                arrivals = _arrivals(rng, day, daily, calendar.tz)
                entries: list[tuple[dt.datetime, bool, dt.datetime | None]] = []
                for moment in arrivals:
                    booked = rng.random() < BOOKED_SHARE
                    if booked:
                        slot = moment.replace(minute=(moment.minute // 30) * 30, second=0, microsecond=0)
                        if not calendar.is_working_time(slot) or rng.random() < BOOKING_NO_SHOW:
                            continue  # a booking nobody came for (released): no ticket
                        entries.append(
                            (max(slot - dt.timedelta(minutes=rng.uniform(0, 12)), moment), True, slot)
                        )
                    else:
                        entries.append((moment, False, None))
                entries.sort(key=lambda e: e[0])
                periods = [(c, counter_periods(c, day, calendar, center)) for c in counters]
                served = _serve([e[0] for e in entries], periods, rng, group.average_service_minutes, pace)
                for seq, (index, counter, called, finished, no_show) in enumerate(served, start=1):
                    arrived, booked, booked_slot = entries[index]
                    person = rng.randrange(1, 999_999)
                    national_id = make_national_id(
                        province_code="001",
                        gender=rng.choice(("male", "female")),
                        birth_year=rng.randint(1950, 2005),
                        sequence=person,
                    )
                    tickets.append(
                        Ticket(
                            service_point=point,
                            group=group,
                            day=day,
                            sequence=seq,
                            number=codes.ticket_number(group.letter, seq),
                            national_id=national_id,
                            source=Ticket.Source.BOOKING if booked else Ticket.Source.KIOSK,
                            booked_for=booked_slot,
                            device=DEMO_HISTORY_DEVICE,
                            status=Ticket.Status.NO_SHOW if no_show else Ticket.Status.DONE,
                            counter=counter,
                            served_by=officer_of.get(counter.pk),
                            issued_at=arrived,
                            queued_at=arrived,
                            called_at=called,
                            started_at=None if no_show else called + dt.timedelta(seconds=30),
                            finished_at=None if no_show else finished,
                            call_count=2 if no_show else 1,
                        )
                    )
    Ticket.objects.bulk_create(tickets, batch_size=500)
    rated = _rate_some(rng)
    return QueueHistoryReport(created=len(tickets), rated=rated)


# How the served citizens rated (a share rate at all): mostly satisfied, some not (the 95% target is not given).
RATED_SHARE = 0.35
SCORES = ((5, 0.58), (4, 0.3), (3, 0.07), (2, 0.03), (1, 0.02))
COMMENTS = {5: ("Cán bộ hướng dẫn tận tình.", "Nhanh, gọn."), 4: ("Chờ hơi lâu nhưng được hướng dẫn kỹ.",),
            3: ("Phải chờ lâu.",), 2: ("Quầy đông, thiếu cán bộ.",), 1: ("Cán bộ trả lời thiếu nhiệt tình.",)}


def _rate_some(rng: random.Random) -> int:
    """Ratings for a share of the served demo tickets, given a few minutes after the service."""
    served = Ticket.objects.filter(device=DEMO_HISTORY_DEVICE, status=Ticket.Status.DONE, rating__isnull=True)
    ratings = []
    for ticket in served.only("pk", "service_point_id", "counter_id", "served_by_id", "day", "finished_at"):
        if rng.random() >= RATED_SHARE or ticket.counter_id is None or ticket.finished_at is None:
            continue
        score = rng.choices([s for s, _w in SCORES], weights=[w for _s, w in SCORES])[0]
        comment = rng.choice(COMMENTS[score]) if rng.random() < 0.15 else ""
        ratings.append(Rating(ticket_id=ticket.pk, service_point_id=ticket.service_point_id,
                              counter_id=ticket.counter_id, officer_id=ticket.served_by_id, day=ticket.day,
                              score=score, comment=comment,
                              created_at=ticket.finished_at + dt.timedelta(minutes=rng.uniform(0.5, 5))))
    Rating.objects.bulk_create(ratings, batch_size=500)
    return len(ratings)


def remove_queue_history() -> int:
    """Delete the demo's generated tickets (and the ratings of them); returns how many tickets."""
    Rating.objects.filter(ticket__device=DEMO_HISTORY_DEVICE).delete()
    _total, by_model = Ticket.objects.filter(device=DEMO_HISTORY_DEVICE).delete()
    return by_model.get(Ticket._meta.label, 0)
