"""Checking our gateway payments against the gateway's own record (VNPay's querydr), so nothing is lost.

An IPN can fail to arrive (the gateway's retries exhausted, our server down): the payer has paid and we
do not know it. Two uses of the same check:
- every few minutes, the pending attempts whose payment window has closed are asked about; a success
  the gateway knows is applied exactly as its IPN would have been (`apply_gateway_result`: the payment
  locked, the invoice paid once, the receipt issued), an attempt the gateway never saw is marked failed;
- the fee staff of a branch check a whole day on the reconciliation page: besides the above, what the
  gateway says differently from us (an amount, a success we do not have, one it does not know) is listed.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.core import audit
from motcua.integrations.payment_gateway import (
    GatewayUnavailable,
    InvalidSignature,
    MalformedNotification,
    get_gateway,
)
from motcua.integrations.payment_gateway.vnpay import IpnAnswer
from motcua.org.models import Branch

from .. import policies, selectors
from ..models import Payment
from .online import apply_gateway_result

logger = logging.getLogger(__name__)
# The gateway's record of a failed attempt is final; a pending one is asked again until this old.
PENDING_CHECK_AGE = dt.timedelta(days=2)
NO_RECORD = "91"


@dataclass
class GatewayCheck:
    checked: int = 0
    confirmed: list[str] = field(default_factory=list)  # successes applied from the gateway's record
    expired: list[str] = field(default_factory=list)  # attempts the gateway never completed
    differences: list[str] = field(default_factory=list)
    unavailable: int = 0

    def __str__(self) -> str:
        return (f"{self.checked} checked, {len(self.confirmed)} confirmed, {len(self.expired)} expired, "
                f"{len(self.differences)} differences, {self.unavailable} unavailable")


def _closed_window(payment: Payment, now: dt.datetime) -> bool:
    return payment.created_at + dt.timedelta(minutes=settings.MOTCUA_VNPAY_EXPIRE_MINUTES + 5) <= now


def check_payments(payments: Iterable[Payment], *, now: dt.datetime) -> GatewayCheck:
    """Ask the gateway about each payment; apply what it knows and list what differs."""
    gateway, result = get_gateway(), GatewayCheck()
    for payment in payments:
        result.checked += 1
        try:
            note = gateway.query(payment.reference, payment.created_at, now=now)
        except (GatewayUnavailable, InvalidSignature, MalformedNotification) as error:
            logger.warning("gateway query for payment %s failed: %s", payment.reference, type(error).__name__)
            result.unavailable += 1
            continue
        if note is None:
            if payment.status == Payment.Status.SUCCEEDED:
                result.differences.append(_("Cổng thanh toán không có giao dịch %(ref)s mà hệ thống ghi là thành "
                                            "công.") % {"ref": payment.reference})
            elif payment.status == Payment.Status.PENDING and _closed_window(payment, now):
                if Payment.objects.filter(pk=payment.pk, status=Payment.Status.PENDING).update(
                        status=Payment.Status.FAILED, response_code=NO_RECORD, confirmed_at=now):
                    result.expired.append(payment.reference)
            continue
        if payment.status == Payment.Status.SUCCEEDED and not note.succeeded:
            result.differences.append(_("Cổng thanh toán ghi giao dịch %(ref)s không thành công, hệ thống ghi thành "
                                        "công.") % {"ref": payment.reference})
            continue
        if payment.status == Payment.Status.PENDING and not note.succeeded and not _closed_window(payment, now):
            continue  # the payer may still be on the gateway's page
        with transaction.atomic():
            applied = apply_gateway_result(note, now)
        if applied.answer == IpnAnswer.INVALID_AMOUNT:
            result.differences.append(_("Số tiền của giao dịch %(ref)s khác với cổng thanh toán.")
                                      % {"ref": payment.reference})
        elif applied.answer == IpnAnswer.CONFIRMED and note.succeeded:
            result.confirmed.append(payment.reference)
            logger.info("gateway payment %s confirmed from the gateway's record", payment.reference)
        elif applied.answer == IpnAnswer.CONFIRMED:
            result.expired.append(payment.reference)
        elif (applied.answer == IpnAnswer.ALREADY_CONFIRMED and note.succeeded
              and payment.status != Payment.Status.SUCCEEDED):
            result.differences.append(_("Giao dịch %(ref)s thành công ở cổng thanh toán nhưng khoản phải nộp đã "
                                        "được nộp cách khác: cần hoàn tiền.") % {"ref": payment.reference})
    return result


def check_pending_payments(now: dt.datetime | None = None) -> str:
    """Periodic job: pending gateway attempts whose payment window closed, asked about once each run."""
    now = now or timezone.now()
    pending = (Payment.objects.filter(method=Payment.Method.GATEWAY, status=Payment.Status.PENDING,
                                      created_at__gte=now - PENDING_CHECK_AGE)
               .order_by("created_at"))
    due = [payment for payment in pending if _closed_window(payment, now)]
    return str(check_payments(due, now=now)) if due else "nothing pending"


def check_day_with_gateway(user, branch: Branch, day: dt.date, *, now: dt.datetime | None = None) -> GatewayCheck:
    """The fee staff check every gateway payment the branch's payers started on `day`."""
    now = now or timezone.now()
    policies.check(user, "check_gateway", branch)
    start, end = selectors.day_bounds(day)
    payments = (Payment.objects.filter(invoice__branch=branch, method=Payment.Method.GATEWAY,
                                       created_at__gte=start, created_at__lt=end).order_by("created_at"))
    result = check_payments(payments, now=now)
    audit.record_event(user, "payments.gateway_checked", "branch", branch.code, data={
        "day": day.isoformat(), "checked": result.checked, "confirmed": result.confirmed,
        "expired": len(result.expired), "differences": len(result.differences), "unavailable": result.unavailable})
    return result
