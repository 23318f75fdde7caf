"""One contract, two implementations: the in-process fake, and the HTTP client against the fake endpoint."""

import json

import pytest

from motcua.integrations.postal import (
    CallbackRefused,
    PickupOrder,
    PostalService,
    PostalUnavailable,
    parse_callback,
    sign_callback,
)
from motcua.integrations.postal.client import HttpPostalService
from motcua.integrations.postal.fake import BASE_FEE, LocalPostalService

pytestmark = pytest.mark.urls("motcua.integrations.postal.tests.urls")
ORDER = PickupOrder(
    reference="000.00.12.H26-261207-0001",
    sender_name="Chi nhánh số 1",
    sender_address="258 Võ Chí Công",
    receiver_name="Nguyễn Văn An",
    receiver_phone="0912345678",
    receiver_address="1 Điện Biên Phủ, phường Ba Đình",
    collect_on_delivery=BASE_FEE,
)


@pytest.fixture(autouse=True)
def _clean():
    LocalPostalService.clear()
    yield
    LocalPostalService.clear()


@pytest.fixture
def http_fake(settings, live_server):
    settings.MOTCUA_FAKE_POSTAL = True
    return HttpPostalService(f"{live_server.url}/fake/postal")


def check_contract(service: PostalService):
    assert isinstance(service, PostalService)
    assert service.quote(ORDER) == BASE_FEE
    receipt = service.create_order(ORDER)
    assert receipt.fee == BASE_FEE and receipt.tracking_number.endswith("VN")
    assert service.create_order(ORDER) == receipt  # idempotent per reference
    assert [e.status for e in service.track(receipt.tracking_number)] == ["accepted"]
    LocalPostalService().advance(receipt.tracking_number, "delivered", secret="s")
    assert [e.status for e in service.track(receipt.tracking_number)] == ["accepted", "delivered"]
    assert service.track("EP000000000VN") == []
    with pytest.raises(PostalUnavailable):
        service.create_order(PickupOrder(**{**ORDER.__dict__, "reference": "x", "receiver_address": " "}))


def test_in_process_fake_honours_the_contract():
    check_contract(LocalPostalService())


@pytest.mark.django_db(transaction=True)
def test_http_client_against_the_fake_endpoint_honours_the_contract(http_fake):
    check_contract(http_fake)


@pytest.mark.django_db(transaction=True)
def test_the_fake_endpoint_checks_the_token(http_fake, settings):
    settings.MOTCUA_POSTAL_TOKEN = "shared"
    with pytest.raises(PostalUnavailable):
        http_fake.quote(ORDER)
    assert HttpPostalService(http_fake.base_url, token="shared").quote(ORDER) == BASE_FEE


def test_a_callback_is_accepted_only_with_its_signature():
    fake = LocalPostalService()
    receipt = fake.create_order(ORDER)
    body, signature = fake.advance(
        receipt.tracking_number, "delivering", secret="s3cret", note="Bưu tá đang giao"
    )
    event = parse_callback(body, signature, "s3cret")
    assert (event.tracking_number, event.status, event.note) == (
        receipt.tracking_number,
        "delivering",
        "Bưu tá đang giao",
    )
    with pytest.raises(CallbackRefused):
        parse_callback(body, signature, "other")
    tampered = body.replace(b"delivering", b"delivered")
    with pytest.raises(CallbackRefused):
        parse_callback(tampered, signature, "s3cret")
    bad = json.dumps({"tracking_number": "x", "status": "lost", "at": "2026-12-07T10:00:00+07:00"}).encode()
    with pytest.raises(CallbackRefused):
        parse_callback(bad, sign_callback(bad, "s3cret"), "s3cret")
    with pytest.raises(CallbackRefused):
        parse_callback(body, signature, "")
