"""Booking pages: the citizen books a slot online (/queue/book/) and checks in at the kiosk.

The booking page works without JavaScript: each step is a GET form (service point, group, day) and
the last a POST (slot, ID, phone). The demo (settings.DEBUG with the fake SMS sender) shows the
one-time code on the page, since no SMS leaves the machine; production never does.
"""

import datetime as dt

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from motcua.core import ratelimit
from motcua.core.clients import client_address
from motcua.core.errors import DomainError, NotFound, ValidationFailed, page_status
from motcua.integrations.sms import get_sms
from motcua.integrations.sms.fake import OutboxSms
from motcua.org.models import ServicePoint

from .. import selectors
from ..api.booking import qr_data_uri
from ..services import booking as booking_service
from ..services import check_in as check_in_service
from .common import point_or_404
from .kiosk import kiosk_access, limit_ticket_issue, unpaired_kiosk


def _choice(queryset, value: str):
    return queryset.filter(pk=value).first() if (value or "").isdigit() else None


def limit_booking(request) -> None:
    """The API's per-client limit on booking requests (`MOTCUA_BOOKING_RATE`), shared with the pages."""
    ratelimit.enforce("booking", client_address(request), settings.MOTCUA_BOOKING_RATE)


def _points():
    return (ServicePoint.objects.filter(is_active=True, branch__is_active=True)
            .select_related("branch__center").order_by("branch__number", "name"))


@require_http_methods(["GET", "POST"])
def book(request):
    """Choose a service point, the procedure (its group follows), a day and a free slot; enter the ID and phone;
    get a code by SMS."""
    data = request.POST if request.method == "POST" else request.GET
    point = _choice(_points(), data.get("point", ""))
    procedures = booking_service.bookable_procedures(point) if point else []
    procedure = next((p for p in procedures if p.code == data.get("procedure", "")), None)
    group = booking_service.group_for_procedure(point, procedure) if point and procedure else None
    days = booking_service.bookable_days(point) if point else []
    day = next((d for d in days if d.isoformat() == data.get("date", "")), None)
    error, slots, values = None, [], {k: data.get(k, "").strip() for k in ("national_id", "phone", "time")}
    if request.method == "POST":
        try:
            limit_booking(request)
            if not (point and group and day):
                raise ValidationFailed(_("Vui lòng chọn điểm tiếp nhận, thủ tục và ngày."),
                                       code="booking_choice_required")
            if not values["time"]:
                raise ValidationFailed(_("Vui lòng chọn một khung giờ còn chỗ."), code="slot_required",
                                       details={"field": "time"})
            start = dt.time.fromisoformat(values["time"])
            booking = booking_service.create_booking(service_point=point, group=group, day=day, start=start,
                                                     national_id=values["national_id"], phone=values["phone"],
                                                     procedure=procedure)
        except (DomainError, ValueError) as exc:
            error = exc if isinstance(exc, DomainError) else ValidationFailed(_("Khung giờ không hợp lệ."),
                                                                              code="slot_invalid")
        else:
            return redirect("queue-booking", public_id=booking.public_id)
    if point and group and day:
        try:
            slots = booking_service.slots_for(point, group, day)
        except DomainError as exc:
            error = error or exc
    return render(request, "queueing/book.html", {
        "points": _points(), "point": point, "procedures": procedures, "procedure": procedure, "group": group,
        "days": days, "day": day,
        "slots": [(timezone.localtime(s.start), timezone.localtime(s.end), s.remaining) for s in slots],
        "error": error, "values": values, "config": selectors.config_for(point) if point else None,
    }, status=page_status(error) if error else 200)


def _demo_otp(booking) -> str | None:
    """The code just texted, shown on the page in development and the demo only, with the fake sender."""
    if not (settings.DEBUG or settings.DEMO) or not isinstance(get_sms(), OutboxSms):
        return None
    messages = OutboxSms.messages(booking.phone)
    if not messages:
        return None
    text = messages[-1].text
    return next((word for word in text.split() if word.isdigit() and len(word) == 6), None)


@require_http_methods(["GET", "POST"])
def booking_page(request, public_id: str):
    """The citizen's booking: enter the code received by SMS, then the confirmation with QR and time."""
    try:
        booking = booking_service.get_booking(public_id)
    except NotFound:
        return render(request, "queueing/booking.html", {"booking": None}, status=404)
    if booking.public_id != public_id:  # the page is reached by its link only, not by the short code
        return render(request, "queueing/booking.html", {"booking": None}, status=404)
    error = None
    if request.method == "POST":
        try:
            limit_booking(request)
            if request.POST.get("action") == "cancel":
                booking_service.cancel_booking(booking)
            else:
                booking_service.confirm_booking(booking, request.POST.get("otp", ""))
        except DomainError as exc:
            error = exc
            booking.refresh_from_db()
        else:
            return redirect("queue-booking", public_id=booking.public_id)
    opens, closes = check_in_service.window(booking)
    return render(request, "queueing/booking.html", {
        "booking": booking, "error": error, "demo_otp": _demo_otp(booking) if booking.status == "pending" else None,
        "qr": qr_data_uri(booking), "start": timezone.localtime(booking.starts_at),
        "end": timezone.localtime(booking.ends_at), "opens": timezone.localtime(opens),
        "closes": timezone.localtime(closes), "otp_minutes": booking_service.hold_minutes(),
    }, status=page_status(error) if error else 200)


@require_http_methods(["GET", "POST"])
def kiosk_check_in(request, point_id: int):
    """"Tôi đã đặt lịch": the booking code (typed, or scanned: the scanner types it) or the national ID."""
    point = point_or_404(point_id)
    # Like the kiosk itself: a paired kiosk or an officer, or anyone could check in anyone's booking by ID.
    desk, device = kiosk_access(request, point)
    if not (desk or device):
        return unpaired_kiosk(request, point)
    error, reference = None, ""
    if request.method == "POST":
        reference = request.POST.get("reference", "").strip()
        try:
            limit_ticket_issue(request, device)
            if not reference:
                raise ValidationFailed(_("Vui lòng nhập mã đặt lịch hoặc số định danh cá nhân."),
                                       code="reference_required")
            booking = check_in_service.find_for_check_in(point, reference)
            ticket = check_in_service.check_in(booking, service_point=point)
        except DomainError as exc:
            error = exc
        else:
            return redirect("queue-slip", token=ticket.token)
    return render(request, "queueing/check_in.html", {"point": point, "error": error, "reference": reference,
                                                      "config": selectors.config_for(point)},
                  status=page_status(error) if error else 200)

