"""Online booking of queue numbers: the free slots, booking with a one-time code, confirming, cancelling.

A slot is (service point, group, start). Its capacity is what the active counters planned for the
group can serve in it: ⌊counters × slot minutes / the group's average service minutes⌋, counting the
counters whose planned hours (`Counter.planned_periods`) cover the whole slot; a slot that no counter's
hours cover is not offered. A booking
holds nothing until its one-time code is confirmed: a pending booking is a request that expires after
`MOTCUA_BOOKING_HOLD_MINUTES`, so a client who cannot read the phone's messages cannot fill a slot.
Confirmation takes the slot's place (`UPDATE … SET booked = booked + 1 WHERE booked < capacity`,
atomic on SQLite and PostgreSQL: of two confirmations for the last place one wins, the other gets
409 `slot_taken`) and the person's daily place (`PersonDayQuota`, counter and online together) in
one transaction. One-time codes texted to one phone number are limited per hour and per day.
"""

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedures_by_service_group
from motcua.core import clock, codes, ratelimit
from motcua.core.errors import Conflict, NotFound, RateLimited, ServiceUnavailable, ValidationFailed
from motcua.core.ids import parse_national_id
from motcua.core.phones import normalise_mobile
from motcua.integrations.sms import SmsUnavailable, get_sms
from motcua.org import selectors as org_selectors
from motcua.org.calendars import calendar_for, planned_for
from motcua.org.models import ServiceGroup, ServicePoint

from .. import selectors, staffing
from ..models import Booking, BookingSlot, PersonDayQuota
from .issuing import TicketLimitReached, _check_group, _take_quota, check_quota, person_key

logger = logging.getLogger(__name__)

OTP_ATTEMPTS = 5


class SlotFull(Conflict):
    code = "slot_full"
    default_message = gettext_lazy("Khung giờ này vừa hết chỗ. Vui lòng chọn khung giờ khác.")


class SlotTaken(Conflict):
    code = "slot_taken"
    default_message = gettext_lazy("Trong lúc chờ xác nhận, khung giờ này đã hết chỗ; lịch hẹn đã được hủy. "
                                   "Vui lòng đặt khung giờ khác.")


class SmsLimitReached(RateLimited):
    code = "sms_limit"
    default_message = gettext_lazy("Số điện thoại này đã nhận quá nhiều mã xác nhận; vui lòng thử lại sau.")


class SmsNotSent(ServiceUnavailable):
    code = "sms_unavailable"
    default_message = gettext_lazy("Chưa gửi được tin nhắn mã xác nhận; lịch hẹn chưa được tạo. Vui lòng thử lại "
                                   "sau ít phút.")


class BookingWrongStatus(Conflict):
    code = "booking_wrong_status"
    default_message = gettext_lazy("Lịch hẹn không còn ở trạng thái cho phép thao tác này.")


@dataclass(frozen=True)
class Slot:
    start: dt.datetime
    end: dt.datetime
    capacity: int
    booked: int

    @property
    def remaining(self) -> int:
        return max(0, self.capacity - self.booked)


def bookable_days(point: ServicePoint) -> list[dt.date]:
    """Today and the configured number of days ahead that are working days of the center."""
    config = selectors.config_for(point)
    calendar = calendar_for(point.branch.center)
    today = clock.today()
    days = [today + dt.timedelta(days=n) for n in range(config.booking_days_ahead + 1)]
    return [day for day in days if calendar.is_working_day(day)]


def _slot_counters(point: ServicePoint, group: ServiceGroup):
    """A function giving, for a slot (start, end), how many regular intake counters of the group are planned then.

    A staffing plan saved for the day (`queueing.staffing`) decides instead of the counters' planned hours.
    """
    center = point.branch.center
    calendar = calendar_for(center)
    counters = list(org_selectors.intake_counters(point, group))
    plans: dict[dt.date, dict[int, int] | None] = {}

    def planned(start: dt.datetime, end: dt.datetime) -> int:
        day = start.astimezone(calendar.tz).date()
        if day not in plans:
            plans[day] = staffing.planned_counters(point.pk, group.pk, day)
        plan = plans[day]
        if plan is not None:  # a saved staffing plan: its counters for the slot's hours
            return staffing.counters_for(plan, start, end, calendar.tz)
        return sum(1 for c in counters if planned_for(c, start, end, calendar, center))
    return planned


