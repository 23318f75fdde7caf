"""Paying online: the VNPay 2.1.0 adapter against the project's fake gateway (the same protocol and secret).

Success, refusal, timeout, duplicate, out of order, tampered, wrong amount, unknown order, late.
"""

import datetime as dt
import logging

import pytest

from motcua.dossiers.models import Dossier, State
from motcua.dossiers.states import national_status
from motcua.integrations.payment_gateway.vnpay import sign, signature_valid
from motcua.payments.models import GatewayNotification, Invoice, Payment, Receipt

from .conftest import order_of, received

pytestmark = pytest.mark.django_db
IPN = "http://testserver/payments/vnpay/ipn"


def start(client, user, code):
    client.force_login(user)
    return client.post(f"/api/dossiers/{code}/payments")


@pytest.fixture
def started(client, fees, gateway):
    code = received(client, fees)
    response = start(client, fees.reception, code)
    assert response.status_code == 201, response.content
    return code, response.json(), gateway.check_order(order_of(response.json()["payment_url"]))


def test_the_payment_url_carries_the_signed_vnp_parameters(started, settings):
    code, body, order = started
    assert body["amount"] == 80_000 and body["invoice"] == f"{code}/1"
    assert order["vnp_Version"] == "2.1.0" and order["vnp_Command"] == "pay"
    assert order["vnp_Amount"] == "8000000"  # ×100
    assert order["vnp_TmnCode"] == settings.MOTCUA_VNPAY_TMN_CODE and order["vnp_CurrCode"] == "VND"
    assert order["vnp_ReturnUrl"] == "http://testserver/payments/vnpay/return"
    assert code in order["vnp_OrderInfo"]
    assert signature_valid(order_of(body["payment_url"]), settings.MOTCUA_VNPAY_HASH_SECRET)
    assert not signature_valid({**order_of(body["payment_url"]), "vnp_Amount": "100"}, settings.MOTCUA_VNPAY_HASH_SECRET)


def test_the_signature_is_hmac_sha512_over_the_sorted_url_encoded_parameters():
    # Computed independently: sorted keys, quote_plus values ("a b" -> "a+b"), joined with "&".
    import hashlib
    import hmac

    params = {"vnp_TxnRef": "T1", "vnp_Amount": "100", "vnp_OrderInfo": "a b/c", "other": "ignored"}
    expected = hmac.new(b"s", b"vnp_Amount=100&vnp_OrderInfo=a+b%2Fc&vnp_TxnRef=T1", hashlib.sha512).hexdigest()
    assert sign(params, "s") == expected


def test_success_marks_the_invoice_paid_once_and_issues_its_receipt(started, gateway, ipn):
    code, body, order = started
    gateway.notify(IPN, gateway.answer(order, "success", dt.datetime.now(dt.UTC)))
    assert ipn.answers == [{"RspCode": "00", "Message": "Confirm Success"}]
    invoice = Invoice.objects.get(reference=body["invoice"])
    assert invoice.status == Invoice.Status.PAID and invoice.paid_at is not None
    (receipt,) = Receipt.objects.filter(payment__invoice=invoice)
    assert (receipt.number, receipt.amount, receipt.status) == (1, 80_000, Receipt.Status.ISSUED)
    assert receipt.payment.gateway_transaction and receipt.payment.status == Payment.Status.SUCCEEDED


def test_the_return_page_shows_the_result_and_decides_nothing(client, started, gateway):
    code, body, order = started
    answer = gateway.answer(order, "success", dt.datetime.now(dt.UTC))
    page = client.get("/payments/vnpay/return", answer)
    assert page.status_code == 200 and b'data-outcome="waiting"' in page.content
    assert Invoice.objects.get(reference=body["invoice"]).status == Invoice.Status.OPEN  # the IPN decides
    gateway.notify(IPN, answer)  # late: after the payer came back
    page = client.get("/payments/vnpay/return", answer)
    assert b'data-outcome="paid"' in page.content


def test_a_refusal_changes_nothing_but_the_attempt_and_the_payer_may_try_again(client, started, gateway, ipn, fees):
    code, body, order = started
    gateway.notify(IPN, gateway.answer(order, "refuse", dt.datetime.now(dt.UTC)))
    assert ipn.answers[-1]["RspCode"] == "00"
    assert Payment.objects.get(reference=order["vnp_TxnRef"]).status == Payment.Status.FAILED
    assert Invoice.objects.get(reference=body["invoice"]).status == Invoice.Status.OPEN
    assert not Receipt.objects.exists()
    page = client.get("/payments/vnpay/return", gateway.answer(order, "refuse", dt.datetime.now(dt.UTC)))
    assert b'data-outcome="cancelled"' in page.content
    again = start(client, fees.reception, code)
    assert again.status_code == 201 and again.json()["payment_url"] != body["payment_url"]


def test_a_timeout_is_a_failed_attempt(client, started, gateway, ipn):
    code, body, order = started
    answer = gateway.answer(order, "timeout", dt.datetime.now(dt.UTC))
    gateway.notify(IPN, answer)
    assert ipn.answers[-1]["RspCode"] == "00"
    assert Payment.objects.get(reference=order["vnp_TxnRef"]).status == Payment.Status.FAILED
    assert b'data-outcome="timeout"' in client.get("/payments/vnpay/return", answer).content


