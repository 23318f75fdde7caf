"""Queue API: issue tickets, call and handle them at counters, read the board, follow live events.

Public answers (board, events, a citizen's ticket) carry ticket numbers only; the bound ID is shown
in full only to the officer who calls the ticket.
"""

from datetime import datetime

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from motcua.core import events
from motcua.core.api import ErrorOut, authenticated
from motcua.core.errors import NotFound, ValidationFailed
from motcua.core.ratelimit import ClientRateThrottle, RequestRateThrottle
from motcua.org.api import ServicePointCounterOut
from motcua.org.models import Counter, ServiceGroup

from . import live, selectors, services
from .models import Lane, Ticket
from .pairing import DeviceKey
from .services import devices

router = Router(tags=["queueing"])

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _device_of(request) -> str | None:
    device = getattr(request, "device", None)
    return str(device.pk) if device is not None else None


TICKET_THROTTLES = [
    ClientRateThrottle(lambda: settings.MOTCUA_TICKET_RATE, "ticket_issue"),
    RequestRateThrottle(lambda: settings.MOTCUA_TICKET_DEVICE_RATE, "ticket_issue_device", _device_of),
]


class TicketIn(Schema):
    group: str
    national_id: str = ""
    phone: str = ""
    priority: str = ""
    lane: str = Lane.IN_PERSON
    device: str = ""


class TicketOut(Schema):
    id: int
    number: str
    group: str
    group_name: str
    status: str
    lane: str
    priority: str
    source: str | None
    national_id_masked: str
    position: int | None
    estimated_wait_minutes: int | None
    issued_at: datetime
    token: str


class CalledTicketOut(Schema):
    """A ticket as the officer at the counter sees it: the bound ID in full, to check against the card."""

    id: int
    number: str
    group: str
    status: str
    counter: int | None
    lane: str
    priority: str
    priority_confirmed: bool | None
    national_id: str
    phone_masked: str
    flagged: bool
    flag_reason: str
    call_count: int
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None


class CallOut(Schema):
    ticket: CalledTicketOut | None
    message: str


class ActionIn(Schema):
    group: str | None = None
    counter: int | None = None
    identity_matches: bool | None = None
    priority_confirmed: bool | None = None


class CounterStateOut(Schema):
    number: int
    status: str
    ticket: str | None
    serving: bool


class PointCounterOut(ServicePointCounterOut):
    """A counter as planned (org's schema) with its live state."""

    status: str
    ticket: str | None


class CallEntryOut(Schema):
    ticket: str
    counter: int | None
    called_at: datetime


class GroupWaitOut(Schema):
    letter: str
    name: str
    waiting: int
    wait_minutes: int | None


class PointOut(Schema):
    id: int
    name: str


class BoardOut(Schema):
    service_point: PointOut
    counters: list[CounterStateOut]
    latest_calls: list[CallEntryOut]
    groups: list[GroupWaitOut]


def _point(point_id: int):
    point = selectors.get_point(point_id)
    if point is None:
        raise NotFound(_("Không có điểm tiếp nhận này."), code="service_point_not_found")
    return point


def _counter(counter_id: int) -> Counter:
    counter = selectors.get_counter(counter_id)
    if counter is None:
        raise NotFound(_("Không có quầy này."), code="counter_not_found")
    return counter


def _group(point, value: str) -> ServiceGroup:
    value = (value or "").strip()
    group = ServiceGroup.objects.filter(Q(code=value) | Q(letter=value.upper()),
                                        center_id=point.branch.center_id).first() if value else None
    if group is None:
        raise ValidationFailed(_("Không có nhóm dịch vụ này."), code="group_not_found", details={"field": "group"})
    return group


def ticket_out(ticket: Ticket) -> TicketOut:
    position, wait = selectors.ticket_estimate(ticket)
    waiting = ticket.status == Ticket.Status.WAITING
    return TicketOut(id=ticket.pk, number=ticket.number, group=ticket.group.letter, group_name=ticket.group.name,
                     status=ticket.status, lane=ticket.lane, priority=ticket.priority, source=ticket.source,
                     national_id_masked=ticket.masked_national_id or ticket.masked_phone,
                     position=position if waiting else None, estimated_wait_minutes=wait if waiting else None,
                     issued_at=ticket.issued_at, token=ticket.token)


def called_out(ticket: Ticket) -> CalledTicketOut:
    return CalledTicketOut(
        id=ticket.pk, number=ticket.number, group=ticket.group.letter, status=ticket.status,
        counter=ticket.counter.number if ticket.counter else None, lane=ticket.lane, priority=ticket.priority,
        priority_confirmed=ticket.priority_confirmed, national_id=ticket.national_id,
        phone_masked=ticket.masked_phone, flagged=ticket.flagged, flag_reason=ticket.flag_reason,
        call_count=ticket.call_count, called_at=ticket.called_at, started_at=ticket.started_at,
        finished_at=ticket.finished_at)


