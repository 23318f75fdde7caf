"""Booking API: free slots, booking with a one-time code, confirm, cancel and check in at the center.

A booking is addressed by its public id (random, returned when booking) or by its code (printed,
typed or scanned at the kiosk); internal row ids are never exposed. Answers show the national ID
and the phone masked.
"""

import datetime as dt

import segno
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from motcua.catalog.selectors import get_procedure
from motcua.core.api import ErrorOut, authenticated
from motcua.core.errors import ValidationFailed
from motcua.core.ratelimit import ClientRateThrottle

from .. import services
from ..models import Booking
from ..pairing import DeviceKey
from ..services import booking as booking_service
from ..services import check_in as check_in_service
from ..services import devices
from .common import find_group, find_point

router = Router(tags=["queueing"])

ERRORS = {400: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut, 429: ErrorOut}
# The same scope as the booking pages (views/booking.py, limit_booking): one budget per client address.
THROTTLE = [ClientRateThrottle(lambda: settings.MOTCUA_BOOKING_RATE, "booking")]


class SlotOut(Schema):
    start: dt.datetime
    end: dt.datetime
    capacity: int
    remaining: int


class SlotsOut(Schema):
    service_point: int
    group: str
    date: dt.date
    working_day: bool
    slots: list[SlotOut]


class BookingIn(Schema):
    service_point: int
    procedure: str = ""  # the procedure's code: its group follows (preferred)
    group: str = ""  # or the group's letter or code
    date: str
    time: str
    national_id: str = ""
    phone: str = ""


class OtpIn(Schema):
    otp: str = ""


class BookingOut(Schema):
    id: str
    code: str
    status: str
    service_point: int
    service_point_name: str
    address: str
    group: str
    group_name: str
    procedure: str | None
    procedure_name: str | None
    date: dt.date
    start: dt.datetime
    end: dt.datetime
    arrive_at: str
    check_in_from: dt.datetime
    check_in_until: dt.datetime
    national_id_masked: str
    phone_masked: str
    qr_code: str
    ticket_number: str | None
    ticket_token: str | None


def parse_date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(_("Ngày phải có dạng YYYY-MM-DD."), code="date_format",
                               details={"field": "date"}) from None


def parse_time(value: str) -> dt.time:
    try:
        moment = dt.time.fromisoformat((value or "").strip())
    except ValueError:
        raise ValidationFailed(_("Giờ phải có dạng HH:MM."), code="time_format", details={"field": "time"}) from None
    return moment.replace(second=0, microsecond=0, tzinfo=None)


def qr_data_uri(booking: Booking) -> str:
    """The booking code as a QR code (SVG data URI): the kiosk's scanner types it into the check-in field."""
    return segno.make(booking.code, error="m").svg_data_uri(scale=6, border=2)


def booking_out(booking: Booking) -> BookingOut:
    opens, closes = check_in_service.window(booking)
    ticket = booking.ticket if booking.ticket_id else None
    return BookingOut(
        id=booking.public_id, code=booking.code, status=booking.status, service_point=booking.service_point_id,
        service_point_name=booking.service_point.name, address=booking.service_point.address,
        group=booking.group.letter, group_name=booking.group.name,
        procedure=booking.procedure.code if booking.procedure else None,
        procedure_name=booking.procedure.name if booking.procedure else None, date=booking.day, start=booking.starts_at,
        end=booking.ends_at, arrive_at=timezone.localtime(booking.starts_at).strftime("%H:%M %d/%m/%Y"),
        check_in_from=opens, check_in_until=closes, national_id_masked=booking.masked_national_id,
        phone_masked=booking.masked_phone, qr_code=qr_data_uri(booking),
        ticket_number=ticket.number if ticket else None, ticket_token=ticket.token if ticket else None)


def _procedure(code: str):
    procedure = get_procedure(code.strip())
    if procedure is None:
        raise ValidationFailed(_("Không có thủ tục này."), code="procedure_not_found", details={"field": "procedure"})
    return procedure


@router.get("/service-points/{point_id}/slots", response={200: SlotsOut, **ERRORS}, auth=None,
            summary="Free booking slots of a group on a day")
def slots(request, point_id: int, date: str = "", group: str = ""):
    point = find_point(point_id)
    group_obj = find_group(point, group)
    day = parse_date(date)
    found = booking_service.slots_for(point, group_obj, day)
    return SlotsOut(service_point=point.pk, group=group_obj.letter, date=day,
                    working_day=day in booking_service.bookable_days(point),
                    slots=[SlotOut(start=s.start, end=s.end, capacity=s.capacity, remaining=s.remaining)
                           for s in found])


@router.post("/bookings", response={201: BookingOut, **ERRORS, 503: ErrorOut}, auth=None, throttle=THROTTLE,
             summary="Ask for a slot; a one-time code is texted to the phone, and confirming it takes the place")
def create_booking(request, payload: BookingIn):
    point = find_point(payload.service_point)
    procedure = _procedure(payload.procedure) if payload.procedure.strip() else None
    group = None if procedure is not None else find_group(point, payload.group)
    booking = booking_service.create_booking(
        service_point=point, group=group, day=parse_date(payload.date), start=parse_time(payload.time),
        national_id=payload.national_id, phone=payload.phone, procedure=procedure)
    return Status(201, booking_out(booking))


@router.get("/bookings/{booking_id}", response={200: BookingOut, 404: ErrorOut}, auth=None,
            summary="A booking by its public id or code")
def get_booking(request, booking_id: str):
    return booking_out(booking_service.get_booking(booking_id))


@router.post("/bookings/{booking_id}/confirm", response={200: BookingOut, **ERRORS}, auth=None, throttle=THROTTLE,
             summary="Confirm a booking with the one-time code")
def confirm_booking(request, booking_id: str, payload: OtpIn):
    booking = booking_service.get_booking(booking_id)
    return booking_out(booking_service.confirm_booking(booking, payload.otp))


@router.delete("/bookings/{booking_id}", response={200: BookingOut, **ERRORS}, auth=None,
               summary="Cancel a booking (frees the slot and the daily place)")
def delete_booking(request, booking_id: str):
    return booking_out(booking_service.cancel_booking(booking_service.get_booking(booking_id)))


@router.post("/bookings/{booking_id}/cancel", response={200: BookingOut, **ERRORS}, auth=None,
             summary="Cancel a booking (same as DELETE)")
def cancel_booking(request, booking_id: str):
    return delete_booking(request, booking_id)


@router.post("/bookings/{booking_id}/check-in", response={200: BookingOut, **ERRORS, 401: ErrorOut, 403: ErrorOut},
             auth=[DeviceKey(), *authenticated], throttle=THROTTLE,
             summary="Check in at the center (a paired kiosk or an officer): the booking becomes a queue ticket")
def check_in(request, booking_id: str):
    """At the hall only: a paired kiosk of the booking's service point, or an officer of its branch."""
    booking = booking_service.get_booking(booking_id)
    device = getattr(request, "device", None)
    devices.ensure_device_at(device, booking.service_point_id)
    if device is None:
        services.ensure_can_operate(request.user, booking.service_point)
    check_in_service.check_in(booking)
    return booking_out(booking)
