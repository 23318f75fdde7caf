"""Read queries of the queue: what is waiting, who is served where, estimates and capacity."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from motcua.core import clock, roles
from motcua.core.prepared import PreparedQuery
from motcua.org import selectors as org_selectors
from motcua.org.calendars import calendar_for, counter_periods, next_opening_moment, planned_open_at
from motcua.org.models import Counter, ServiceGroup, ServicePoint

from . import estimates, staffing
from .models import DEFAULT_CONFIG, CounterState, Device, QueueConfig, Ticket, WaitEstimate
from .policies import can_operate

RECENT_SAMPLES = 30
LATEST_CALLS = 6
# A priority that moves a ticket ahead: declared, and not refused by the officer (None: not yet checked).
STANDING_PRIORITY = ~Q(priority="") & ~Q(priority_confirmed=False)


def config_for(point: ServicePoint) -> QueueConfig:
    try:
        return point.queue_config
    except QueueConfig.DoesNotExist:
        return DEFAULT_CONFIG


# Compiled once per process (motcua/core/prepared.py): every queue API call reads its point or counter.
_ACTIVE_POINT = PreparedQuery(
    lambda pk: (ServicePoint.objects.select_related("branch__center", "queue_config")
                .filter(pk=pk, is_active=True).order_by("pk")[:1]),
    pk=int,
)
_ACTIVE_COUNTER = PreparedQuery(
    lambda pk: (Counter.objects.select_related("service_point__branch__center", "service_point__queue_config")
                .filter(pk=pk, is_active=True, service_point__is_active=True).order_by("pk")[:1]),
    pk=int,
)


def get_point(point_id: int) -> ServicePoint | None:
    """An active service point with its branch, center and queue settings (`config_for`), in one query."""
    return _ACTIVE_POINT.first(pk=int(point_id))


def get_counter(counter_id: int) -> Counter | None:
    """An active counter with its service point, branch, center and queue settings, in one query."""
    return _ACTIVE_COUNTER.first(pk=int(counter_id))


def get_device(device_id: int) -> Device | None:
    return Device.objects.select_related("service_point__branch").filter(pk=device_id).first()


_LOCKED_STATE = PreparedQuery(
    lambda counter_id: (CounterState.objects.select_for_update(of=("self",))
                        .select_related("counter__service_point__branch__center",
                                        "counter__service_point__queue_config")
                        .filter(counter_id=counter_id, counter__is_active=True, counter__service_point__is_active=True)
                        .order_by("pk")[:1]),
    counter_id=int,
)


def locked_counter(counter_id: int) -> tuple[Counter, CounterState] | None:
    """`get_counter` and `locked_state` in one statement when the counter has its state row (in a transaction)."""
    state = _LOCKED_STATE.first(counter_id=int(counter_id))
    if state is not None:
        return state.counter, state
    counter = get_counter(counter_id)
    return None if counter is None else (counter, _created_and_locked(counter))


def state_of(counter: Counter) -> CounterState:
    """The counter's live state (a counter never opened is open with default lanes)."""
    state, _ = CounterState.objects.get_or_create(counter=counter)
    return state


def locked_state(counter: Counter) -> CounterState:
    """The counter's state row, locked until the end of the transaction (created on first use)."""
    state = CounterState.objects.select_for_update().filter(counter=counter).first()
    return state if state is not None else _created_and_locked(counter)


def _created_and_locked(counter: Counter) -> CounterState:
    """First use: create the state row (or let a concurrent caller's row stand), then lock it."""
    CounterState.objects.bulk_create([CounterState(counter=counter)], ignore_conflicts=True)
    return CounterState.objects.select_for_update().get(counter=counter)


def open_counters(point: ServicePoint, group: ServiceGroup | None = None):
    """The regular intake counters of `point` (serving `group`) that are not closed (a paused one comes back).

    The counters a group's capacity, wait estimate and booking slots count on (`org.selectors.intake_counters`).
    """
    return org_selectors.intake_counters(point, group).exclude(queue_state__status=CounterState.Status.CLOSED)