@router.post("/service-points/{point_id}/tickets", response={201: TicketOut, **ERRORS, 429: ErrorOut},
             auth=[DeviceKey(), *authenticated], throttle=TICKET_THROTTLES, summary="Take a queue number")
def create_ticket(request, point_id: int, payload: TicketIn):
    """A paired kiosk of this service point (X-Device-Key), or an officer of the branch at the reception desk.

    Officers sign in with a bearer token or their session (with its CSRF token); their tickets are
    `reception` tickets, priority confirmed. Per client address and per kiosk the requests are limited.
    """
    point = _point(point_id)
    device = getattr(request, "device", None)
    devices.ensure_device_at(device, point.pk)
    kiosk = device is not None
    ticket = services.issue_ticket(
        service_point=point, group=_group(point, payload.group), national_id=payload.national_id,
        phone=payload.phone, priority=payload.priority, lane=payload.lane,
        source=Ticket.Source.KIOSK if kiosk else Ticket.Source.RECEPTION, user=None if kiosk else request.user,
        device=f"kiosk-{device.pk}" if kiosk else payload.device)
    return Status(201, ticket_out(ticket))


@router.get("/tickets/by-token/{token}", response={200: TicketOut, 404: ErrorOut}, auth=None,
            summary="A citizen's ticket: position and estimated wait")
def get_ticket(request, token: str):
    ticket = Ticket.objects.select_related("group", "service_point").filter(token=token).first()
    if ticket is None:
        raise NotFound(_("Không có số thứ tự này."), code="ticket_not_found")
    return ticket_out(ticket)


@router.post("/counters/{counter_id}/call-next", response={200: CallOut, **ERRORS}, auth=authenticated,
             summary="Call the next ticket at a counter (409 ticket_still_open unless finish_current)")
def call_next(request, counter_id: int, finish_current: bool = False):
    """A ticket still at the counter is refused with 409 `ticket_still_open`; `?finish_current=true` finishes it."""
    ticket = services.call_next(_counter(counter_id), user=request.user, finish_current=finish_current)
    if ticket is None:
        return CallOut(ticket=None, message=_("Không còn ai đang chờ ở quầy này."))
    return CallOut(ticket=called_out(ticket), message=_("Mời công dân có số %(number)s đến quầy số %(counter)s")
                   % {"number": ticket.number, "counter": ticket.counter.number})


@router.post("/counters/{counter_id}/{action}", response={200: CounterStateOut, **ERRORS}, auth=authenticated,
             summary="Pause, resume or close a counter")
def counter_action(request, counter_id: int, action: str):
    handlers = {"pause": services.pause, "resume": services.resume, "close": services.close}
    if action not in handlers:
        raise NotFound(_("Thao tác không tồn tại."), code="unknown_action")
    counter = _counter(counter_id)
    state = handlers[action](counter, user=request.user)
    current = selectors.current_ticket(counter)
    return CounterStateOut(number=counter.number, status=state.status, ticket=current.number if current else None,
                      serving=bool(current and current.status == Ticket.Status.SERVING))


@router.post("/tickets/{ticket_id}/{action}", response={200: CalledTicketOut, **ERRORS}, auth=authenticated,
             summary="Recall, no-show, transfer, start, finish or confirm a called ticket")
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
        group = _group(ticket.service_point, payload.group) if payload.group else None
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


@router.get("/service-points/{point_id}/board", response={200: BoardOut, 404: ErrorOut}, auth=None,
            summary="What the hall's display shows (numbers only)")
def board(request, point_id: int):
    return selectors.board(_point(point_id))


@router.get("/service-points/{point_id}/counters", response={200: list[PointCounterOut], 404: ErrorOut}, auth=None,
            summary="The counters of a service point: id (for call-next), role, groups, lanes and live state")
def point_counters(request, point_id: int):
    return selectors.counters_with_state(_point(point_id))


@router.get("/service-points/{point_id}/events", auth=None, response={200: None, 404: ErrorOut},
            url_name="queue-board-events",
            summary="Server-sent events: call, change (resume with Last-Event-ID)")
def board_events(request, point_id: int):
    return events.sse_response(live.channel(_point(point_id).pk), request)


# Booking endpoints (/service-points/{id}/slots, /bookings…) live in their own module.
from .api_booking import router as booking_router  # noqa: E402

router.add_router("", booking_router)
