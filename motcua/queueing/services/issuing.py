"""Issuing a ticket: validation, the capacity cut-off, the per-person daily limit, suspicion flags."""

import hashlib
import hmac
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import clock
from motcua.core.codes import next_in_sequence, ticket_number
from motcua.core.errors import Conflict, ValidationFailed
from motcua.core.ids import parse_national_id
from motcua.core.phones import normalise_mobile
from motcua.org.models import ServiceGroup, ServicePoint

from .. import live, selectors
from ..models import Lane, PersonDayQuota, Ticket
from ..policies import ensure_can_operate
from . import wait_records

logger = logging.getLogger(__name__)

class CapacityReached(Conflict):
    code = "capacity_reached"
    default_message = _("Các quầy không còn đủ thời gian làm việc hôm nay để phục vụ thêm số thứ tự của nhóm "
                        "này. Mời quý khách quay lại vào ngày làm việc tiếp theo hoặc đặt lịch trực tuyến.")


def _capacity_refusal(service_point: ServicePoint, group: ServiceGroup) -> CapacityReached:
    """The refusal names the next slot that can still be booked, so that the citizen knows when to come."""
    from .booking import next_free_slot  # booking builds on issuing

    slot = next_free_slot(service_point, group)
    if slot is None:
        return CapacityReached()
    start = timezone.localtime(slot.start)
    message = _("Các quầy không còn đủ thời gian làm việc hôm nay để phục vụ thêm số thứ tự của nhóm này. "
                "Khung giờ đặt lịch còn trống gần nhất: %(time)s ngày %(date)s.") % {
        "time": start.strftime("%H:%M"), "date": start.strftime("%d/%m/%Y")}
    return CapacityReached(message, details={"next_slot": start.isoformat()})


class TicketLimitReached(Conflict):
    code = "ticket_limit_reached"


class WalkInPriorityOnly(Conflict):
    code = "walk_in_priority_only"
    default_message = _("Điểm tiếp nhận này chỉ cấp số trực tiếp cho đối tượng ưu tiên. Mời quý khách đặt lịch "
                        "trực tuyến (mục \"Đặt lịch lấy số\") hoặc, nếu đã đặt lịch, chọn \"Tôi đã đặt lịch\".")


def person_key(national_id: str, phone: str) -> str:
    """A keyed hash naming the person for the daily limit (the raw ID or phone is not stored there)."""
    raw = f"id:{national_id}" if national_id else f"phone:{phone}"
    return hmac.new(settings.SECRET_KEY.encode(), raw.encode(), hashlib.sha256).hexdigest()


def _limit_reached(limit: int) -> TicketLimitReached:
    return TicketLimitReached(
        _("Mỗi người chỉ được lấy tối đa %(limit)d số thứ tự trong một ngày (tính chung lấy số tại "
          "trung tâm và đặt lịch trực tuyến). Số thứ tự gắn với số định danh, không chuyển nhượng được.")
        % {"limit": limit}, details={"limit": limit})


def check_quota(national_id: str, phone: str, day, limit: int) -> None:
    """Refuse early when the person's daily places are all taken; takes nothing (see `_take_quota`)."""
    taken = PersonDayQuota.objects.filter(key=person_key(national_id, phone), day=day).values_list(
        "count", flat=True).first()
    if taken is not None and taken >= limit:
        raise _limit_reached(limit)


# PersonDayQuota's table: the row is created with 1 or incremented, but only below the limit (else no row).
_TAKE_QUOTA = (
    'INSERT INTO queueing_persondayquota ("key", "day", "count") VALUES (%s, %s, 1) '
    'ON CONFLICT ("key", "day") DO UPDATE SET "count" = queueing_persondayquota."count" + 1 '
    'WHERE queueing_persondayquota."count" < %s RETURNING "count"'
)


def _take_quota(national_id: str, phone: str, day, limit: int) -> None:
    """Take one of the person's daily places: one atomic upsert, which changes nothing at the limit."""
    if limit < 1:
        raise _limit_reached(limit)
    with connection.cursor() as cursor:
        day_value = connection.ops.adapt_datefield_value(day)
        cursor.execute(_TAKE_QUOTA, [person_key(national_id, phone), day_value, limit])
        if cursor.fetchone() is None:
            raise _limit_reached(limit)


def _suspicion(point: ServicePoint, national_id: str, phone: str, device: str, source: str, day) -> str:
    config = selectors.config_for(point)
    today = Ticket.objects.filter(day=day)
    reasons = []
    if device and source != Ticket.Source.KIOSK and \
            today.filter(device=device).count() + 1 >= config.device_flag_threshold:
        reasons.append(str(_("nhiều số từ một thiết bị")))
    if phone:
        holders = set(today.filter(phone=phone).exclude(national_id="").values_list("national_id", flat=True))
        holders.add(national_id or "")
        holders.discard("")
        if len(holders) >= config.phone_flag_threshold:
            reasons.append(str(_("một số điện thoại cho nhiều người")))
    return "; ".join(reasons)


