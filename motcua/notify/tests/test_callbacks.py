"""The providers' delivery reports: signed by the provider, applied to the delivery they name, never
moving a status backwards; the fakes' reports and the real endpoints."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from motcua.integrations.sms.reports import report_body
from motcua.integrations.sms.reports import signature as sms_signature
from motcua.integrations.zalo.fake import delivery_event
from motcua.integrations.zalo.webhook import signature as zalo_signature
from motcua.notify.models import Channel, Delivery, Status

pytestmark = pytest.mark.django_db

SMS_URL = "/notify/callbacks/sms"
ZALO_URL = "/notify/callbacks/zalo"


@pytest.fixture(autouse=True)
def secrets(settings):
    settings.MOTCUA_SMS_CALLBACK_SECRET = "sms-secret"
    settings.MOTCUA_ZALO_OA_SECRET = "oa-secret"


def sent(channel=Channel.SMS, provider_id="gw-1", **extra) -> Delivery:
    return Delivery.objects.create(
        dedupe_key=f"t:{channel}:{provider_id}", event_key="t", topic="dossier.mark_ready", kind="dossier",
        template="dossier_ready", channel=channel, recipient="dossier:X/applicant", address="0987654321",
        object_type="dossier", object_id="X", text="Hồ sơ X.", status=Status.SENT, sent_at=timezone.now(),
        provider_message_id=provider_id, **extra)


def post_sms(client, body: bytes, secret="sms-secret"):
    return client.post(SMS_URL, body, content_type="application/json", headers={"x-signature": sms_signature(body, secret)})


def test_a_signed_sms_report_marks_the_delivery_delivered(client):
    delivery = sent()
    response = post_sms(client, report_body("gw-1", "delivered"))
    assert response.status_code == 200 and response.json() == {"applied": 1}
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED and delivery.delivered_at is not None


def test_a_failed_report_keeps_its_reason_and_a_later_one_never_goes_backwards(client):
    delivery = sent()
    assert post_sms(client, report_body("gw-1", "failed", "unreachable_handset")).json() == {"applied": 1}
    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED and delivery.last_error == "unreachable_handset"
    assert post_sms(client, report_body("gw-1", "delivered")).json() == {"applied": 1}  # it arrived after all
    assert post_sms(client, report_body("gw-1", "failed", "late")).json() == {"applied": 0}
    delivery.refresh_from_db()
    assert delivery.status == Status.DELIVERED


def test_wrong_or_missing_signatures_and_bodies_are_refused(client, settings):
    delivery = sent()
    body = report_body("gw-1", "delivered")
    assert post_sms(client, body, secret="guess").status_code == 403
    assert client.post(SMS_URL, body, content_type="application/json").status_code == 403
    assert post_sms(client, b'{"id": "gw-1", "status": "lost"}').status_code == 400
    assert post_sms(client, b"not json").status_code == 400
    assert client.get(SMS_URL).status_code == 405
    settings.MOTCUA_SMS_CALLBACK_SECRET = ""  # not configured: nothing is believed
    assert post_sms(client, body, secret="").status_code == 403
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT


def test_an_unknown_message_id_is_answered_but_changes_nothing(client):
    delivery = sent()
    assert post_sms(client, report_body("someone-else", "delivered")).json() == {"applied": 0}
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT


def test_a_failed_zalo_message_falls_back_to_sms(texts):
    from motcua.notify import services

    zalo = sent(Channel.ZALO, "zns-1", fallback_phone="0987654321")
    assert services.record_report(Channel.ZALO, "zns-1", "failed", "user_blocked") == 1
    assert Delivery.objects.get(pk=zalo.pk).status == Status.FAILED
    assert services.send_due(now=timezone.now() + dt.timedelta(seconds=1))["sent"] == 1
    assert len(texts.messages("0987654321")) == 1


def test_zalo_s_signed_delivery_event_marks_the_zns_message_delivered(client):
    delivery = sent(Channel.ZALO, "zns-1")
    body = delivery_event("zns-1", f"notify-{delivery.pk}", app_id="app")
    header = zalo_signature("app", body, json.loads(body)["timestamp"], "oa-secret")
    assert client.post(ZALO_URL, body, content_type="application/json",
                       headers={"x-zevent-signature": header}).json() == {"applied": 1}
    assert Delivery.objects.get(pk=delivery.pk).status == Status.DELIVERED
    forged = zalo_signature("app", body, json.loads(body)["timestamp"], "guess")
    assert client.post(ZALO_URL, body, content_type="application/json",
                       headers={"x-zevent-signature": forged}).status_code == 403
    other = json.dumps({"app_id": "app", "event_name": "follow", "timestamp": "1"}).encode()
    assert client.post(ZALO_URL, other, content_type="application/json",
                       headers={"x-zevent-signature": zalo_signature("app", other, "1", "oa-secret")}).status_code == 200


def test_the_http_sms_client_returns_the_gateway_s_id_that_reports_name(live_server, settings, texts):
    from motcua.integrations.sms.client import HttpSmsGateway

    settings.MOTCUA_FAKE_SMS_GATEWAY = True
    message_id = HttpSmsGateway(f"{live_server.url}/fake/sms").send("0987654321", "Hồ sơ X.")
    assert message_id and texts.messages()[0].message_id == message_id
