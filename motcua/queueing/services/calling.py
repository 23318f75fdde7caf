"""Calling the next ticket at a counter: the ordering policies and the atomic claim.

Two counters never get the same ticket. On PostgreSQL the candidate row is locked with
SELECT … FOR UPDATE SKIP LOCKED, so concurrent counters take different rows without waiting. Where
the database cannot skip locked rows (SQLite), the claim is a conditional UPDATE
(`… WHERE id = ? AND status = 'waiting'`): exactly one caller sees one updated row, the others
move on to the next candidate.
"""

import logging

from django.db import connection, transaction
from django.db.models import Case, DateTimeField, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.core.errors import Conflict, NotFound
from motcua.org import selectors as org_selectors
from motcua.org.models import Counter

from .. import live, selectors
from ..models import CounterState, OrderingPolicy, Ticket
from ..policies import ensure_can_operate

logger = logging.getLogger(__name__)

CLAIM_BATCH = 8
CLAIM_ATTEMPTS = 50

PRIORITY = ~Q(priority="") & ~Q(priority_confirmed=False)


class TicketStillOpen(Conflict):
    code = "ticket_still_open"


class CounterNotFound(NotFound):
    code = "counter_not_found"
    default_message = _("Không có quầy này.")


class CounterNotOpen(Conflict):
    code = "counter_not_open"
    default_message = _("Quầy đang tạm dừng hoặc đã đóng; hãy mở lại quầy trước khi gọi số.")


def candidates(counter: Counter):
    """Waiting tickets this counter may call today, as planned on the counter (`org.Counter`).

    Tickets sent to it, always; an intake counter also calls the numbers of its groups in its lanes. A
    counter reserved for priority cases calls only those, unless none waits and the service point lets
    its priority counters serve regular numbers then. Fee, result, consultation and digitisation
    counters call only the numbers sent to them.
    """
    now = clock.now()
    mine = Q(target_counter=counter)
    if org_selectors.serves_group(counter):
        own = Q(target_counter__isnull=True, group__in=counter.service_groups.all())
        if counter.lanes != Counter.Lanes.ALL:
            own &= Q(lane=counter.lanes)
        mine |= own
    tickets = Ticket.objects.filter(mine, service_point_id=counter.service_point_id, day=clock.today(),
                                    status=Ticket.Status.WAITING)
    if counter.priority_only:
        priority = tickets.filter(Q(target_counter=counter) | PRIORITY)
        config = selectors.config_for(counter.service_point)
        if not (config.priority_counters_serve_regular and not priority.exists()):
            tickets = priority
    return tickets.annotate(
        sent_here=Case(When(target_counter=counter, then=Value(1)), default=Value(0), output_field=IntegerField()),
        prio=Case(When(PRIORITY, then=Value(1)), default=Value(0), output_field=IntegerField()),
        # A booked ticket whose slot has started goes ahead of the walk-ins of its class (priority or regular).
        booked=Case(When(booked_for__lte=now, then=Value(1)), default=Value(0), output_field=IntegerField()),
        slot_start=Case(When(booked_for__lte=now, then=F("booked_for")), default=Value(None),
                        output_field=DateTimeField()),
    )


def priority_first(tickets):
    return tickets.order_by("-sent_here", "-prio", "-booked", "slot_start", "queued_at", "id")


def regular_first(tickets):
    return tickets.order_by("-sent_here", "prio", "-booked", "slot_start", "queued_at", "id")


def ordered_candidates(counter: Counter, state: CounterState, policy: str, max_streak: int):
    """The candidates in the order this call must follow.

    Strict: every priority ticket before any regular one. Interleave: like strict, but after
    `max_streak` priority calls in a row at this counter a waiting regular ticket goes first.
    """
    tickets = candidates(counter)
    if policy == OrderingPolicy.INTERLEAVE and state.priority_streak >= max(1, max_streak):
        return regular_first(tickets)
    return priority_first(tickets)


def _claim(tickets, counter: Counter, user, now) -> Ticket | None:
    changes = {"status": Ticket.Status.CALLED, "counter": counter, "called_at": now, "call_count": 1,
               "served_by": user if user is not None and user.is_authenticated else None}
    if connection.features.has_select_for_update_skip_locked:
        ticket = tickets.select_for_update(skip_locked=True, of=("self",)).select_related("group").first()
        if ticket is None:
            return None
        for field, value in changes.items():
            setattr(ticket, field, value)
        ticket.first_called_at = ticket.first_called_at or now
        ticket.save(update_fields=[*changes, "first_called_at"])
        return ticket
    for _attempt in range(CLAIM_ATTEMPTS):
        # The candidates are read whole: the one claimed is answered without reading it again.
        batch = list(tickets.select_related("group")[:CLAIM_BATCH])
        if not batch:
            return None
        for ticket in batch:
            if Ticket.objects.filter(pk=ticket.pk, status=Ticket.Status.WAITING).update(
                    **changes, first_called_at=Coalesce("first_called_at", Value(now))) == 1:
                for field, value in changes.items():
                    setattr(ticket, field, value)
                ticket.first_called_at = ticket.first_called_at or now
                return ticket
    raise Conflict(code="call_contention")


def close_current(counter: Counter, now) -> int:
    """Finish whatever the counter was serving (a called ticket never started counts from its call)."""
    return Ticket.objects.filter(counter=counter, status__in=Ticket.AT_COUNTER).update(
        status=Ticket.Status.DONE, started_at=Coalesce("started_at", "called_at"), finished_at=now)


def call_next(counter: Counter | int, *, user, finish_current: bool = False) -> Ticket | None:
    """Call the next ticket at `counter` (a counter or its id); None when nobody waits.

    A ticket still at the counter is never closed silently: without `finish_current` the call is
    refused (409 `ticket_still_open`) so that the officer finishes it, marks it absent or sends it on;
    with it, that ticket is finished first (the console's "finish and call next").
    """
    now = clock.now()
    with transaction.atomic():
        found = selectors.locked_counter(counter if isinstance(counter, int) else counter.pk)
        if found is None:
            raise CounterNotFound()
        counter, state = found
        point = counter.service_point
        ensure_can_operate(user, point)
        config = selectors.config_for(point)
        if state.status != CounterState.Status.OPEN:
            raise CounterNotOpen()
        current = None if finish_current else (
            Ticket.objects.filter(counter=counter, status__in=Ticket.AT_COUNTER).order_by("called_at").first())
        if current is not None:
            raise TicketStillOpen(
                _("Số %(number)s vẫn đang ở quầy: hãy kết thúc, đánh dấu vắng mặt hoặc chuyển quầy trước khi "
                  "gọi số tiếp theo.") % {"number": current.number},
                details={"ticket": current.number, "ticket_id": current.pk})
        close_current(counter, now)
        tickets = ordered_candidates(counter, state, config.ordering_policy, config.max_priority_streak)
        ticket = _claim(tickets, counter, user, now)
        if ticket is None:
            live.publish_change(point.pk, "idle", counter=counter.number)
            return None
        streak = state.priority_streak + 1 if ticket.is_priority else 0
        if streak != state.priority_streak or (state.officer_id is None and ticket.served_by_id):
            state.priority_streak = streak
            state.officer_id = state.officer_id or ticket.served_by_id
            state.save(update_fields=["priority_streak", "officer", "updated_at"])
        live.publish_call(ticket)
    logger.info("counter %s called %s", counter.pk, ticket.number)
    return ticket
