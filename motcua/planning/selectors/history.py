"""What a service point's own history says about a coming day, as the simulation's inputs.

For each group served at the point: walk-ins per 15-minute interval on the same weekday (the mean over
the past weeks' days of that weekday that had tickets; every day when none had), the booked citizens of
past days per interval, the bookings already made for the day, how many bookings are kept, the share of
called citizens who did not answer, the observed service times (per officer too), and the counters planned
for the group in each hour.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q

from motcua.core import clock
from motcua.org import selectors as org_selectors
from motcua.org.calendars import calendar_for, planned_open_at
from motcua.org.models import ServiceGroup, ServicePoint
from motcua.planning.simulation import INTERVAL, GroupDay
from motcua.queueing.models import Booking, Ticket

MIN_SAMPLES = 5  # fewer observed service times than this: the group's configured average
PLAUSIBLE_SECONDS = (30, 3 * 3600)  # the queue's own bounds for a service time
DEFAULT_BOOKING_SHOW_RATE = 0.9


@dataclass
class OfficerPace:
    label: str  # the officer's name, or the counter when no officer was recorded
    served: int
    mean_minutes: float


@dataclass
class GroupHistory:
    group: ServiceGroup
    day: GroupDay
    available: dict[int, int]  # hour -> counters planned for the group then
    days_observed: int
    same_weekday: bool
    known_bookings: int
    officers: list[OfficerPace] = field(default_factory=list)


def _minutes(moment: dt.datetime, tz) -> float:
    local = moment.astimezone(tz)
    return local.hour * 60 + local.minute + local.second / 60


def history_weeks() -> int:
    return max(1, int(settings.MOTCUA_PLANNING_HISTORY_WEEKS))


def point_history(point: ServicePoint, day: dt.date) -> list[GroupHistory]:
    """The simulation's inputs for every group served at `point` on `day` (none on a day off)."""
    center = point.branch.center
    calendar = calendar_for(center)
    tz = calendar.tz
    periods = tuple((int(_minutes(s, tz)), int(_minutes(e, tz))) for s, e in calendar.working_periods(day))
    if not periods:
        return []
    first = min(day, clock.today()) - dt.timedelta(weeks=history_weeks())
    rows = list(
        Ticket.objects.filter(
            service_point=point, day__gte=first, day__lt=min(day, clock.today())
        ).values_list(
            "group_id",
            "day",
            "source",
            "issued_at",
            "booked_for",
            "status",
            "started_at",
            "finished_at",
            "served_by_id",
            "counter__number",
        )
    )
    days_with = {row[1] for row in rows}
    weekday_days = {d for d in days_with if d.weekday() == day.weekday()}
    chosen = weekday_days or days_with
    names = _officer_names({row[8] for row in rows if row[8]})
    bookings = list(
        Booking.objects.filter(
            service_point=point,
            day=day,
            status__in=[Booking.Status.PENDING, Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN],
        ).values_list("group_id", "starts_at")
    )
    kept = Booking.objects.filter(service_point=point, day__gte=first, day__lt=clock.today())
    checked_in = kept.filter(status=Booking.Status.CHECKED_IN).count()
    released = kept.filter(status=Booking.Status.RELEASED).count()
    show_rate = (
        checked_in / (checked_in + released) if checked_in + released >= 10 else DEFAULT_BOOKING_SHOW_RATE
    )
    result = []
    for group in org_selectors.service_groups_of(point):
        mine = [row for row in rows if row[0] == group.pk]
        walk_ins: dict[int, float] = defaultdict(float)
        booked_past: dict[int, float] = defaultdict(float)
        samples, paces = [], defaultdict(list)
        called = no_shows = 0
        for _g, ticket_day, source, issued, booked_for, status, started, finished, officer, counter in mine:
            if status in (Ticket.Status.DONE, Ticket.Status.NO_SHOW):
                called += 1
                no_shows += status == Ticket.Status.NO_SHOW
            if (
                started
                and finished
                and PLAUSIBLE_SECONDS[0] <= (finished - started).total_seconds() <= PLAUSIBLE_SECONDS[1]
            ):
                minutes = (finished - started).total_seconds() / 60
                samples.append(minutes)
                paces[names.get(officer) or f"counter:{counter}"].append(minutes)
            if ticket_day not in chosen:
                continue
            if source == Ticket.Source.BOOKING and booked_for:
                booked_past[int(_minutes(booked_for, tz)) // INTERVAL * INTERVAL] += 1
            else:
                walk_ins[int(_minutes(issued, tz)) // INTERVAL * INTERVAL] += 1
        n_days = max(1, len(chosen))
        known = [_minutes(start, tz) for g, start in bookings if g == group.pk]
        known_per: dict[int, int] = defaultdict(int)
        for minute in known:
            known_per[int(minute) // INTERVAL * INTERVAL] += 1
        # Bookings not made yet: the booked citizens past days saw, beyond those already booked.
        arrivals = {m: v / n_days for m, v in walk_ins.items()}
        for minute, count in booked_past.items():
            extra = count / n_days - known_per.get(minute, 0) * show_rate
            if extra > 0:
                arrivals[minute] = arrivals.get(minute, 0.0) + extra
        group_day = GroupDay(
            periods=periods,
            walk_ins=dict(sorted(arrivals.items())),
            booked=tuple(sorted(known)),
            booking_show_rate=show_rate,
            no_show_rate=no_shows / called if called else 0.0,
            service_samples=tuple(samples) if len(samples) >= MIN_SAMPLES else (),
            mean_service=float(group.average_service_minutes),
        )
        result.append(
            GroupHistory(
                group=group,
                day=group_day,
                available=available_counters(point, group, day, group_day.hours),
                days_observed=len(chosen),
                same_weekday=bool(weekday_days),
                known_bookings=len(known),
                officers=sorted(
                    (OfficerPace(_label(key), len(v), sum(v) / len(v)) for key, v in paces.items()),
                    key=lambda p: p.label,
                ),
            )
        )
    return result


def _label(key: str) -> str:
    from django.utils.translation import gettext

    if key.startswith("counter:"):
        return gettext("Quầy %(n)s (không ghi cán bộ)") % {"n": key.split(":", 1)[1]}
    return key


def _officer_names(ids: set[int]) -> dict[int, str]:
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(Q(pk__in=ids))
    return {u.pk: (u.get_full_name() or u.get_username()) for u in users}


def available_counters(
    point: ServicePoint, group: ServiceGroup, day: dt.date, hours: list[int]
) -> dict[int, int]:
    """Per hour, the regular intake counters of `group` planned to be open at the half hour (their officers' hours)."""
    center = point.branch.center
    calendar = calendar_for(center)
    counters = list(org_selectors.intake_counters(point, group))
    available = {}
    for hour in hours:
        moment = dt.datetime.combine(day, dt.time(hour, 30), tzinfo=calendar.tz)
        available[hour] = sum(1 for c in counters if planned_open_at(c, moment, calendar, center))
    return available