def _counter_groups_query(point_id: int):
    through = Counter.service_groups.through
    counters = org_selectors.intake_counters(ServicePoint(pk=point_id)).values("pk")
    return (through.objects.filter(counter__in=counters)
            .select_related("counter__queue_state", "servicegroup")
            .order_by("counter__number", "counter_id", "servicegroup__position", "servicegroup__code"))


def _group_counts_query(point_id: int, day: date):
    waiting = Q(status=Ticket.Status.WAITING)
    return (Ticket.objects.filter(service_point_id=point_id, day=day)
            .filter(status__in=[Ticket.Status.WAITING, *Ticket.AT_COUNTER])
            .values("group_id")
            .annotate(waiting=Count("id", filter=waiting),
                      at_counters=Count("id", filter=Q(status__in=Ticket.AT_COUNTER)),
                      priority=Count("id", filter=waiting & STANDING_PRIORITY)))


# HallReads' two statements that every issue, call-next and board read makes, compiled once per process.
_COUNTER_GROUPS = PreparedQuery(_counter_groups_query, point_id=int)
_GROUP_COUNTS = PreparedQuery(_group_counts_query, point_id=int, day=date)


class HallReads:
    """What one use case (or page) has read of a service point's queue, so that its rules share each read.

    A snapshot of one moment: made at the start of a use case, dropped after it, never kept across
    requests. The rules below take it as `reads`; without one they read for themselves. Each kind of
    read is one statement for the whole point: the regular intake counters with their state and groups
    (`org.selectors.intake_counters`, closed ones included, for `served_groups`), the counts of every
    group, the recent service times of every group.
    """

    def __init__(self, point: ServicePoint):
        self.point = point
        self._links: list[tuple[Counter, ServiceGroup]] | None = None
        self._counts: dict[int, tuple[int, int, int]] | None = None
        self._minutes: dict[int, float] | None = None
        self._samples: dict[int, list[float]] = {}

    def _counter_groups(self) -> list[tuple[Counter, ServiceGroup]]:
        if self._links is None:
            self._links = [(row.counter, row.servicegroup) for row in _COUNTER_GROUPS.all(point_id=self.point.pk)]
        return self._links

    def served_groups(self) -> list[ServiceGroup]:
        """`served_groups(point)`, from the counters' read."""
        groups = {g.pk: g for _, g in self._counter_groups()}
        return sorted(groups.values(), key=lambda g: (g.position, g.code))

    def open_counters(self, group: ServiceGroup) -> list[Counter]:
        """`open_counters(point, group)`, with each counter's state, from the counters' read."""
        return [c for c, g in self._counter_groups() if g.pk == group.pk
                and getattr(getattr(c, "queue_state", None), "status", None) != CounterState.Status.CLOSED]

    def groups_of(self, counter: Counter) -> list[ServiceGroup]:
        return [g for c, g in self._counter_groups() if c.pk == counter.pk]

    def counts(self, group: ServiceGroup) -> tuple[int, int]:
        """(waiting, at a counter) tickets of `group` today, from one count of every group's."""
        return self._all_counts().get(group.pk, (0, 0, 0))[:2]

    def forget_counts(self) -> None:
        self._counts = None

    def priority_waiting(self, group: ServiceGroup) -> int:
        """Waiting tickets of `group` today with a priority that stands (declared and not refused)."""
        return self._all_counts().get(group.pk, (0, 0, 0))[2]

    def _all_counts(self) -> dict[int, tuple[int, int, int]]:
        if self._counts is None:
            rows = _GROUP_COUNTS.all(point_id=self.point.pk, day=clock.today())
            self._counts = {row["group_id"]: (row["waiting"], row["at_counters"], row["priority"]) for row in rows}
        return self._counts

    def service_minutes(self, group: ServiceGroup) -> float:
        if self._minutes is None:
            groups = self.served_groups()
            self._samples = recent_service_seconds_by_group(self.point, [g.pk for g in groups])
            self._minutes = {g.pk: estimates.typical_service_minutes(self._samples.get(g.pk, []),
                                                                     g.average_service_minutes)
                             for g in groups}
        if group.pk not in self._minutes:
            self._samples[group.pk] = recent_service_seconds(self.point, group)
            self._minutes[group.pk] = estimates.typical_service_minutes(self._samples[group.pk],
                                                                        group.average_service_minutes)
        return self._minutes[group.pk]

    def mean_service_minutes(self, group: ServiceGroup) -> float:
        """The group's mean service time to plan throughput with (`estimates.mean_service_minutes`)."""
        self.service_minutes(group)  # reads every served group's samples once
        return estimates.mean_service_minutes(self._samples.get(group.pk, []), group.average_service_minutes)