def _check_group(point: ServicePoint, group: ServiceGroup, reads: selectors.HallReads | None = None) -> None:
    served = (reads or selectors.HallReads(point)).served_groups()
    if group.center_id != point.branch.center_id or group not in served:
        raise ValidationFailed(_("Điểm tiếp nhận này không phục vụ nhóm dịch vụ đã chọn."), code="group_not_served",
                               details={"field": "group"})


def issue_ticket(*, service_point: ServicePoint, group: ServiceGroup, national_id: str = "", phone: str = "",
                 priority: str = "", lane: str = Lane.IN_PERSON, source: str = Ticket.Source.KIOSK,
                 user=None, device: str = "", booking_reference: str = "", booked_for=None,
                 reads: selectors.HallReads | None = None) -> Ticket:
    """Give a citizen the next number of `group` at `service_point`, bound to their ID (or phone).

    Staff at the reception desk (source=reception) confirm a declared priority at once; a priority
    declared at the kiosk is confirmed by the officer at the counter. A booking checked in
    (source=booking, from `check_in`) already holds its slot and the person's daily place: it skips
    the capacity cut-off and the daily limit, and is called ahead of walk-ins from `booked_for`.
    `reads`: what the caller already read of the point's counters in this request (counts are read
    again under the lock).
    """
    if not service_point.is_active:
        raise ValidationFailed(_("Điểm tiếp nhận đang tạm ngừng hoạt động."), code="service_point_closed")
    if source not in Ticket.Source.values:
        raise ValidationFailed(code="source_invalid", details={"field": "source"})
    if source == Ticket.Source.RECEPTION:
        ensure_can_operate(user, service_point)
    if source == Ticket.Source.BOOKING and not (booking_reference and booked_for):
        raise ValidationFailed(code="booking_reference_required", details={"field": "booking_reference"})
    if priority not in Ticket.Priority.values:
        raise ValidationFailed(_("Đối tượng ưu tiên không hợp lệ."), code="priority_invalid",
                               details={"field": "priority"})
    if lane not in Lane.values:
        raise ValidationFailed(_("Luồng phục vụ không hợp lệ."), code="lane_invalid", details={"field": "lane"})
    national_id = parse_national_id(national_id, today=clock.today()).number if (national_id or "").strip() else ""
    phone = normalise_mobile(phone) if (phone or "").strip() else ""
    if not national_id and not phone:
        raise ValidationFailed(_("Vui lòng nhập số định danh cá nhân hoặc số điện thoại."), code="person_required",
                               details={"field": "national_id"})
    # The counters are read once for every rule below; the counts, lazily, under the sequence's lock.
    reads = reads or selectors.HallReads(service_point)
    _check_group(service_point, group, reads)
    config = selectors.config_for(service_point)
    if source == Ticket.Source.KIOSK and config.walk_in_priority_only and not priority:
        raise WalkInPriorityOnly()
    booked = source == Ticket.Source.BOOKING
    day = clock.today()
    with transaction.atomic():
        # Taking the number first locks the group's sequence row until commit, so concurrent issues for
        # the group pass the capacity check one at a time; a refusal rolls the number back (no gap).
        sequence = next_in_sequence(f"ticket:{service_point.pk}:{group.letter}", day)
        reads.forget_counts()  # what is waiting is read under the sequence's lock
        if config.enforce_capacity and not booked and not selectors.capacity(service_point, group,
                                                                             reads=reads).accepts:
            raise _capacity_refusal(service_point, group)
        if not booked:
            _take_quota(national_id, phone, day, config.tickets_per_person_per_day)
        reason = _suspicion(service_point, national_id, phone, device[:64], source, day)
        now = clock.now()
        ticket = Ticket(
            service_point=service_point, group=group, day=day, sequence=sequence,
            number=ticket_number(group.letter, sequence), source=source, booking_reference=booking_reference,
            booked_for=booked_for if booked else None,
            lane=lane, priority=priority,
            priority_confirmed=True if priority and source == Ticket.Source.RECEPTION else None,
            national_id=national_id, phone=phone, device=device[:64], flagged=bool(reason), flag_reason=reason,
            issued_by=user if user is not None and user.is_authenticated else None,
            issued_at=now, queued_at=now,
        )
        # Estimated before the insert (the new ticket is the last of its class), so the row is written once;
        # the answer to the kiosk or desk shows the same figures (`issued_estimate`).
        figures = selectors.ticket_estimate_figures(ticket, reads=reads)
        ticket.estimated_wait_minutes = figures.minutes
        ticket.save()
        wait_records.record_issue(ticket, figures, now)
        ticket.issued_estimate = (figures.position, figures.minutes)
        live.publish_change(service_point.pk, "issued", group=group.letter)
    if reason:
        logger.warning("ticket %s at point %s flagged: %s", ticket.number, service_point.pk, reason)
    return ticket
