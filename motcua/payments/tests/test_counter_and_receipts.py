"""The fee counter: exact amounts, once per invoice, receipts numbered without gaps; exemptions; cancel, replace."""

import pytest

from motcua.catalog.fees import FeeFacts
from motcua.catalog.selectors import assess_fees
from motcua.core.errors import DomainError, PermissionDenied
from motcua.core.models import AuditEntry
from motcua.dossiers.models import Dossier, State
from motcua.payments.models import Invoice, Receipt
from motcua.payments.services import (
    apply_exemptions,
    cancel_receipt,
    record_counter_payment,
    replace_receipt,
)
from motcua.payments.services.invoices import open_invoice

from .conftest import received

pytestmark = pytest.mark.django_db


def invoice_of(code):
    return Invoice.objects.get(dossier__code=code)


def test_the_invoice_opens_at_intake_with_the_amount_due(client, fees):
    code = received(client, fees)
    invoice = invoice_of(code)
    assert (invoice.amount, invoice.status, invoice.branch_id) == (80_000, "open", fees.branch.pk)
    assert [(line.name, line.amount) for line in invoice.lines.all()] == [
        ("Phí đăng ký giao dịch bảo đảm", 80_000), ("Phí cấp bản sao", 0)]


def test_the_slip_01_prints_the_amount_due(client, fees):
    import subprocess

    code = received(client, fees)
    client.force_login(fees.reception)
    response = client.get(f"/api/dossiers/{code}/slips/01.pdf")
    text = subprocess.run(["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True).stdout
    assert "80.000 đ" in text.decode()


def test_the_fee_officer_collects_the_exact_amount_once(client, fees, fee_officer):
    code = received(client, fees, pay_first=True)
    assert Dossier.objects.get(code=code).state == State.FINANCIAL_PENDING
    reference = invoice_of(code).reference
    with pytest.raises(DomainError) as wrong:
        record_counter_payment(fee_officer, reference, method="cash", amount=70_000)
    assert wrong.value.code == "amount_mismatch" and wrong.value.details[0]["expected"] == 80_000
    receipt = record_counter_payment(fee_officer, reference, method="cash", amount=80_000)
    assert (receipt.number, receipt.amount, receipt.payer_name) == (1, 80_000, "Trần Thị Bình")
    assert Dossier.objects.get(code=code).state == State.RECEIVED
    with pytest.raises(DomainError) as again:
        record_counter_payment(fee_officer, reference, method="card", amount=80_000)
    assert again.value.code == "invoice_closed" and again.value.status == 409
    assert AuditEntry.objects.filter(action="payments.paid", object_id=reference).count() == 1


def test_only_the_branchs_fee_officer_collects(client, fees, fee_officer):
    reference = invoice_of(received(client, fees)).reference
    for user in (fees.reception, fees.citizen, fees.other_reception):
        with pytest.raises(PermissionDenied):
            record_counter_payment(user, reference, method="cash", amount=80_000)
    with pytest.raises(DomainError) as bad:
        record_counter_payment(fee_officer, reference, method="cheque", amount=80_000)
    assert bad.value.code == "method_unknown"


def test_receipt_numbers_follow_each_other_in_the_branch_series_without_gaps(client, fees, fee_officer):
    codes = [received(client, fees) for _n in range(3)]
    invoices = [invoice_of(code) for code in codes]
    with pytest.raises(DomainError):  # a refused payment draws no number
        record_counter_payment(fee_officer, invoices[0].reference, method="cash", amount=1)
    numbers = [record_counter_payment(fee_officer, i.reference, method="transfer", amount=i.amount).number
               for i in invoices]
    assert numbers == [1, 2, 3]
    assert {r.series.series_symbol for r in Receipt.objects.all()} == {"CN01-26E"}


def test_an_exemption_needs_its_evidence_and_reduces_the_invoice(client, fees, fee_officer):
    code = received(client, fees, pay_first=True)
    reference = invoice_of(code).reference
    with pytest.raises(DomainError) as missing:
        apply_exemptions(fee_officer, reference, claims={"agri-loan": False})
    assert missing.value.code == "exemption_evidence_missing" and "Hợp đồng tín dụng" in str(missing.value.message)
    invoice = apply_exemptions(fee_officer, reference, claims={}, units={2: 2})
    assert invoice.amount == 120_000
    invoice = apply_exemptions(fee_officer, reference, claims={"agri-loan": True})
    assert invoice.amount == 0 and invoice.status == Invoice.Status.WAIVED
    assert Dossier.objects.get(code=code).state == State.RECEIVED  # nothing left to wait for


def test_online_dossiers_owe_no_council_set_fee_from_2026(fees):
    import datetime as dt

    from motcua.catalog.models import ChannelFeeRule

    ChannelFeeRule.objects.create(code="nq77", name="NQ 77/2025", channels=["online"], valid_from=dt.date(2026, 1, 1))
    fees.land.fees.filter(position=1).update(council_set=True)
    assert assess_fees(fees.land, FeeFacts(channel="online", on=dt.date(2026, 1, 2))).total == 0
    assert assess_fees(fees.land, FeeFacts(channel="counter", on=dt.date(2026, 1, 2))).total == 80_000


def test_a_receipt_is_cancelled_or_replaced_with_a_reason_and_both_stay(client, fees, fee_officer):
    code = received(client, fees)
    receipt = record_counter_payment(fee_officer, invoice_of(code).reference, method="cash", amount=80_000)
    with pytest.raises(DomainError) as no_reason:
        replace_receipt(fee_officer, receipt.pk, reason=" ")
    assert no_reason.value.code == "reason_required"
    new = replace_receipt(fee_officer, receipt.pk, reason="Sai tên người nộp", payer_name="Trần Thị Bình An")
    receipt.refresh_from_db()
    assert receipt.status == Receipt.Status.REPLACED and new.replaces == receipt and new.number == 2
    assert new.payer_name == "Trần Thị Bình An" and new.payment_id == receipt.payment_id
    with pytest.raises(DomainError) as twice:
        cancel_receipt(fee_officer, receipt.pk, reason="again")
    assert twice.value.code == "receipt_not_issued"
    cancel_receipt(fee_officer, new.pk, reason="Phát hành nhầm")
    assert list(Receipt.objects.order_by("number").values_list("number", "status")) == [
        (1, "replaced"), (2, "cancelled")]
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"payments.receipt_replaced", "payments.receipt_cancelled", "payments.receipt_issued"} <= actions
    check = client.get(f"/payments/receipts/check/{receipt.check_key}")
    assert check.status_code == 200 and "đã được thay thế" in check.content.decode()
    assert "Trần Thị Bình" not in check.content.decode()  # the public check shows no name


def test_an_unknown_check_key_is_a_404_page(client):
    assert client.get("/payments/receipts/check/NOPE").status_code == 404


def test_no_invoice_when_nothing_is_owed(client, world):
    code = received(client, world)
    assert not Invoice.objects.filter(dossier__code=code).exists()
    assert open_invoice(Dossier.objects.get(code=code), now=Dossier.objects.get(code=code).received_at) is None