def test_a_duplicate_answers_already_confirmed_and_changes_nothing(started, gateway, ipn):
    code, body, order = started
    gateway.notify(IPN, gateway.answer(order, "success", dt.datetime.now(dt.UTC)), times=2)
    assert [a["RspCode"] for a in ipn.answers] == ["00", "02"]
    assert Receipt.objects.count() == 1 and Payment.objects.filter(status=Payment.Status.SUCCEEDED).count() == 1


def test_a_failure_after_the_success_never_unpays(started, gateway, ipn):
    code, body, order = started
    now = dt.datetime.now(dt.UTC)
    gateway.notify(IPN, gateway.answer(order, "success", now))
    gateway.notify(IPN, gateway.answer(order, "refuse", now))
    assert [a["RspCode"] for a in ipn.answers] == ["00", "02"]
    assert Invoice.objects.get(reference=body["invoice"]).status == Invoice.Status.PAID
    assert Payment.objects.get(reference=order["vnp_TxnRef"]).status == Payment.Status.SUCCEEDED
    assert Receipt.objects.get().status == Receipt.Status.ISSUED


def test_a_tampered_notification_answers_97_changes_nothing_and_is_logged_without_personal_data(
        started, gateway, ipn, caplog):
    code, body, order = started
    answer = gateway.answer(order, "success", dt.datetime.now(dt.UTC))
    answer["vnp_Amount"] = "100"  # changed after signing
    with caplog.at_level(logging.WARNING, logger="motcua.payments"):
        gateway.notify(IPN, answer)
    assert ipn.answers == [{"RspCode": "97", "Message": "Invalid Signature"}]
    assert Invoice.objects.get(reference=body["invoice"]).status == Invoice.Status.OPEN
    assert Payment.objects.get(reference=order["vnp_TxnRef"]).status == Payment.Status.PENDING
    assert not Receipt.objects.exists()
    assert GatewayNotification.objects.get().signature_valid is False
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "invalid signature" in logged and order["vnp_TxnRef"] in logged
    dossier = Dossier.objects.get(code=code)
    assert dossier.applicant_id_number not in logged and dossier.applicant_name not in logged


def test_a_signed_notification_with_another_amount_answers_04(started, gateway, ipn, settings):
    code, body, order = started
    gateway.notify(IPN, gateway.answer({**order, "vnp_Amount": "7000000"}, "success", dt.datetime.now(dt.UTC)))
    assert ipn.answers[-1] == {"RspCode": "04", "Message": "invalid amount"}
    assert Invoice.objects.get(reference=body["invoice"]).status == Invoice.Status.OPEN


def test_an_unknown_order_answers_01(started, gateway, ipn):
    code, body, order = started
    gateway.notify(IPN, gateway.answer({**order, "vnp_TxnRef": "TTNOSUCHORDER"}, "success", dt.datetime.now(dt.UTC)))
    assert ipn.answers[-1] == {"RspCode": "01", "Message": "Order not found"}


def test_a_signed_notification_without_its_fields_answers_99(client, settings):
    params = {"vnp_TxnRef": "X"}
    params["vnp_SecureHash"] = sign(params, settings.MOTCUA_VNPAY_HASH_SECRET)
    assert client.get("/payments/vnpay/ipn", params).json() == {"RspCode": "99", "Message": "Unknow error"}
    assert client.get("/payments/vnpay/ipn").json()["RspCode"] == "97"


def test_a_pay_first_dossier_waits_in_status_6_until_the_gateway_confirms(client, fees, gateway, ipn):
    code = received(client, fees, pay_first=True)
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == State.FINANCIAL_PENDING and national_status(dossier.state) == 6
    assert client.get(f"/api/dossiers/{code}").json()["state"] == "financial_pending"
    order = gateway.check_order(order_of(start(client, fees.reception, code).json()["payment_url"]))
    gateway.notify(IPN, gateway.answer(order, "success", dt.datetime.now(dt.UTC)))
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.due_at is not None


def test_the_dossier_payments_list_invoices_payments_and_receipts(client, started, gateway, fees):
    code, body, order = started
    gateway.notify(IPN, gateway.answer(order, "success", dt.datetime.now(dt.UTC)))
    client.force_login(fees.reception)
    (invoice,) = client.get(f"/api/dossiers/{code}/payments").json()
    assert (invoice["invoice"], invoice["status"], invoice["amount"]) == (body["invoice"], "paid", 80_000)
    assert [line["amount"] for line in invoice["lines"]] == [80_000, 0]
    (receipt,) = invoice["receipts"]
    assert receipt["receipt"] == "0000001" and receipt["series"] == "CN01-26E" and receipt["status"] == "issued"
    pdf = client.get(receipt["pdf"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    check = client.get(receipt["check_url"].replace("http://testserver", ""))
    assert check.status_code == 200 and "80.000 đ" in check.content.decode()


def test_nobody_else_sees_or_pays_the_dossier(client, started, fees):
    code, body, order = started
    client.force_login(fees.other_reception)
    assert client.get(f"/api/dossiers/{code}/payments").status_code == 404
    assert client.post(f"/api/dossiers/{code}/payments").status_code == 404
    client.logout()
    assert client.post(f"/api/dossiers/{code}/payments").status_code == 401


def test_nothing_to_pay_is_a_clear_refusal(client, world):
    code = received(client, world)  # no fees in the catalog
    response = start(client, world.reception, code)
    assert response.status_code == 409 and response.json()["code"] == "nothing_to_pay"
    assert response.json()["message"].startswith("Hồ sơ không có khoản phí")
