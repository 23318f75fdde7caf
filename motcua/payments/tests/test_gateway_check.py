"""The gateway's own record (VNPay querydr) against ours: a missed IPN is applied, differences are listed."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from motcua.integrations.payment_gateway import InvalidSignature, VnpayGateway
from motcua.integrations.payment_gateway import fake as fake_module
from motcua.integrations.payment_gateway.vnpay import QUERY_REQUEST_FIELDS, sign_fields
from motcua.payments.models import Invoice, Payment, Receipt
from motcua.payments.services import check_day_with_gateway, check_pending_payments

from .conftest import order_of, received

pytestmark = pytest.mark.django_db
LATER = dt.timedelta(minutes=30)


@pytest.fixture(autouse=True)
def _fake_gateway_api(settings):
    settings.MOTCUA_FAKE_VNPAY, settings.MOTCUA_VNPAY_API_URL = True, ""  # the fake, in this process
    fake_module.LEDGER.clear()
    yield
    fake_module.LEDGER.clear()


@pytest.fixture
def attempt(client, fees, gateway):
    """A payment attempt started online: (payment, the order the gateway received)."""
    code = received(client, fees)
    client.force_login(fees.reception)
    body = client.post(f"/api/dossiers/{code}/payments").json()
    return Payment.objects.get(reference=order_of(body["payment_url"])["vnp_TxnRef"]), \
        gateway.check_order(order_of(body["payment_url"]))


def http_poster(url, body):
    """The adapter's POST through Django's test client, to the fake's own URL."""
    return Client().post(url, json.dumps(body), content_type="application/json").json()


def adapter(settings, **overrides):
    values = {"url": settings.MOTCUA_VNPAY_URL, "tmn_code": settings.MOTCUA_VNPAY_TMN_CODE,
              "hash_secret": settings.MOTCUA_VNPAY_HASH_SECRET,
              "api_url": "http://testserver/fake/vnpay/api/transaction", "post": http_poster}
    return VnpayGateway(**{**values, **overrides})


def test_the_adapter_reads_the_fake_s_record_over_its_json_api(attempt, gateway, settings):
    payment, order = attempt
    now = dt.datetime.now(dt.UTC)
    assert adapter(settings).query(payment.reference, payment.created_at, now=now) is None  # nothing decided yet
    gateway.answer(order, "success", now)
    note = adapter(settings).query(payment.reference, payment.created_at, now=now)
    assert (note.reference, note.amount, note.succeeded) == (payment.reference, 80_000, True) and note.transaction_no


def test_a_request_signed_with_another_secret_is_refused_and_a_tampered_answer_is_not_believed(attempt, gateway,
                                                                                             settings):
    payment, order = attempt
    gateway.answer(order, "success", dt.datetime.now(dt.UTC))
    sent = []
    with pytest.raises(InvalidSignature):
        adapter(settings, hash_secret="wrong", post=lambda url, body: sent.append(body) or {}).query(
            payment.reference, payment.created_at, now=payment.created_at)
    answer = http_poster("/fake/vnpay/api/transaction", sent[0])
    assert (answer["vnp_ResponseCode"], answer["vnp_Message"]) == ("97", "Invalid Checksum")
    assert "vnp_Amount" not in answer  # nothing told to a caller who cannot sign

    def tampering(url, body):
        answer = http_poster(url, body)
        return {**answer, "vnp_Amount": "100"}

    with pytest.raises(InvalidSignature):
        adapter(settings, post=tampering).query(payment.reference, payment.created_at, now=payment.created_at)


def test_the_request_is_signed_over_its_fields_in_vnpay_s_order():
    body = dict(zip(QUERY_REQUEST_FIELDS, ("r1", "2.1.0", "querydr", "T", "X1", "20261207090000", "20261207100000",
                                           "127.0.0.1", "Truy van X1"), strict=True))
    import hashlib
    import hmac

    data = "r1|2.1.0|querydr|T|X1|20261207090000|20261207100000|127.0.0.1|Truy van X1"
    assert sign_fields(body, QUERY_REQUEST_FIELDS, "s") == hmac.new(b"s", data.encode(), hashlib.sha512).hexdigest()


def test_a_success_whose_ipn_never_came_is_applied_once_from_the_gateway_s_record(attempt, gateway):
    payment, order = attempt
    gateway.answer(order, "success", payment.created_at)  # paid; the IPN is lost
    assert "nothing pending" == check_pending_payments(payment.created_at + dt.timedelta(minutes=5))  # window open
    assert "1 confirmed" in check_pending_payments(payment.created_at + LATER)
    invoice = Invoice.objects.get(pk=payment.invoice_id)
    assert invoice.status == Invoice.Status.PAID
    assert Receipt.objects.filter(payment=payment, status=Receipt.Status.ISSUED).count() == 1
    assert check_pending_payments(payment.created_at + LATER) == "nothing pending"
    assert Receipt.objects.filter(payment__invoice=invoice).count() == 1


def test_an_attempt_the_gateway_never_completed_is_closed_after_its_window(attempt):
    payment, _order = attempt
    check_pending_payments(payment.created_at + dt.timedelta(minutes=5))
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING
    assert "1 expired" in check_pending_payments(payment.created_at + LATER)
    payment.refresh_from_db()
    assert (payment.status, payment.response_code) == (Payment.Status.FAILED, "91")
    assert Invoice.objects.get(pk=payment.invoice_id).status == Invoice.Status.OPEN  # still to pay


def test_the_fee_staff_check_a_day_and_see_what_differs(attempt, gateway, client, fee_officer, fees):
    payment, order = attempt
    gateway.answer(order, "success", payment.created_at)
    fake_module.LEDGER[payment.reference]["vnp_Amount"] = "5000000"  # the gateway says 50,000 đ
    client.force_login(fee_officer)
    page = client.post("/payments/reconciliation/", {"action": "check_gateway",
                                                     "day": f"{timezone.localdate(payment.created_at):%Y-%m-%d}"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="gateway-check"' in html
    assert f"Số tiền của giao dịch {payment.reference} khác với cổng thanh toán." in html
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING  # nothing applied on a wrong amount


def test_only_the_branch_s_fee_staff_check_it(attempt, world):
    from motcua.core.errors import DomainError

    payment, _order = attempt
    with pytest.raises(DomainError):
        check_day_with_gateway(world.other_officer, world.branch, timezone.localdate(payment.created_at))
