"""Reads of fees, payments and receipts for pages, the API and the PDFs."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from motcua.core import codes
from motcua.core.errors import NotFound
from motcua.dossiers.selectors import get_dossier
from motcua.org.models import Branch

from . import policies
from .models import Invoice, Payment, Receipt, Refund


def _invoices() -> QuerySet[Invoice]:
    return Invoice.objects.select_related("dossier__procedure", "branch").prefetch_related(
        "lines", Prefetch("payments", queryset=Payment.objects.order_by("created_at")),
        Prefetch("payments__receipts", queryset=Receipt.objects.select_related("series").order_by("issued_at")))


def invoices_of(user, code: str) -> list[Invoice]:
    """The dossier's invoices with lines, payments and receipts (NotFound when the dossier is not visible)."""
    dossier = get_dossier(user, code)
    return list(_invoices().filter(dossier=dossier).order_by("opened_at"))


def receipt_label(receipt: Receipt) -> str:
    return codes.printed_receipt_number(receipt.number)


def receipt_for(user, receipt_id: int) -> Receipt:
    receipt = (Receipt.objects.select_related("series", "payment__invoice__dossier__procedure",
                                              "payment__invoice__branch__center", "payment__collected_by")
               .prefetch_related("payment__invoice__lines").filter(pk=receipt_id).first())
    if receipt is None:
        raise NotFound()
    policies.check(user, "view", receipt.payment.invoice)
    return receipt


def receipt_by_check_key(key: str) -> Receipt | None:
    """For the public authenticity check: a receipt by the key in its QR code (nothing personal is shown)."""
    if not key or len(key) > 20:
        return None
    return (Receipt.objects.select_related("series", "payment__invoice__branch", "replaced_by")
            .filter(check_key=codes.normalise_tracking_key(key)).first())


def open_invoices_at(branch: Branch, *, q: str = "", limit: int = 50) -> list[Invoice]:
    """The branch's invoices waiting at the fee counter, newest first (a dossier code narrows them)."""
    invoices = _invoices().filter(branch=branch, status=Invoice.Status.OPEN)
    if q.strip():
        invoices = invoices.filter(dossier__code__icontains=q.strip())
    return list(invoices.order_by("-opened_at")[:limit])


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def collected_on(branch: Branch, day: dt.date) -> list[Payment]:
    """Succeeded payments of the branch confirmed on `day` (local time), with their receipts."""
    start, end = day_bounds(day)
    return list(Payment.objects.filter(invoice__branch=branch, status=Payment.Status.SUCCEEDED,
                                       confirmed_at__gte=start, confirmed_at__lt=end)
                .select_related("invoice__dossier", "collected_by", "counter")
                .prefetch_related(Prefetch("receipts", queryset=Receipt.objects.select_related("series")))
                .order_by("confirmed_at"))


def refunds_at(branch: Branch, *, limit: int = 50) -> tuple[list[Refund], list[Refund]]:
    """The branch's refunds waiting for the leader's approval, and the latest approved ones."""
    base = (Refund.objects.filter(receipt__series__branch=branch)
            .select_related("receipt__series", "receipt__payment__invoice__dossier", "requested_by", "approved_by"))
    waiting = list(base.filter(approved_at__isnull=True).order_by("requested_at")[:limit])
    approved = list(base.filter(approved_at__isnull=False).order_by("-approved_at")[:limit])
    return waiting, approved


def receipt_at(branch: Branch, series_symbol: str, number: int) -> Receipt | None:
    """A receipt of the branch by its series symbol and number (what is printed on it)."""
    return (Receipt.objects.select_related("series", "payment__invoice")
            .filter(series__branch=branch, series__series_symbol=series_symbol, number=number).first())


def public_check_url(receipt: Receipt) -> str:
    """The receipt's public check page as the payer's message gives it (MOTCUA_PUBLIC_URL + the check key)."""
    from django.conf import settings
    from django.urls import reverse

    site = getattr(settings, "MOTCUA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
    return site + reverse("payments-check", args=[receipt.check_key])


def receipt_for_notice(receipt_id: str | int) -> Receipt | None:
    """A receipt with its dossier, for the payer's notification (no permission check: a job's read)."""
    return (Receipt.objects.select_related("series", "payment__invoice__dossier__person__user",
                                           "payment__invoice__dossier__owner")
            .filter(pk=receipt_id).first())
