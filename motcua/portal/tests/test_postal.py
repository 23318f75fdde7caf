"""Results by post: asked for a ready result only, one parcel per dossier, signed callbacks applied once."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from motcua.core.errors import NotFound, ServiceUnavailable, ValidationFailed
from motcua.core.models import OutboxMessage
from motcua.dossiers.models import Dossier, State
from motcua.integrations.postal import set_postal, sign_callback
from motcua.integrations.postal.fake import BASE_FEE, LocalPostalService
from motcua.portal.models import ResultDelivery
from motcua.portal.services import postal

from .test_wallet import _dossier_with_result

pytestmark = pytest.mark.django_db
SECRET = "test-postal-secret"
HOME = postal.Receiver("Nguyễn Văn An", "0912 345 678", "5 Hàng Bài, phường Hoàn Kiếm, Hà Nội")


@pytest.fixture(autouse=True)
def _postal(settings):
    settings.MOTCUA_POSTAL_CALLBACK_SECRET = SECRET
    LocalPostalService.clear()
    set_postal(None)
    yield
    set_postal(None)
    LocalPostalService.clear()


def callback(client, tracking, status, *, at=None, secret=SECRET):
    body = json.dumps(
        {"tracking_number": tracking, "status": status, "at": (at or timezone.now()).isoformat(), "note": ""}
    ).encode()
    return client.post(
        "/api/postal/callback",
        body,
        content_type="application/json",
        headers={"X-Signature": sign_callback(body, secret)},
    )


def test_a_ready_result_is_sent_by_post_once(world, citizen):
    dossier = _dossier_with_result(world, citizen)
    assert postal.quote_delivery(citizen, dossier.code) == BASE_FEE
    delivery = postal.request_delivery(citizen, dossier.code, HOME)
    assert (delivery.fee, delivery.status, delivery.receiver_phone) == (BASE_FEE, "accepted", "0912345678")
    assert delivery.tracking_number.endswith("VN")
    assert postal.request_delivery(citizen, dossier.code, HOME).pk == delivery.pk
    assert ResultDelivery.objects.count() == 1
    order, _receipt = LocalPostalService.orders[dossier.code]
    assert order.collect_on_delivery == BASE_FEE and order.receiver_address.startswith("5 Hàng Bài")
    message = OutboxMessage.objects.get(topic=postal.REQUESTED)
    assert message.payload["tracking_number"] == delivery.tracking_number and "0912345678" not in str(
        message.payload
    )


def test_only_the_citizens_ready_result_can_be_posted(world, citizen, other_citizen):
    open_dossier = _dossier_with_result(world, citizen, state=State.PROCESSING)
    with pytest.raises(postal.NotReadyForPost):
        postal.request_delivery(citizen, open_dossier.code, HOME)
    ready = _dossier_with_result(world, citizen)
    with pytest.raises(NotFound):
        postal.request_delivery(other_citizen, ready.code, HOME)
    with pytest.raises(ValidationFailed) as refused:
        postal.request_delivery(citizen, ready.code, postal.Receiver("", "12", "ngắn"))
    assert {p["field"] for p in refused.value.details} == {"name", "phone", "address"}
    set_postal(LocalPostalService(failing=True))
    with pytest.raises(ServiceUnavailable):
        postal.request_delivery(citizen, ready.code, HOME)
    assert not ResultDelivery.objects.exists()


def test_signed_callbacks_move_the_parcel_on_once(client, world, citizen):
    dossier = _dossier_with_result(world, citizen)
    tracking = postal.request_delivery(citizen, dossier.code, HOME).tracking_number
    now = timezone.now()
    assert callback(client, tracking, "delivering", at=now).json() == {"changed": True}
    assert callback(client, tracking, "delivering", at=now).json() == {
        "changed": False
    }  # the same event again
    assert callback(client, tracking, "in_transit", at=now - dt.timedelta(hours=1)).json() == {
        "changed": True
    }
    delivery = ResultDelivery.objects.get()
    assert delivery.status == "delivering"  # an older event joins the journey, not the status
    assert callback(client, tracking, "delivered", at=now + dt.timedelta(hours=1)).json() == {"changed": True}
    assert callback(client, tracking, "returned", at=now + dt.timedelta(hours=2)).json() == {"changed": False}
    delivery.refresh_from_db()
    assert delivery.status == "delivered" and len(delivery.events) == 4
    assert callback(client, tracking, "returned", secret="wrong").status_code == 403
    assert callback(client, "EP999999999VN", "delivered").status_code == 404
    bad = client.post(
        "/api/postal/callback",
        b"{",
        content_type="application/json",
        headers={"X-Signature": sign_callback(b"{", SECRET)},
    )
    assert bad.status_code == 403
    assert OutboxMessage.objects.filter(topic=postal.STATUS).count() == 3


def test_the_page_asks_for_the_post_and_follows_the_parcel(client, world, citizen, other_citizen):
    dossier = _dossier_with_result(world, citizen)
    client.force_login(citizen)
    wallet_page = client.get("/me/wallet/").content.decode()
    assert f"/me/post/{dossier.code}/" in wallet_page
    page = client.get(f"/me/post/{dossier.code}/")
    assert page.status_code == 200 and "22.000 đ" in page.content.decode()
    refused = client.post(
        f"/me/post/{dossier.code}/", {"name": "An", "phone": "123", "address": "5 Hàng Bài, HN xa"}
    )
    assert refused.status_code == 422 and not ResultDelivery.objects.exists()
    done = client.post(
        f"/me/post/{dossier.code}/", {"name": HOME.name, "phone": HOME.phone, "address": HOME.address}
    )
    assert done.status_code == 302
    delivery = ResultDelivery.objects.get()
    LocalPostalService().advance(delivery.tracking_number, "picked_up", secret=SECRET)
    body = client.get(f"/me/post/{dossier.code}/").content.decode()
    assert delivery.tracking_number in body and "Đã lấy kết quả tại điểm tiếp nhận" in body
    api = client.get(f"/api/me/deliveries/{dossier.code}").json()
    assert api["status"] == "picked_up" and api["fee"] == BASE_FEE
    client.force_login(other_citizen)
    assert client.get(f"/me/post/{dossier.code}/").status_code == 404
    assert client.get(f"/api/me/deliveries/{dossier.code}").status_code == 404


def test_the_api_requests_a_delivery(client, world, citizen):
    dossier = _dossier_with_result(world, citizen)
    client.force_login(citizen)
    answer = client.post(
        "/api/me/deliveries",
        {"dossier": dossier.code, "name": HOME.name, "phone": HOME.phone, "address": HOME.address},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["status"] == "accepted"
    Dossier.objects.filter(pk=dossier.pk).update(
        state=State.RETURNED, returned_at=timezone.now(), return_method="post"
    )
    assert client.get(f"/api/me/deliveries/{dossier.code}").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_two_requests_at_once_make_one_parcel(world, citizen):
    import threading

    from django.db import connection

    dossier = _dossier_with_result(world, citizen)
    barrier = threading.Barrier(2)
    numbers = []

    def run():
        try:
            barrier.wait()
            numbers.append(postal.request_delivery(citizen, dossier.code, HOME).tracking_number)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(numbers) == 2 and numbers[0] == numbers[1]
    assert ResultDelivery.objects.count() == 1
    assert OutboxMessage.objects.filter(topic=postal.REQUESTED).count() == 1