def counters_planned_now(point: ServicePoint, group: ServiceGroup | None = None, *,
                         reads: HallReads | None = None) -> list[Counter]:
    """The open counters of `open_counters` that are planned to be open now (their `planned_periods`).

    Over lunch or before opening: those planned when the hall next opens today. A counter whose planned
    hours are over counts no more, even if nobody closed it.
    """
    center = point.branch.center
    calendar = calendar_for(center)
    moment = next_opening_moment(calendar, clock.now())
    if moment is None:
        return []
    counters = (reads.open_counters(group) if reads is not None and group is not None
                else open_counters(point, group).select_related("queue_state"))
    return [c for c in counters if planned_open_at(c, moment, calendar, center)]


def served_groups(point: ServicePoint) -> list[ServiceGroup]:
    """Groups served by at least one regular intake counter of `point`, in display order."""
    return HallReads(point).served_groups()


def tickets_today(point: ServicePoint):
    return Ticket.objects.filter(service_point=point, day=clock.today())


def waiting_counts(point: ServicePoint) -> dict[int, int]:
    """Waiting tickets per group id, today."""
    rows = (tickets_today(point).filter(status=Ticket.Status.WAITING)
            .values("group_id").annotate(n=Count("id")))
    return {row["group_id"]: row["n"] for row in rows}


def recent_service_seconds_by_group(point: ServicePoint, group_ids: list[int]) -> dict[int, list[float]]:
    """`recent_service_seconds` of several groups in one statement (the newest of each group)."""
    if not group_ids:
        return {}
    newest = Window(RowNumber(), partition_by=[F("group_id")], order_by=F("finished_at").desc())
    rows = (Ticket.objects.filter(service_point=point, group_id__in=group_ids, status=Ticket.Status.DONE,
                                  started_at__isnull=False, finished_at__isnull=False)
            .annotate(rank=newest).filter(rank__lte=RECENT_SAMPLES)
            .order_by("group_id", "-finished_at").values_list("group_id", "started_at", "finished_at"))
    samples: dict[int, list[float]] = {}
    for group_id, start, end in rows:
        if start is not None and end is not None:
            samples.setdefault(group_id, []).append((end - start).total_seconds())
    return samples


def recent_service_seconds(point: ServicePoint, group: ServiceGroup) -> list[float]:
    rows = (Ticket.objects.filter(service_point=point, group=group, status=Ticket.Status.DONE,
                                  started_at__isnull=False, finished_at__isnull=False)
            .order_by("-finished_at").values_list("started_at", "finished_at")[:RECENT_SAMPLES])
    # The filter leaves no None; the check tells the type checker so (the stubs type both columns optional).
    return [(end - start).total_seconds() for start, end in rows if start is not None and end is not None]


def service_minutes(point: ServicePoint, group: ServiceGroup) -> float:
    return estimates.typical_service_minutes(recent_service_seconds(point, group), group.average_service_minutes)


@dataclass(frozen=True)
class GroupStatus:
    group: ServiceGroup
    waiting: int
    open_counters: int
    service_minutes: float
    wait_minutes: int | None


