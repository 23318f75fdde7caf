"""What an officer does with a called ticket: recall, confirm, start, finish, no-show, transfer."""

import logging

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import audit, clock
from motcua.core.errors import Conflict, NotFound, ValidationFailed
from motcua.org.models import Counter, ServiceGroup

from .. import live, selectors
from ..models import Ticket
from ..policies import ensure_can_operate

logger = logging.getLogger(__name__)

ACTIONS = ("recall", "no-show", "transfer", "start", "finish", "confirm")


class WrongStatus(Conflict):
    code = "ticket_wrong_status"


def _locked(ticket: Ticket, user, allowed: tuple[str, ...]) -> Ticket:
    ensure_can_operate(user, ticket.service_point)
    locked = Ticket.objects.select_for_update(of=("self",)).select_related("group", "counter").get(pk=ticket.pk)
    if locked.status not in allowed:
        raise WrongStatus(
            _("Số %(number)s đang ở trạng thái “%(status)s”; không thực hiện được thao tác này.")
            % {"number": locked.number, "status": locked.get_status_display()},
            details={"status": locked.status})
    return locked


def _counter_number(ticket: Ticket) -> int:
    """The number of the counter a ticket is at; every ticket out of the queue has one (ticket_called_has_counter)."""
    assert ticket.counter is not None, f"ticket {ticket.pk} is {ticket.status} without a counter"
    return ticket.counter.number


def _audit(user, action: str, ticket: Ticket, from_state: str, **data) -> None:
    """Audit what changes a citizen's treatment (numbers and counters only, never the ID)."""
    audit.record_event(user, f"ticket.{action}", "queueing.Ticket", ticket.pk, from_state=from_state,
                       to_state=ticket.status, data={"number": ticket.number, "day": ticket.day.isoformat(),
                                                     **data})


def recall(ticket: Ticket, *, user) -> Ticket:
    """Announce a called ticket again (the citizen did not come yet)."""
    with transaction.atomic():
        ticket = _locked(ticket, user, (Ticket.Status.CALLED,))
        ticket.call_count += 1
        ticket.save(update_fields=["call_count"])
        live.publish_call(ticket, recall=True)
    return ticket


def confirm(ticket: Ticket, *, user, identity_matches: bool, priority_confirmed: bool | None = None) -> Ticket:
    """The officer checks the ID bound to the ticket (and a declared priority) against the citizen.

    A ticket presented by someone else is refused: numbers cannot be handed on or sold.
    """
    with transaction.atomic():
        ticket = _locked(ticket, user, Ticket.AT_COUNTER)
        before = ticket.status
        now = clock.now()
        fields = []
        if priority_confirmed is not None and ticket.priority:
            ticket.priority_confirmed = priority_confirmed
            fields.append("priority_confirmed")
        if identity_matches:
            ticket.identity_confirmed_at = now
            fields.append("identity_confirmed_at")
        else:
            ticket.status = Ticket.Status.REFUSED
            ticket.finished_at = now
            fields += ["status", "finished_at"]
            live.publish_change(ticket.service_point_id, "refused", counter=_counter_number(ticket))
        ticket.save(update_fields=fields)
        _audit(user, "confirmed" if identity_matches else "refused", ticket, before,
               counter=_counter_number(ticket), priority=ticket.priority, priority_confirmed=ticket.priority_confirmed)
    if not identity_matches:
        logger.warning("ticket %s refused at counter %s: holder is not the bound person",
                       ticket.number, ticket.counter_id)
    return ticket


def start(ticket: Ticket, *, user) -> Ticket:
    with transaction.atomic():
        ticket = _locked(ticket, user, (Ticket.Status.CALLED,))
        ticket.status = Ticket.Status.SERVING
        ticket.started_at = clock.now()
        ticket.save(update_fields=["status", "started_at"])
        live.publish_change(ticket.service_point_id, "started", counter=_counter_number(ticket))
    return ticket


def finish(ticket: Ticket, *, user) -> Ticket:
    with transaction.atomic():
        ticket = _locked(ticket, user, Ticket.AT_COUNTER)
        now = clock.now()
        ticket.started_at = ticket.started_at or ticket.called_at
        ticket.finished_at = now
        ticket.status = Ticket.Status.DONE
        ticket.save(update_fields=["status", "started_at", "finished_at"])
        live.publish_change(ticket.service_point_id, "finished", counter=_counter_number(ticket))
    return ticket


def no_show(ticket: Ticket, *, user) -> Ticket:
    with transaction.atomic():
        ticket = _locked(ticket, user, (Ticket.Status.CALLED,))
        ticket.status = Ticket.Status.NO_SHOW
        ticket.finished_at = clock.now()
        ticket.save(update_fields=["status", "finished_at"])
        _audit(user, "no_show", ticket, Ticket.Status.CALLED, counter=_counter_number(ticket))
        live.publish_change(ticket.service_point_id, "no_show", counter=_counter_number(ticket))
    return ticket


def transfer(ticket: Ticket, *, user, group: ServiceGroup | None = None, counter: Counter | None = None) -> Ticket:
    """Send a citizen to another group's queue or to one counter; they keep their number and place."""
    if group is None and counter is None:
        raise ValidationFailed(_("Chọn nhóm dịch vụ hoặc quầy cần chuyển đến."), code="transfer_target_required")
    point = ticket.service_point
    if group is not None and group not in selectors.served_groups(point):
        raise ValidationFailed(_("Điểm tiếp nhận này không phục vụ nhóm dịch vụ đã chọn."), code="group_not_served",
                               details={"field": "group"})
    if counter is not None and (counter.service_point_id != point.pk or not counter.is_active):
        raise NotFound(_("Không có quầy này tại điểm tiếp nhận."), code="counter_not_found")
    with transaction.atomic():
        ticket = _locked(ticket, user, Ticket.AT_COUNTER)
        if counter is not None and counter.pk == ticket.counter_id and group is None:
            raise ValidationFailed(_("Số thứ tự đang ở chính quầy này."), code="transfer_same_counter")
        previous, before, old_group = _counter_number(ticket), ticket.status, ticket.group.letter
        if group is not None:
            ticket.group = group
        ticket.target_counter = counter
        ticket.status = Ticket.Status.WAITING
        ticket.called_at = ticket.started_at = None
        ticket.transfer_count += 1
        ticket.save(update_fields=["group", "target_counter", "status", "called_at", "started_at",
                                   "transfer_count"])
        _audit(user, "transferred", ticket, before, counter=previous, from_group=old_group,
               to_group=ticket.group.letter, to_counter=counter.number if counter else None)
        live.publish_change(point.pk, "transferred", counter=previous)
    return ticket
