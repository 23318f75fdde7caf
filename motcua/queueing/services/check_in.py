"""Booked citizens at the center: check-in (the booking becomes a ticket), release of no-shows, reminders.

Check-in issues the ticket through `issue_ticket(source="booking")`, the same code path as the kiosk
(numbering, events, flags); the booking already holds the person's daily place and its slot, so the
ticket takes neither again. The ticket carries the slot's start (`booked_for`): from that moment it
is called ahead of the walk-ins of its class (see `calling.candidates`).
"""

import datetime as dt
import logging
import re

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.core import clock
from motcua.core.errors import Conflict, NotFound
from motcua.integrations.sms import get_sms
from motcua.org.models import ServicePoint

from .. import selectors
from ..models import Booking, Ticket
from .booking import BookingWrongStatus, close_booking, get_booking
from .issuing import issue_ticket

logger = logging.getLogger(__name__)

_NATIONAL_ID = re.compile(r"^\d{12}$")


class CheckInTooEarly(Conflict):
    code = "check_in_too_early"


class BookingExpired(Conflict):
    code = "booking_expired"
    default_message = gettext_lazy("Đã quá thời gian chờ của lịch hẹn; lịch hẹn đã được hủy. Mời quý khách lấy "
                                   "số tại kiosk (nếu còn) hoặc đặt lịch khác.")


def window(booking: Booking) -> tuple[dt.datetime, dt.datetime]:
    """From when until when the citizen may check in."""
    config = selectors.config_for(booking.service_point)
    return (booking.starts_at - dt.timedelta(minutes=config.check_in_before_minutes),
            booking.starts_at + dt.timedelta(minutes=config.check_in_grace_minutes))


def find_for_check_in(point: ServicePoint, reference: str) -> Booking:
    """The booking a citizen names at the kiosk: its code (typed or scanned) or their national ID."""
    reference = (reference or "").strip().replace(" ", "")
    if _NATIONAL_ID.match(reference):
        bookings = Booking.objects.select_related("service_point__branch__center", "group", "ticket").filter(
            service_point=point, day=clock.today(), national_id=reference,
            status__in=[Booking.Status.CONFIRMED, Booking.Status.CHECKED_IN])
        booking = min(bookings, key=lambda b: abs((b.starts_at - clock.now()).total_seconds()), default=None)
        if booking is None:
            raise NotFound(_("Không có lịch hẹn hôm nay tại điểm này cho số định danh đã nhập."),
                           code="booking_not_found")
        return booking
    return get_booking(reference)


def check_in(booking: Booking, *, service_point: ServicePoint | None = None) -> Ticket:
    """Turn a confirmed booking into a waiting ticket; checking in twice gives the same ticket."""
    if booking.status == Booking.Status.CHECKED_IN and booking.ticket is not None:
        return booking.ticket
    if service_point is not None and service_point.pk != booking.service_point_id:
        raise Conflict(_("Lịch hẹn này ở %(point)s, không phải điểm tiếp nhận này.")
                       % {"point": booking.service_point.name}, code="wrong_service_point")
    if booking.status == Booking.Status.PENDING:
        raise Conflict(_("Lịch hẹn chưa được xác nhận bằng mã OTP."), code="booking_not_confirmed")
    if booking.status != Booking.Status.CONFIRMED:
        raise BookingWrongStatus()
    opens, closes = window(booking)
    now = clock.now()
    if now < opens:
        local = timezone.localtime(opens).strftime("%H:%M")
        raise CheckInTooEarly(_("Chưa đến giờ xác nhận có mặt; mời quý khách quay lại từ %(time)s ngày %(day)s.")
                              % {"time": local, "day": booking.day.strftime("%d/%m/%Y")},
                              details={"check_in_from": opens.isoformat()})
    if now > closes:
        close_booking(booking, Booking.Status.RELEASED, from_statuses=[Booking.Status.CONFIRMED], quota=False)
        raise BookingExpired()
    with transaction.atomic():
        if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.CONFIRMED).update(
                status=Booking.Status.CHECKED_IN, checked_in_at=now):
            raise BookingWrongStatus()
        ticket = issue_ticket(service_point=booking.service_point, group=booking.group,
                              national_id=booking.national_id, phone=booking.phone, source=Ticket.Source.BOOKING,
                              booking_reference=booking.code, booked_for=booking.starts_at)
        Booking.objects.filter(pk=booking.pk).update(ticket=ticket)
    booking.status, booking.checked_in_at, booking.ticket = Booking.Status.CHECKED_IN, now, ticket
    logger.info("booking #%s checked in as %s", booking.pk, ticket.number)
    return ticket


def release_expired() -> int:
    """Release bookings nobody came for within the grace period and bookings never confirmed in time.

    A confirmed no-show frees its slot but keeps the person's daily place (booking and not coming is
    how places would be hoarded); a booking whose one-time code was never entered held nothing.
    """
    now = clock.now()
    released = 0
    unconfirmed = Booking.objects.filter(status=Booking.Status.PENDING, otp_expires_at__lt=now)
    for booking in unconfirmed.select_related("service_point"):
        released += close_booking(booking, Booking.Status.RELEASED, from_statuses=[Booking.Status.PENDING],
                                  quota=False)
    overdue = Booking.objects.filter(status=Booking.Status.CONFIRMED, starts_at__lt=now)
    for booking in overdue.select_related("service_point"):
        if now > window(booking)[1]:
            released += close_booking(booking, Booking.Status.RELEASED, from_statuses=[Booking.Status.CONFIRMED],
                                      quota=False)
    if released:
        logger.info("released %d bookings", released)
    return released


def send_reminders() -> int:
    """Text each confirmed booking once, the configured minutes before its slot (idempotent)."""
    now = clock.now()
    sent = 0
    upcoming = Booking.objects.filter(status=Booking.Status.CONFIRMED, reminded_at__isnull=True, starts_at__gt=now,
                                      starts_at__lte=now + dt.timedelta(days=1))
    for booking in upcoming.select_related("service_point"):
        config = selectors.config_for(booking.service_point)
        if booking.starts_at - dt.timedelta(minutes=config.reminder_minutes) > now:
            continue
        # Claim the reminder first: a concurrent run (or a retry) never texts the same booking twice.
        if not Booking.objects.filter(pk=booking.pk, reminded_at__isnull=True).update(reminded_at=now):
            continue
        local = timezone.localtime(booking.starts_at)
        get_sms().send(booking.phone, _(
            "Nhac lich: ma %(code)s luc %(time)s ngay %(day)s tai %(point)s. Vui long mang theo CCCD va xac nhan "
            "co mat tai kiosk truoc gio hen.") % {
            "code": booking.code, "time": local.strftime("%H:%M"), "day": booking.day.strftime("%d/%m/%Y"),
            "point": booking.service_point.name})
        sent += 1
    return sent