def group_status(point: ServicePoint, group: ServiceGroup, waiting: int | None = None, *,
                 reads: HallReads | None = None) -> GroupStatus:
    """How long a new ticket of `group` would wait now."""
    reads = reads or HallReads(point)
    queued, at_counters = reads.counts(group)
    waiting = queued if waiting is None else waiting
    counters = [c for c in counters_planned_now(point, group, reads=reads)
                if getattr(getattr(c, "queue_state", None), "status", None) != CounterState.Status.PAUSED]
    return GroupStatus(group, waiting, len(counters), reads.service_minutes(group),
                       _estimated_wait(point, group, waiting, at_counters, counters, reads))


def _estimated_wait(point: ServicePoint, group: ServiceGroup, ahead: int, at_counters: int,
                    counters: list[Counter], reads: HallReads) -> int | None:
    """`estimates.estimate_wait` with what the hall's reads give it (docs/queue.md, "Wait estimates").

    Each counter gives the group the share of its time that the group's queued work (per counter serving
    it) takes of the work queued for all the groups it serves (each per counter serving that group);
    today's planned periods of those counters add the closed time.
    """
    if not counters:
        return None
    mean = reads.mean_service_minutes(group)

    def counters_of(other: ServiceGroup) -> int:  # the group's open (not paused) counters, at least one
        return max(1, sum(1 for c in reads.open_counters(other)
                          if getattr(getattr(c, "queue_state", None), "status", None) != CounterState.Status.PAUSED))

    # Each group's queued work is spread over the counters serving it: a counter shared with a group that
    # has counters of its own owes that group only its part.
    own = (ahead + 1) * mean / len(counters)
    shares = []
    for counter in counters:
        other = sum(reads.counts(g)[0] * reads.mean_service_minutes(g) / counters_of(g)
                    for g in reads.groups_of(counter) if g.pk != group.pk)
        shares.append(estimates.counter_share(own, other))
    center = point.branch.center
    calendar = calendar_for(center)
    today = clock.today()
    periods = [p for c in counters for p in counter_periods(c, today, calendar, center)]
    return estimates.estimate_wait(ahead=ahead, service_minutes=mean, shares=shares, at_counters=at_counters,
                                   periods=periods, now=clock.now())


def group_statuses(point: ServicePoint) -> list[GroupStatus]:
    reads = HallReads(point)
    return [group_status(point, group, reads=reads) for group in reads.served_groups()]


def tickets_ahead(ticket: Ticket, *, reads: HallReads | None = None) -> int:
    """Waiting tickets of the same group called before `ticket` under priority-first order.

    A walk-in ticket being issued comes after every waiting ticket of its group (after every waiting
    priority one, if it has a priority): with `reads`, that is a count already made.
    """
    if ticket.status != Ticket.Status.WAITING:
        return 0
    if ticket.pk is None and ticket.booked_for is None and reads is not None:
        return reads.priority_waiting(ticket.group) if ticket.is_priority else reads.counts(ticket.group)[0]
    same = Ticket.objects.filter(service_point_id=ticket.service_point_id, group_id=ticket.group_id,
                                 day=ticket.day, status=Ticket.Status.WAITING)
    if ticket.pk is None:  # being issued: every ticket queued until now came first
        earlier = Q(queued_at__lte=ticket.queued_at)
    else:
        same = same.exclude(pk=ticket.pk)
        earlier = Q(queued_at__lt=ticket.queued_at) | Q(queued_at=ticket.queued_at, pk__lt=ticket.pk)
    priority = STANDING_PRIORITY
    now = clock.now()
    booked = Q(booked_for__lte=now)
    if ticket.booked_for and ticket.booked_for <= now:
        # Booked tickets whose slot has started: ordered by slot, then arrival, ahead of walk-ins.
        ahead = booked & (Q(booked_for__lt=ticket.booked_for) | Q(booked_for=ticket.booked_for) & earlier)
    else:
        ahead = booked | earlier
    if ticket.is_priority:
        return same.filter(priority & ahead).count()
    return same.filter(priority | ahead).count()


