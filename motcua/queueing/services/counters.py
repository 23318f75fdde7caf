"""Opening, pausing, resuming and closing a counter."""

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from motcua.core import audit, clock
from motcua.core.errors import Conflict
from motcua.org.models import Counter

from .. import live, selectors
from ..models import CounterState, Ticket
from ..policies import ensure_can_operate


def _set_status(counter: Counter, user, status: str, allowed: tuple[str, ...]) -> CounterState:
    ensure_can_operate(user, counter.service_point)
    with transaction.atomic():
        state = selectors.locked_state(counter)
        if state.status not in allowed:
            raise Conflict(_("Quầy đang ở trạng thái “%(status)s”.") % {"status": state.get_status_display()},
                           code="counter_wrong_status")
        before = state.status
        state.status = status
        state.officer = user
        state.paused_at = clock.now() if status == CounterState.Status.PAUSED else None
        state.save(update_fields=["status", "officer", "paused_at", "updated_at"])
        audit.record_event(user, f"counter.{status}", "org.Counter", counter.pk, from_state=before, to_state=status,
                           data={"service_point": counter.service_point_id, "number": counter.number})
        live.publish_change(counter.service_point_id, f"counter_{status}", counter=counter.number)
    return state


def pause(counter: Counter, *, user) -> CounterState:
    """A break: no calls until resumed; the counter still counts for today's capacity."""
    if Ticket.objects.filter(counter=counter, status__in=Ticket.AT_COUNTER).exists():
        raise Conflict(_("Hãy kết thúc, chuyển hoặc đánh dấu vắng mặt số đang phục vụ trước khi tạm dừng."),
                       code="counter_busy")
    return _set_status(counter, user, CounterState.Status.PAUSED, (CounterState.Status.OPEN,))


def resume(counter: Counter, *, user) -> CounterState:
    return _set_status(counter, user, CounterState.Status.OPEN,
                       (CounterState.Status.PAUSED, CounterState.Status.CLOSED))


def close(counter: Counter, *, user) -> CounterState:
    """Closed for the day: it no longer counts for capacity, so issuing may stop earlier."""
    if Ticket.objects.filter(counter=counter, status__in=Ticket.AT_COUNTER).exists():
        raise Conflict(_("Hãy kết thúc, chuyển hoặc đánh dấu vắng mặt số đang phục vụ trước khi đóng quầy."),
                       code="counter_busy")
    return _set_status(counter, user, CounterState.Status.CLOSED,
                       (CounterState.Status.OPEN, CounterState.Status.PAUSED))