def _places(counters: int, start: dt.datetime, end: dt.datetime, group: ServiceGroup) -> int:
    minutes = int((end - start).total_seconds() // 60)
    return counters * minutes // max(1, group.average_service_minutes)


def slot_capacity(point: ServicePoint, group: ServiceGroup, start: dt.datetime, end: dt.datetime) -> int:
    """Places of the slot [start, end): what the regular intake counters planned for the group then serve in it."""
    return _places(_slot_counters(point, group)(start, end), start, end, group)


def check_day(point: ServicePoint, day: dt.date) -> None:
    config = selectors.config_for(point)
    today = clock.today()
    if day < today or day > today + dt.timedelta(days=config.booking_days_ahead):
        raise ValidationFailed(
            _("Chỉ đặt lịch được cho hôm nay hoặc tối đa %(n)d ngày tới.") % {"n": config.booking_days_ahead},
            code="date_out_of_range", details={"field": "date"})


def slots_for(point: ServicePoint, group: ServiceGroup, day: dt.date) -> list[Slot]:
    """The slots still ahead on `day` (none on a day off or over lunch), with their capacity and places taken."""
    _check_group(point, group)
    check_day(point, day)
    config = selectors.config_for(point)
    calendar = calendar_for(point.branch.center)
    opens = dt.datetime.combine(day, config.booking_opens, tzinfo=calendar.tz)
    closes = dt.datetime.combine(day, config.booking_closes, tzinfo=calendar.tz)
    step = dt.timedelta(minutes=config.slot_minutes)
    planned = _slot_counters(point, group)
    now = clock.now()
    starts: dict[dt.datetime, int] = {}
    for period_start, period_end in calendar.working_periods(day):
        start, end = max(period_start, opens), min(period_end, closes)
        while start + step <= end:
            counters = planned(start, start + step)
            if start > now and counters:  # a slot outside every counter's planned hours is not offered
                starts[start] = _places(counters, start, start + step, group)
            start += step
    taken = dict(BookingSlot.objects.filter(service_point=point, group=group, starts_at__in=list(starts))
                 .values_list("starts_at", "booked"))
    return [Slot(start, start + step, capacity, taken.get(start, 0)) for start, capacity in starts.items()]


def next_free_slot(point: ServicePoint, group: ServiceGroup) -> Slot | None:
    """The earliest slot with a free place in the booking window (for a refusal that says when to come)."""
    for day in bookable_days(point):
        free = next((slot for slot in slots_for(point, group, day) if slot.remaining), None)
        if free is not None:
            return free
    return None


def find_slot(point: ServicePoint, group: ServiceGroup, day: dt.date, start: dt.time) -> Slot:
    tz = calendar_for(point.branch.center).tz
    for slot in slots_for(point, group, day):
        if slot.start.astimezone(tz).time() == start:
            return slot
    raise ValidationFailed(_("Khung giờ không hợp lệ, đã qua hoặc ngoài giờ nhận lịch hẹn."), code="slot_invalid",
                           details={"field": "time"})


def _otp_hash(booking: Booking, otp: str) -> str:
    message = f"otp:{booking.public_id}:{otp}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _new_code() -> str:
    while True:
        code = codes.new_booking_code()
        if not Booking.objects.filter(code=code).exists():
            return code


def normalise_code(value: str) -> str:
    return codes.normalise_booking_code(value)


def get_booking(reference: str) -> Booking:
    """A booking by its public id (links, API) or its code (typed or scanned at the kiosk)."""
    reference = (reference or "").strip()
    booking = (Booking.objects.select_related("service_point__branch__center", "group", "ticket")
               .filter(public_id=reference).first()) if reference else None
    if booking is None and normalise_code(reference):
        booking = (Booking.objects.select_related("service_point__branch__center", "group", "procedure", "ticket")
                   .filter(code=normalise_code(reference)).first())
    if booking is None:
        raise NotFound(_("Không có lịch hẹn này."), code="booking_not_found")
    return booking


def bookable_procedures(point: ServicePoint) -> list[Procedure]:
    """What a citizen can book a number for at `point`: the procedures of the groups its counters serve."""
    groups = {group.code for group in selectors.served_groups(point)}
    return procedures_by_service_group(groups, point.branch.number)


def group_for_procedure(point: ServicePoint, procedure: Procedure) -> ServiceGroup:
    """The service group whose counters take `procedure` at `point` (its field's group), or 422."""
    # A procedure without a field is never bookable; the test says so to the type checker too.
    if procedure.field is None or procedure not in bookable_procedures(point):
        raise ValidationFailed(_("Điểm tiếp nhận này không tiếp nhận thủ tục đã chọn."), code="procedure_not_served",
                               details={"field": "procedure"})
    group = next(g for g in selectors.served_groups(point) if g.code == procedure.field.service_group)
    return group


def hold_minutes() -> int:
    """How long a pending booking waits for its one-time code (the code's validity)."""
    return settings.MOTCUA_BOOKING_HOLD_MINUTES


def limit_sms(phone: str) -> None:
    """Count one code texted to `phone`, or refuse (429 `sms_limit`) past the hourly or daily limit.

    The count is kept by `core.ratelimit` under a keyed hash of the number, never the number itself.
    """
    per_hour, per_day = settings.MOTCUA_SMS_PER_PHONE_PER_HOUR, settings.MOTCUA_SMS_PER_PHONE_PER_DAY
    if not ratelimit.allow("sms_phone_hour", phone, f"{per_hour}/h"):
        raise SmsLimitReached(details={"limit": per_hour, "per": "hour"})
    if not ratelimit.allow("sms_phone_day", phone, f"{per_day}/d"):
        raise SmsLimitReached(details={"limit": per_day, "per": "day"})


def create_booking(*, service_point: ServicePoint, group: ServiceGroup | None, day: dt.date, start: dt.time,
                   national_id: str, phone: str, procedure: Procedure | None = None) -> Booking:
    """Ask for a place in a slot for one person and text them a one-time code; nothing is held until it is confirmed.

    With a `procedure` the group is its field's (the citizen chooses what they come for, not a letter).
    """
    if procedure is not None:
        group = group_for_procedure(service_point, procedure)
    if group is None:
        raise ValidationFailed(_("Vui lòng chọn thủ tục cần giải quyết."), code="procedure_required",
                               details={"field": "procedure"})
    if not service_point.is_active:
        raise ValidationFailed(_("Điểm tiếp nhận đang tạm ngừng hoạt động."), code="service_point_closed")
    if not (national_id or "").strip():
        raise ValidationFailed(_("Vui lòng nhập số định danh cá nhân."), code="national_id_required",
                               details={"field": "national_id"})
    national_id = parse_national_id(national_id, today=clock.today()).number
    if not (phone or "").strip():
        raise ValidationFailed(_("Vui lòng nhập số điện thoại để nhận mã xác nhận."), code="phone_required",
                               details={"field": "phone"})
    phone = normalise_mobile(phone)
    slot = find_slot(service_point, group, day, start)
    if not slot.remaining:
        raise SlotFull()
    config = selectors.config_for(service_point)
    check_quota(national_id, "", day, config.tickets_per_person_per_day)
    limit_sms(phone)  # counted before any row is written: a refused request leaves nothing behind
    otp = f"{secrets.randbelow(10 ** 6):06d}"
    now = clock.now()
    booking = Booking(code=_new_code(), service_point=service_point, group=group, procedure=procedure, day=day,
                      starts_at=slot.start, ends_at=slot.end, national_id=national_id, phone=phone,
                      otp_expires_at=now + dt.timedelta(minutes=hold_minutes()), created_at=now)
    booking.otp_hash = _otp_hash(booking, otp)
    booking.save()
    try:
        get_sms().send(phone, _(
            "Ma xac nhan dat lich %(code)s tai %(point)s: %(otp)s (hieu luc %(minutes)d phut). "
            "Khong cung cap ma nay cho nguoi khac.") % {
            "code": booking.code, "point": service_point.name, "otp": otp, "minutes": hold_minutes()})
    except SmsUnavailable:
        booking.delete()  # a booking whose code never left cannot be confirmed: keep nothing
        logger.warning("booking code not sent at point %s: SMS gateway unavailable", service_point.pk)
        raise SmsNotSent() from None
    logger.info("booking #%s requested at point %s for %s", booking.pk, service_point.pk, slot.start.isoformat())
    return booking


def free_places(booking: Booking, *, quota: bool) -> None:
    """Give a confirmed booking's slot place back (and the person's daily place when `quota`)."""
    BookingSlot.objects.filter(service_point=booking.service_point_id, group=booking.group_id,
                               starts_at=booking.starts_at, booked__gt=0).update(booked=F("booked") - 1)
    if quota:
        PersonDayQuota.objects.filter(key=person_key(booking.national_id, ""), day=booking.day,
                                      count__gt=0).update(count=F("count") - 1)


def close_booking(booking: Booking, status: str, *, from_statuses, quota: bool) -> bool:
    """Move a booking to cancelled/released once (conditional update); a confirmed one frees its places.

    A pending booking holds nothing, so closing it frees nothing.
    """
    now = clock.now()
    with transaction.atomic():
        rows = Booking.objects.filter(pk=booking.pk)
        if Booking.Status.CONFIRMED in from_statuses and \
                rows.filter(status=Booking.Status.CONFIRMED).update(status=status, closed_at=now):
            free_places(booking, quota=quota)
        elif not (Booking.Status.PENDING in from_statuses and
                  rows.filter(status=Booking.Status.PENDING).update(status=status, closed_at=now)):
            return False
    booking.status, booking.closed_at = status, now
    return True


def _count_attempt(booking: Booking) -> int:
    """Count one code attempt; the attempts so far, this one included (the row's lock orders parallel tries)."""
    with transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(otp_attempts=F("otp_attempts") + 1)
        return Booking.objects.filter(pk=booking.pk).values_list("otp_attempts", flat=True).get()


def _take_places(booking: Booking) -> bool:
    """Confirm: take the slot's place and the daily place with the status change, all or nothing.

    False when the booking was no longer pending (a parallel confirmation or a cancellation won).
    """
    config = selectors.config_for(booking.service_point)
    capacity = slot_capacity(booking.service_point, booking.group, booking.starts_at, booking.ends_at)
    now = clock.now()
    try:
        with transaction.atomic():
            if not Booking.objects.filter(pk=booking.pk, status=Booking.Status.PENDING).update(
                    status=Booking.Status.CONFIRMED, confirmed_at=now):
                return False
            row, _created = BookingSlot.objects.get_or_create(service_point=booking.service_point,
                                                              group=booking.group, starts_at=booking.starts_at)
            if not BookingSlot.objects.filter(pk=row.pk, booked__lt=capacity).update(booked=F("booked") + 1):
                raise SlotTaken()
            _take_quota(booking.national_id, "", booking.day, config.tickets_per_person_per_day)
    except (SlotTaken, TicketLimitReached):
        close_booking(booking, Booking.Status.RELEASED, from_statuses=[Booking.Status.PENDING], quota=False)
        raise
    booking.status, booking.confirmed_at = Booking.Status.CONFIRMED, now
    return True


def confirm_booking(booking: Booking, otp: str) -> Booking:
    """Confirm with the code texted to the phone; every try counts, and only the allowed number are checked."""
    otp = (otp or "").strip()
    if booking.status == Booking.Status.CONFIRMED and hmac.compare_digest(booking.otp_hash, _otp_hash(booking, otp)):
        return booking
    if booking.status != Booking.Status.PENDING:
        raise BookingWrongStatus()
    if clock.now() > booking.otp_expires_at:
        close_booking(booking, Booking.Status.RELEASED, from_statuses=[Booking.Status.PENDING], quota=False)
        raise Conflict(_("Mã xác nhận đã hết hạn; lịch hẹn đã được hủy. Vui lòng đặt lại."), code="otp_expired")
    attempt = _count_attempt(booking)
    booking.otp_attempts = attempt
    exceeded = Conflict(_("Nhập sai mã xác nhận quá %(n)d lần; lịch hẹn đã được hủy.") % {"n": OTP_ATTEMPTS},
                        code="otp_attempts_exceeded")
    if attempt > OTP_ATTEMPTS:  # parallel tries past the limit are refused unchecked
        close_booking(booking, Booking.Status.CANCELLED, from_statuses=[Booking.Status.PENDING], quota=False)
        raise exceeded
    if not (len(otp) == 6 and otp.isdigit()) or not hmac.compare_digest(booking.otp_hash, _otp_hash(booking, otp)):
        left = OTP_ATTEMPTS - attempt
        if left <= 0:
            close_booking(booking, Booking.Status.CANCELLED, from_statuses=[Booking.Status.PENDING], quota=False)
            raise exceeded
        raise ValidationFailed(_("Mã xác nhận không đúng. Còn %(left)d lần thử.") % {"left": left},
                               code="otp_invalid", details={"field": "otp", "attempts_left": left})
    if not _take_places(booking):
        booking.refresh_from_db()
        if booking.status != Booking.Status.CONFIRMED:
            raise BookingWrongStatus()
    logger.info("booking #%s confirmed", booking.pk)
    return booking


def cancel_booking(booking: Booking) -> Booking:
    """The citizen cancels: a confirmed booking gives its slot's place and the daily place back."""
    if not close_booking(booking, Booking.Status.CANCELLED, from_statuses=Booking.HOLDING, quota=True):
        raise BookingWrongStatus()
    logger.info("booking #%s cancelled", booking.pk)
    return booking
