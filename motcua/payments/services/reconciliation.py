"""The day's reconciliation of a branch: totals per channel, counter and officer, the differences, the sign-off.

Differences flagged: a succeeded payment without a standing receipt; a receipt whose amount differs
from its payment's; gateway payments confirmed by an IPN against the gateway's own count of successes
(`GatewayNotification` answered 00 for a success); approved refunds of the day.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.core import audit
from motcua.core.errors import Conflict
from motcua.core.exports import neutralise
from motcua.org.models import Branch

from .. import policies, selectors
from ..models import DailyClose, Receipt, Refund


@dataclass
class Line:
    channel: str
    counter: str
    officer: str
    count: int = 0
    amount: int = 0


@dataclass
class Reconciliation:
    branch: str
    day: dt.date
    lines: list[Line] = field(default_factory=list)
    total: int = 0
    refunded: int = 0
    differences: list[str] = field(default_factory=list)
    signed_by: str = ""

    def by_channel(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for line in self.lines:
            totals[line.channel] = totals.get(line.channel, 0) + line.amount
        return totals


def reconcile(branch: Branch, day: dt.date) -> Reconciliation:
    """The branch's collection on `day` (local time), grouped, with what does not add up."""
    result = Reconciliation(branch=branch.name, day=day)
    groups: dict[tuple[str, str, str], Line] = {}
    for payment in selectors.collected_on(branch, day):
        officer = payment.collected_by.get_username() if payment.collected_by else payment.gateway or "—"
        counter = str(payment.counter.number) if payment.counter else "—"
        line = groups.setdefault((payment.method, counter, officer), Line(payment.method, counter, officer))
        line.count += 1
        line.amount += payment.amount
        standing = [r for r in payment.receipts.all() if r.status == Receipt.Status.ISSUED]
        if not standing:
            result.differences.append(str(_("Giao dịch %(ref)s không có biên lai còn hiệu lực.") % {"ref": payment.reference}))
        elif standing[0].amount != payment.amount:
            result.differences.append(str(_("Biên lai của giao dịch %(ref)s khác số tiền.") % {"ref": payment.reference}))
    result.lines = sorted(groups.values(), key=lambda line: (line.channel, line.counter, line.officer))
    result.total = sum(line.amount for line in result.lines)
    start, end = selectors.day_bounds(day)
    result.refunded = sum(Refund.objects.filter(receipt__payment__invoice__branch=branch, approved_at__gte=start,
                                                approved_at__lt=end).values_list("amount", flat=True))
    closed = DailyClose.objects.filter(branch=branch, day=day).select_related("signed_by").first()
    if closed is not None:
        result.signed_by = closed.signed_by.get_full_name() or closed.signed_by.get_username()
        if closed.totals.get("total") != result.total:
            result.differences.append(str(_("Số liệu đã thay đổi sau khi lãnh đạo ký xác nhận.")))
    return result


@transaction.atomic
def sign_off_day(user, branch: Branch, day: dt.date, *, now: dt.datetime | None = None) -> DailyClose:
    """The branch leader signs the day's figures (once per branch and day)."""
    now = now or timezone.now()
    policies.check(user, "sign_off", branch)
    figures = reconcile(branch, day)
    totals = {"total": figures.total, "refunded": figures.refunded, "by_channel": figures.by_channel(),
              "differences": len(figures.differences)}
    try:
        with transaction.atomic():
            close = DailyClose.objects.create(branch=branch, day=day, totals=totals, signed_by=user, signed_at=now)
    except IntegrityError:
        raise Conflict(_("Ngày này đã được ký xác nhận."), code="day_already_signed") from None
    audit.record_event(user, "payments.day_signed", "branch", branch.code, "", "", "", {"day": day.isoformat(), **totals})
    return close


HEADER = ("Kênh thu", "Quầy", "Cán bộ/cổng", "Số giao dịch", "Số tiền (đồng)")


def rows(figures: Reconciliation) -> list[tuple]:
    return [(line.channel, line.counter, line.officer, line.count, line.amount) for line in figures.lines]


def export_csv(figures: Reconciliation) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for row in rows(figures):
        writer.writerow([neutralise(value) for value in row])
    writer.writerow(["Tổng cộng", "", "", "", figures.total])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # a BOM: spreadsheet programs then read UTF-8


def export_xlsx(figures: Reconciliation) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = f"{figures.day:%d-%m-%Y}"
    sheet.append([neutralise(f"Đối soát thu phí, lệ phí {figures.branch} ngày {figures.day:%d/%m/%Y}")])
    sheet.append(list(HEADER))
    for row in rows(figures):
        sheet.append([neutralise(value) for value in row])
    sheet.append(["Tổng cộng", "", "", "", figures.total])
    for difference in figures.differences:
        sheet.append([neutralise(difference)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


__all__ = ["Reconciliation", "export_csv", "export_xlsx", "reconcile", "rows", "sign_off_day"]