@dataclass(frozen=True)
class TicketEstimate:
    """What a ticket is told, with the naive estimate of the same moment (recorded for planning's report)."""

    position: int  # 1: next
    minutes: int | None  # the estimator's wait; None: no counter open
    naive_minutes: int | None  # tickets ahead × the group's configured average ÷ open counters


def ticket_estimate_figures(ticket: Ticket, *, reads: HallReads | None = None) -> TicketEstimate:
    """The ticket's position, estimated wait and naive estimate now. Also for a ticket being issued (unsaved)."""
    ahead = tickets_ahead(ticket, reads=reads)
    status = group_status(ticket.service_point, ticket.group, waiting=ahead, reads=reads)
    naive = (round(ahead * float(ticket.group.average_service_minutes) / status.open_counters)
             if status.open_counters else None)
    return TicketEstimate(ahead + 1, status.wait_minutes, naive)


def ticket_estimate(ticket: Ticket, *, reads: HallReads | None = None) -> tuple[int, int | None]:
    """(position, estimated wait in minutes): position 1 means next. Also for a ticket being issued (unsaved)."""
    figures = ticket_estimate_figures(ticket, reads=reads)
    return figures.position, figures.minutes


def last_wait_estimate(ticket: Ticket) -> WaitEstimate | None:
    """The estimate `ticket` was last shown (at issue or a later display)."""
    return WaitEstimate.objects.filter(ticket=ticket).order_by("-shown_at", "-pk").first()


@dataclass(frozen=True)
class Capacity:
    counter_minutes_left: float
    pending_minutes: float
    new_ticket_minutes: float

    @property
    def accepts(self) -> bool:
        return estimates.can_accept(counter_minutes_left=self.counter_minutes_left,
                                    pending_minutes=self.pending_minutes,
                                    new_ticket_minutes=self.new_ticket_minutes)


def capacity(point: ServicePoint, group: ServiceGroup, *, reads: HallReads | None = None) -> Capacity:
    """Working time left today at the open counters serving `group` against what they already owe.

    Counter-hours: each counter gives the minutes left today in its own planned periods. When a staffing
    plan is saved for today (`queueing.staffing`), its counters for the group, hour by hour, instead.
    """
    reads = reads or HallReads(point)
    now = clock.now()
    center = point.branch.center
    calendar = calendar_for(center)
    today = clock.today()
    counters = reads.open_counters(group)
    plan = staffing.planned_counters(point.pk, group.pk, today)
    if plan is not None:  # a saved staffing plan: its counters, given to this group alone, hour by hour
        left = staffing.minutes_left(plan, calendar.working_periods(today), now, calendar.tz) if counters else 0.0
        return Capacity(left, reads.counts(group)[0] * reads.service_minutes(group), reads.service_minutes(group))
    left = sum(estimates.remaining_minutes(counter_periods(c, today, calendar, center), now) for c in counters)
    groups = {g.pk: g for c in counters for g in reads.groups_of(c)}.values()
    pending = sum(reads.counts(g)[0] * reads.service_minutes(g) for g in groups)
    return Capacity(left, pending, reads.service_minutes(group))


def current_ticket(counter: Counter) -> Ticket | None:
    return (Ticket.objects.select_related("group").filter(counter=counter, status__in=Ticket.AT_COUNTER)
            .order_by("-called_at").first())


def get_ticket(ticket_id: int) -> Ticket | None:
    """A ticket with its counter and service point, or None."""
    return Ticket.objects.select_related("counter", "service_point").filter(pk=ticket_id).first()


def last_finished_ticket(counter: Counter) -> Ticket | None:
    """The ticket whose service ended last at `counter` (with who served it), or None."""
    return (Ticket.objects.filter(counter=counter, status=Ticket.Status.DONE, finished_at__isnull=False)
            .select_related("served_by").order_by("-finished_at", "-id").first())


