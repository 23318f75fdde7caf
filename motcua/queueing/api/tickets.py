"""Issuing tickets (kiosk or reception desk) and a citizen's view of their ticket."""

from django.conf import settings
from django.utils.translation import gettext as _
from ninja import Router, Status

from motcua.core.api import ErrorOut, authenticated
from motcua.core.errors import NotFound
from motcua.core.ratelimit import ClientRateThrottle, RequestRateThrottle

from .. import selectors, services
from ..models import Ticket
from ..pairing import DeviceKey
from ..services import devices
from .common import ERRORS, find_group, find_point
from .schemas import TicketIn, TicketOut, ticket_out

# Operation ids as published before the API became a package: clients generated from the schema keep
# their names.
router = Router()


def _device_of(request) -> str | None:
    device = getattr(request, "device", None)
    return str(device.pk) if device is not None else None


TICKET_THROTTLES = [
    ClientRateThrottle(lambda: settings.MOTCUA_TICKET_RATE, "ticket_issue"),
    RequestRateThrottle(lambda: settings.MOTCUA_TICKET_DEVICE_RATE, "ticket_issue_device", _device_of),
]


@router.post("/service-points/{point_id}/tickets", response={201: TicketOut, **ERRORS, 429: ErrorOut},
             auth=[DeviceKey(), *authenticated], throttle=TICKET_THROTTLES, summary="Take a queue number",
             operation_id="motcua_queueing_api_create_ticket")
def create_ticket(request, point_id: int, payload: TicketIn):
    """A paired kiosk of this service point (X-Device-Key), or an officer of the branch at the reception desk.

    Officers sign in with a bearer token or their session (with its CSRF token); their tickets are
    `reception` tickets, priority confirmed. Per client address and per kiosk the requests are limited.
    """
    point = find_point(point_id)
    device = getattr(request, "device", None)
    devices.ensure_device_at(device, point.pk)
    kiosk = device is not None
    reads = selectors.HallReads(point)
    ticket = services.issue_ticket(
        service_point=point, group=find_group(point, payload.group, reads), reads=reads,
        national_id=payload.national_id,
        phone=payload.phone, priority=payload.priority, lane=payload.lane,
        source=Ticket.Source.KIOSK if kiosk else Ticket.Source.RECEPTION, user=None if kiosk else request.user,
        device=f"kiosk-{device.pk}" if kiosk else payload.device)
    return Status(201, ticket_out(ticket))


@router.get("/tickets/by-token/{token}", response={200: TicketOut, 404: ErrorOut}, auth=None,
            summary="A citizen's ticket: position and estimated wait",
            operation_id="motcua_queueing_api_get_ticket")
def get_ticket(request, token: str):
    ticket = Ticket.objects.select_related("group", "service_point").filter(token=token).first()
    if ticket is None:
        raise NotFound(_("Không có số thứ tự này."), code="ticket_not_found")
    return ticket_out(ticket)
