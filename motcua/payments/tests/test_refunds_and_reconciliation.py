"""Refunds (a reason, the branch leader's approval) and the day's reconciliation with its sign-off and exports."""

import csv
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import AuditEntry
from motcua.payments.models import DailyClose, Invoice
from motcua.payments.services import (
    approve_refund,
    cancel_receipt,
    reconcile,
    record_counter_payment,
    request_refund,
    sign_off_day,
)

from .conftest import received

pytestmark = pytest.mark.django_db


def paid(client, fees, fee_officer, method="cash"):
    code = received(client, fees)
    return record_counter_payment(fee_officer, Invoice.objects.get(dossier__code=code).reference, method=method,
                                  amount=80_000)


def test_a_refund_needs_a_reason_an_amount_within_the_receipt_and_the_leaders_approval(client, fees, fee_officer):
    receipt = paid(client, fees, fee_officer)
    with pytest.raises(DomainError) as no_reason:
        request_refund(fee_officer, receipt.pk, amount=10_000, reason="")
    assert no_reason.value.code == "reason_required"
    with pytest.raises(DomainError) as too_much:
        request_refund(fee_officer, receipt.pk, amount=80_001, reason="Thu thừa")
    assert too_much.value.code == "refund_amount_invalid" and too_much.value.details[0]["available"] == 80_000
    refund = request_refund(fee_officer, receipt.pk, amount=30_000, reason="Thu thừa một bản sao")
    with pytest.raises(DomainError):
        request_refund(fee_officer, receipt.pk, amount=50_001, reason="again")  # 50,000 left
    with pytest.raises(PermissionDenied):
        approve_refund(fee_officer, refund.pk)
    approved = approve_refund(fees.leader, refund.pk)
    assert approved.approved_by == fees.leader and approved.approved_at is not None
    with pytest.raises(DomainError) as twice:
        approve_refund(fees.leader, refund.pk)
    assert twice.value.code == "refund_already_approved"
    assert {"payments.refund_requested", "payments.refund_approved"} <= set(
        AuditEntry.objects.values_list("action", flat=True))
    assert reconcile(fees.branch, timezone.localdate()).refunded == 30_000


def test_the_leader_does_not_approve_their_own_request(client, fees, fee_officer):
    receipt = paid(client, fees, fee_officer)
    refund = request_refund(fees.leader, receipt.pk, amount=1_000, reason="Thu thừa")
    with pytest.raises(DomainError) as own:
        approve_refund(fees.leader, refund.pk)
    assert own.value.code == "refund_self_approval"


def test_the_day_is_reconciled_per_channel_and_officer_and_differences_are_flagged(client, fees, fee_officer):
    paid(client, fees, fee_officer, "cash")
    paid(client, fees, fee_officer, "cash")
    cancelled = paid(client, fees, fee_officer, "transfer")
    cancel_receipt(fee_officer, cancelled.pk, reason="Phát hành nhầm")
    figures = reconcile(fees.branch, timezone.localdate())
    assert [(line.channel, line.officer, line.count, line.amount) for line in figures.lines] == [
        ("cash", "thuphi", 2, 160_000), ("transfer", "thuphi", 1, 80_000)]
    assert figures.total == 240_000 and figures.by_channel() == {"cash": 160_000, "transfer": 80_000}
    assert len(figures.differences) == 1 and cancelled.payment.reference in figures.differences[0]


def test_the_leader_signs_the_day_once(client, fees, fee_officer):
    paid(client, fees, fee_officer)
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        sign_off_day(fee_officer, fees.branch, today)
    close = sign_off_day(fees.leader, fees.branch, today)
    assert close.totals["total"] == 80_000 and close.signed_by == fees.leader
    with pytest.raises(DomainError) as again:
        sign_off_day(fees.leader, fees.branch, today)
    assert again.value.code == "day_already_signed" and DailyClose.objects.count() == 1
    paid(client, fees, fee_officer)  # collected after the sign-off: flagged
    figures = reconcile(fees.branch, today)
    assert figures.signed_by and any("sau khi lãnh đạo ký" in d for d in figures.differences)


def test_the_reconciliation_page_exports_csv_and_xlsx_with_cells_that_cannot_run(client, fees, fee_officer):
    fee_officer.username = "=HYPERLINK(1)"
    fee_officer.save()
    paid(client, fees, fee_officer)
    client.force_login(fees.leader)
    page = client.get("/payments/reconciliation/")
    assert page.status_code == 200 and "80.000 đ" in page.content.decode() and 'id="sign-off"' in page.content.decode()
    rows = list(csv.reader(io.StringIO(client.get("/payments/reconciliation/?export=csv").content.decode("utf-8-sig"))))
    assert rows[0][0] == "Kênh thu" and rows[1][2] == "'=HYPERLINK(1)" and rows[-1][-1] == "80000"
    book = load_workbook(io.BytesIO(client.get("/payments/reconciliation/?export=xlsx").content))
    values = [cell.value for row in book.active.iter_rows() for cell in row]
    assert "'=HYPERLINK(1)" in values and 80_000 in values
    signed = client.post("/payments/reconciliation/", {"day": timezone.localdate().isoformat()}, follow=True)
    assert 'id="signed"' in signed.content.decode()


def test_the_reconciliation_page_is_for_fee_staff(client, fees):
    client.force_login(fees.reception)
    assert client.get("/payments/reconciliation/").status_code == 403