def service_finished(ticket: Ticket) -> bool:
    """Whether an officer has ended the service of `ticket` at a counter."""
    return ticket.status == Ticket.Status.DONE and ticket.finished_at is not None and ticket.counter_id is not None


def counter_officer(counter: Counter):
    """The officer operating the counter now (None when nobody signed in at it)."""
    state = CounterState.objects.select_related("officer").filter(counter=counter).first()
    return state.officer if state else None


def board(point: ServicePoint) -> dict:
    """What the hall's display shows: ticket numbers only, never personal data."""
    counters = list(Counter.objects.filter(service_point=point, is_active=True).select_related("queue_state")
                    .order_by("number"))
    serving = {t.counter_id: t for t in tickets_today(point).filter(status__in=Ticket.AT_COUNTER)
               .select_related("group").order_by("called_at")}
    latest = list(tickets_today(point).filter(called_at__isnull=False).select_related("counter", "group")
                  .order_by("-called_at", "-id")[:LATEST_CALLS])
    return {
        "service_point": {"id": point.pk, "name": point.name},
        "counters": [{
            "number": c.number,
            "status": getattr(getattr(c, "queue_state", None), "status", CounterState.Status.OPEN),
            "ticket": serving[c.pk].number if c.pk in serving else None,
            "serving": serving[c.pk].status == Ticket.Status.SERVING if c.pk in serving else False,
        } for c in counters],
        "latest_calls": [{"ticket": t.number, "counter": t.counter.number if t.counter else None,
                          "called_at": t.called_at} for t in latest],
        "groups": [{"letter": s.group.letter, "name": s.group.name, "waiting": s.waiting,
                    "wait_minutes": s.wait_minutes} for s in group_statuses(point)],
    }


def points_overseen(user):
    """The service points whose counters this user operates (branch officers, administrators) or
    oversees (the center's director: every point, read only)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    points = (ServicePoint.objects.filter(is_active=True, branch__is_active=True).select_related("branch")
              .order_by("branch__number", "code"))
    if roles.has_role(user, roles.CENTER_DIRECTOR):
        return list(points)
    return [point for point in points if can_operate(user, point)]  # remembered per branch on the user


def counters_with_state(point: ServicePoint) -> list[dict]:
    """Each active counter of `point` as planned (role, groups, lanes, reservation) with its live state."""
    counters = (Counter.objects.filter(service_point=point, is_active=True).select_related("queue_state")
                .prefetch_related("service_groups").order_by("number"))
    center = point.branch.center
    serving = {t.counter_id: t.number for t in tickets_today(point).filter(status__in=Ticket.AT_COUNTER)}
    return [{
        "id": c.pk, "number": c.number, "kind": c.kind, "kind_label": str(c.get_kind_display()),
        "service_groups": [g.code for g in c.service_groups.all()],
        "group_letters": [g.letter for g in c.service_groups.all()], "lanes": c.lanes,
        "priority_only": c.priority_only, "planned_periods": org_selectors.planned_periods_of(c, center),
        "status": getattr(getattr(c, "queue_state", None), "status", CounterState.Status.OPEN),
        "ticket": serving.get(c.pk),
    } for c in counters]


def person_at_counter(user, point_code: str, number: str) -> str:
    """The ID bound to today's ticket `number` now at a counter of service point `point_code`, for an
    officer who operates that point ('' otherwise): reception opens from the console without the ID in
    its address, where access logs would keep it."""
    point = ServicePoint.objects.select_related("branch").filter(code=point_code, is_active=True).first()
    if point is None or not number or not can_operate(user, point):
        return ""
    ticket = tickets_today(point).filter(number=number, status__in=Ticket.AT_COUNTER).first()
    return ticket.national_id if ticket else ""


def waiting_list(counter: Counter, limit: int = 8) -> list[Ticket]:
    """The next tickets this counter could call (for the console), priority first."""
    from .services.calling import candidates, priority_first

    return list(priority_first(candidates(counter))[:limit])
