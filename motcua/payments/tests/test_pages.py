"""The payment pages through Django's test client (the browser tests are in e2e/test_payment_pages.py)."""

import urllib.parse

import pytest

from motcua.integrations.payment_gateway import vietqr
from motcua.payments.models import Invoice, Receipt

from .conftest import received

pytestmark = pytest.mark.django_db


def test_the_fee_counter_lists_open_invoices_and_collects(client, fees, fee_officer):
    code = received(client, fees)
    client.force_login(fee_officer)
    page = client.get("/payments/counter/")
    assert page.status_code == 200 and code in page.content.decode() and "80.000 đ" in page.content.decode()
    reference = Invoice.objects.get(dossier__code=code).reference
    wrong = client.post("/payments/counter/", {"invoice": reference, "method": "cash", "amount": "8000"}, follow=True)
    assert "Số tiền không khớp" in wrong.content.decode() and not Receipt.objects.exists()
    done = client.post("/payments/counter/", {"invoice": reference, "method": "cash", "amount": "80.000"}, follow=True)
    assert "Biên lai số 0000001" in done.content.decode() and Receipt.objects.count() == 1


def test_the_fee_counter_is_for_fee_staff_only(client, fees):
    client.force_login(fees.reception)
    assert client.get("/payments/counter/").status_code == 403
    client.logout()
    assert client.get("/payments/counter/").status_code == 302


def test_the_counter_shows_a_vietqr_for_the_exact_amount(client, fees, fee_officer, settings):
    code = received(client, fees)
    client.force_login(fee_officer)
    assert 'alt="Mã VietQR chuyển khoản 80.000 đ"' in client.get("/payments/counter/").content.decode()
    reference = Invoice.objects.get(dossier__code=code).reference
    text = vietqr.payload(bank_bin=settings.MOTCUA_VIETQR_BANK_BIN, account=settings.MOTCUA_VIETQR_ACCOUNT,
                          amount=80_000, message=reference)
    assert "540580000" in text and vietqr.crc_valid(text)


def test_paying_from_the_dossier_page_goes_to_the_gateway(client, fees):
    code = received(client, fees)
    client.force_login(fees.reception)
    page = client.get(f"/payments/dossiers/{code}/")
    assert page.status_code == 200 and 'id="pay-online"' in page.content.decode()
    response = client.post(f"/payments/dossiers/{code}/")
    assert response.status_code == 302
    target = urllib.parse.urlsplit(response["Location"])
    assert target.path == "/fake/vnpay/pay" and "vnp_SecureHash=" in target.query


def test_a_dossier_page_of_someone_else_is_404(client, fees):
    code = received(client, fees)
    client.force_login(fees.other_reception)
    assert client.get(f"/payments/dossiers/{code}/").status_code == 404


def test_the_fake_gateway_refuses_a_tampered_order(client, fees, settings):
    settings.MOTCUA_FAKE_VNPAY = True
    code = received(client, fees)
    client.force_login(fees.reception)
    location = client.post(f"/payments/dossiers/{code}/")["Location"]
    assert client.get(location).status_code == 200
    assert client.get(location.replace("vnp_Amount=8000000", "vnp_Amount=100")).status_code == 400


def test_the_fake_gateway_is_off_unless_enabled(client, fees, settings):
    code = received(client, fees)
    client.force_login(fees.reception)
    location = client.post(f"/payments/dossiers/{code}/")["Location"]
    settings.MOTCUA_FAKE_VNPAY = False
    assert client.get(location).status_code == 404


def test_the_fee_counter_applies_an_exemption_only_with_its_evidence(client, fees, fee_officer):
    code = received(client, fees)
    client.force_login(fee_officer)
    page = client.get("/payments/counter/").content.decode()
    assert "Vay vốn phát triển nông nghiệp, nông thôn" in page and "Hợp đồng tín dụng" in page
    reference = Invoice.objects.get(dossier__code=code).reference
    refused = client.post("/payments/counter/", {"action": "reassess", "invoice": reference, "claim": "agri-loan"},
                          follow=True)
    assert "cần giấy tờ chứng minh" in refused.content.decode()
    assert Invoice.objects.get(reference=reference).amount == 80_000
    copies = client.post("/payments/counter/", {"action": "reassess", "invoice": reference, "units-2": "2"},
                         follow=True)
    assert "phải nộp 120.000 đ" in copies.content.decode()
    client.post("/payments/counter/", {"action": "reassess", "invoice": reference, "claim": "agri-loan",
                                       "evidence-agri-loan": "1"})
    assert Invoice.objects.get(reference=reference).status == Invoice.Status.WAIVED


def test_the_refunds_page_asks_and_the_branch_leader_approves(client, fees, fee_officer):
    from motcua.payments.models import Invoice, Refund
    from motcua.payments.services import record_counter_payment

    code = received(client, fees)
    invoice = Invoice.objects.get(dossier__code=code)
    receipt = record_counter_payment(fee_officer, invoice.reference, method="cash", amount=80_000)
    client.force_login(fee_officer)
    page = client.get("/payments/refunds/")
    assert page.status_code == 200 and 'id="refund-request"' in page.content.decode()
    form = {"series": receipt.series.series_symbol, "number": str(receipt.number), "reason": "Nộp nhầm hai lần"}
    too_much = client.post("/payments/refunds/", {**form, "amount": "90.000"})
    assert too_much.status_code == 422 and "không quá số còn lại" in too_much.content.decode()
    unknown = client.post("/payments/refunds/", {**form, "number": "99", "amount": "1000"})
    assert unknown.status_code == 422 and "Không có biên lai này" in unknown.content.decode()
    assert client.post("/payments/refunds/", {**form, "amount": "30.000"}).status_code == 302
    refund = Refund.objects.get()
    assert (refund.amount, refund.approved_at) == (30_000, None)
    assert f'id="approve-{refund.pk}"' not in client.get("/payments/refunds/").content.decode()  # not their own
    client.force_login(fees.leader)
    assert f'id="approve-{refund.pk}"' in client.get("/payments/refunds/").content.decode()
    assert client.post("/payments/refunds/", {"action": "approve", "refund": refund.pk}).status_code == 302
    refund.refresh_from_db()
    assert refund.approved_by == fees.leader
    assert "30.000 đ" in client.get("/payments/refunds/").content.decode()
    client.force_login(fees.officer)
    assert client.get("/payments/refunds/").status_code == 403
