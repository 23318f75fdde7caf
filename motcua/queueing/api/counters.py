"""At the counter: call the next ticket, pause/resume/close the counter, act on the called ticket."""

from django.utils.translation import gettext as _
from ninja import Router

from motcua.core.api import authenticated
from motcua.core.errors import NotFound, ValidationFailed
from motcua.org.models import Counter

from .. import selectors, services
from ..models import Ticket
from .common import ERRORS, find_counter, find_group
from .schemas import ActionIn, CalledTicketOut, CallOut, CounterStateOut, called_out

# Operation ids as published before the API became a package: clients generated from the schema keep
# their names.
router = Router()


@router.post("/counters/{counter_id}/call-next", response={200: CallOut, **ERRORS}, auth=authenticated,
             summary="Call the next ticket at a counter (409 ticket_still_open unless finish_current)",
             operation_id="motcua_queueing_api_call_next")
def call_next(request, counter_id: int, finish_current: bool = False):
    """A ticket still at the counter is refused with 409 `ticket_still_open`; `?finish_current=true` finishes it."""
    ticket = services.call_next(counter_id, user=request.user, finish_current=finish_current)
    if ticket is None:
        return CallOut(ticket=None, message=_("Không còn ai đang chờ ở quầy này."))
    return CallOut(ticket=called_out(ticket), message=_("Mời công dân có số %(number)s đến quầy số %(counter)s")
                   % {"number": ticket.number, "counter": ticket.counter.number})


@router.post("/counters/{counter_id}/{action}", response={200: CounterStateOut, **ERRORS}, auth=authenticated,
             summary="Pause, resume or close a counter",
             operation_id="motcua_queueing_api_counter_action")
def counter_action(request, counter_id: int, action: str):
    handlers = {"pause": services.pause, "resume": services.resume, "close": services.close}
    if action not in handlers:
        raise NotFound(_("Thao tác không tồn tại."), code="unknown_action")
    counter = find_counter(counter_id)
    state = handlers[action](counter, user=request.user)
    current = selectors.current_ticket(counter)
    return CounterStateOut(number=counter.number, status=state.status, ticket=current.number if current else None,
                      serving=bool(current and current.status == Ticket.Status.SERVING))


@router.post("/tickets/{ticket_id}/{action}", response={200: CalledTicketOut, **ERRORS}, auth=authenticated,
             summary="Recall, no-show, transfer, start, finish or confirm a called ticket",
             operation_id="motcua_queueing_api_ticket_action")
def ticket_action(request, ticket_id: int, action: str, payload: ActionIn | None = None):
    if action not in services.ACTIONS:
        raise NotFound(_("Thao tác không tồn tại."), code="unknown_action")
    ticket = Ticket.objects.select_related("service_point__branch", "group").filter(pk=ticket_id).first()
    if ticket is None:
        raise NotFound(_("Không có số thứ tự này."), code="ticket_not_found")
    payload = payload or ActionIn()
    user = request.user
    if action == "transfer":
        services.ensure_can_operate(user, ticket.service_point)
        group = find_group(ticket.service_point, payload.group) if payload.group else None
        counter = None
        if payload.counter is not None:
            counter = Counter.objects.filter(service_point=ticket.service_point, number=payload.counter,
                                             is_active=True).first()
            if counter is None:
                raise NotFound(_("Không có quầy này tại điểm tiếp nhận."), code="counter_not_found")
        ticket = services.transfer(ticket, user=user, group=group, counter=counter)
    elif action == "confirm":
        if payload.identity_matches is None:
            raise ValidationFailed(_("Cho biết người đến có đúng là người đã lấy số không."),
                                   code="identity_matches_required", details={"field": "identity_matches"})
        ticket = services.confirm(ticket, user=user, identity_matches=payload.identity_matches,
                                  priority_confirmed=payload.priority_confirmed)
    else:
        handler = {"recall": services.recall, "no-show": services.no_show, "start": services.start,
                   "finish": services.finish}[action]
        ticket = handler(ticket, user=user)
    return called_out(ticket)
