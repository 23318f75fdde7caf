"""The hall's kiosk: who may issue tickets on it, its limits, the kiosk page and the printed slip."""

from django.conf import settings
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from motcua.core import ratelimit
from motcua.core.clients import client_address
from motcua.core.errors import DomainError, page_status
from motcua.org.models import ServiceGroup

from .. import pairing, selectors, services
from ..models import Device, Lane, Ticket
from ..services import wait_records
from .common import point_or_404


def kiosk_access(request, point):
    """(desk, device): an officer of the branch is the reception desk; otherwise a paired kiosk, or neither."""
    desk = services.can_operate(request.user, point)
    return desk, pairing.paired_device(request, kind=Device.Kind.KIOSK, service_point=point)


def unpaired_kiosk(request, point):
    """The answer to a browser that is neither a paired kiosk of `point` nor an officer of its branch."""
    return render(request, "queueing/kiosk_unpaired.html", {"point": point}, status=403)


def limit_ticket_issue(request, device) -> None:
    """The limits of every ticket asked for on a kiosk page: per client address, and per paired kiosk.

    The same scopes as the API's throttles, so a client cannot double its share by using both.
    """
    ratelimit.enforce("ticket_issue", client_address(request), settings.MOTCUA_TICKET_RATE)
    if device is not None:
        ratelimit.enforce("ticket_issue_device", str(device.pk), settings.MOTCUA_TICKET_DEVICE_RATE)


def kiosk(request, point_id: int):
    """Touch screen in the hall: choose a group, enter the ID or a phone number, declare a priority, print."""
    point = point_or_404(point_id)
    # An officer of the branch signed in on this page is the reception desk: declared priority is confirmed.
    desk, device = kiosk_access(request, point)
    if not (desk or device):
        return unpaired_kiosk(request, point)
    error, values = None, {}
    if request.method == "POST":
        values = {key: request.POST.get(key, "").strip() for key in ("group", "national_id", "phone", "priority",
                                                                     "lane")}
        group = ServiceGroup.objects.filter(pk=values["group"] if values["group"].isdigit() else None,
                                            center_id=point.branch.center_id).first()
        try:
            limit_ticket_issue(request, device)
            if group is None:
                raise DomainError(_("Vui lòng chọn lĩnh vực cần giải quyết."), code="group_required")
            ticket = services.issue_ticket(
                service_point=point, group=group, national_id=values["national_id"], phone=values["phone"],
                priority=values["priority"], lane=values["lane"] or Lane.IN_PERSON,
                source=Ticket.Source.RECEPTION if desk else Ticket.Source.KIOSK, user=request.user if desk else None,
                device=f"kiosk-{device.pk}" if device else "")
        except DomainError as exc:
            error = exc
        else:
            return redirect("queue-slip", token=ticket.token)
    return render(request, "queueing/kiosk.html", {
        "point": point, "statuses": selectors.group_statuses(point), "priorities": Ticket.Priority.choices[1:],
        "lanes": Lane.choices, "error": error, "values": values, "config": selectors.config_for(point), "desk": desk,
        "device": device, "pairing": {"kind": Device.Kind.KIOSK, "target": point.pk},
    }, status=page_status(error, default=200) if error else 200)


def slip(request, token: str):
    """The ticket as printed: number, group, position and wait; the ID masked."""
    ticket = get_object_or_404(Ticket.objects.select_related("group", "service_point"), token=token)
    position, wait = wait_records.displayed_estimate(ticket)
    return render(request, "queueing/slip.html", {"ticket": ticket, "position": position, "wait": wait})
