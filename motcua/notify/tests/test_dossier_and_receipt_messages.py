"""The applicant is told about each step of their dossier and each receipt, once, by SMS unless they chose
otherwise (what the dossiers' and payments' SMS jobs did before notify)."""

import datetime as dt
import logging

import pytest
from django.utils import timezone

from motcua.core import outbox as core_outbox
from motcua.dossiers import services
from motcua.integrations.sms import set_sms
from motcua.integrations.sms.fake import OutboxSms
from motcua.notify import services as notify
from motcua.notify import sources, tasks
from motcua.notify.models import Channel, Delivery, Status
from motcua.payments.models import Invoice
from motcua.payments.services import record_counter_payment
from motcua.payments.tests.conftest import received

from .conftest import pdf

pytestmark = pytest.mark.django_db

MONDAY = timezone.make_aware(dt.datetime(2025, 3, 3, 8, 0))
PHONE = "0987654321"


def at(day_offset: int, hour: int, minute: int = 0) -> dt.datetime:
    return MONDAY + dt.timedelta(days=day_offset, hours=hour - 8, minutes=minute)


def receive(world, now=MONDAY):
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="Trần Thị Bình", phone=PHONE), shown=[4])
    return services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=now)


def test_the_citizen_is_told_once_about_each_step_that_concerns_them(world, texts, caplog):
    dossier = receive(world)
    with caplog.at_level(logging.DEBUG):
        assert tasks.deliver()["sent"] == 1
    [first] = texts.messages(PHONE)
    assert dossier.code in first.text and "tiếp nhận" in first.text
    assert timezone.localtime(dossier.due_at).strftime("%d/%m/%Y") in first.text
    assert tasks.deliver()["sent"] == 0 and len(texts.messages()) == 1
    services.request_supplement(world.reception, dossier.code, items=[{"name": "Bản vẽ", "reason": "Thiếu"}],
                                now=at(0, 9))
    services.supply(world.reception, dossier.code, files={2: [pdf()]}, now=at(1, 9))
    services.apologise(world.officer, dossier.code, new_due_at=at(9, 10), reason="Chờ xác minh", now=at(1, 10))
    services.forward(world.reception, dossier.code, now=at(1, 11))
    services.refuse(world.officer, dossier.code, reason="Không đủ điều kiện", now=at(2, 9))
    with caplog.at_level(logging.DEBUG):
        assert tasks.deliver()["sent"] == 3
    texts_sent = [m.text for m in texts.messages(PHONE)]
    assert "bổ sung" in texts_sent[1] and "15 ngày làm việc" in texts_sent[1]
    assert "10:00 12/03/2025" in texts_sent[2]
    assert "không được giải quyết" in texts_sent[3]
    assert "Chờ xác minh" not in " ".join(texts_sent)  # the reason's free text stays in the dossier
    sms = Delivery.objects.filter(channel=Channel.SMS).order_by("id")
    assert [d.template for d in sms] == ["dossier_received", "dossier_supplement", "dossier_apology",
                                         "dossier_refused"]
    assert all(d.status == Status.SENT and d.provider_message_id and d.attempts == 1 for d in sms)
    assert all(d.recipient == f"dossier:{dossier.code}/applicant" for d in sms)
    assert caplog.records and all(PHONE not in r.getMessage() and PHONE[1:] not in r.getMessage()
                                  for r in caplog.records)


def test_a_gateway_outage_keeps_the_message_and_sends_it_after_the_backoff(world, texts):
    receive(world)
    set_sms(OutboxSms(failing=True))
    assert tasks.deliver() == {"planned": 1, "sent": 0, "retry": 1, "dead": 0, "waiting": 0, "elsewhere": 0}
    assert texts.messages() == []
    [delivery] = Delivery.objects.filter(channel=Channel.SMS)
    assert delivery.status == Status.QUEUED and delivery.attempts == 1 and "offline" in delivery.last_error
    set_sms(OutboxSms())
    assert notify.send_due()["sent"] == 0  # not before its next attempt
    assert notify.send_due(now=delivery.next_attempt_at)["sent"] == 1
    assert len(texts.messages(PHONE)) == 1


def test_no_sms_without_a_phone_or_for_an_online_dossier_not_yet_received(world, texts):
    sub = services.Submission(procedure="1.004227", channel="online", branch="cn1", shown=[4],
                              applicant=services.ApplicantData(kind="person", id_number="001190005678", name="B",
                                                               phone=PHONE))
    online = services.submit_dossier(world.citizen, sub, {1: [pdf()], 2: [pdf()]})
    assert notify.plan_from_outbox()["skipped"] == 1
    services.receive_online(world.reception, online.code)
    counts = tasks.deliver()
    assert counts["planned"] == 1 and counts["sent"] == 1
    assert texts.messages()[0].text.startswith(f"Hồ sơ {online.code} đã được tiếp nhận")
    # the citizen filed it from their account: the portal inbox has it too, delivered at once
    portal = Delivery.objects.get(channel=Channel.PORTAL)
    assert portal.user == world.citizen and portal.status == Status.DELIVERED


def test_no_message_without_a_phone_and_no_account(world, texts):
    sub = services.Submission(procedure="1.004227", applicant=services.ApplicantData(
        kind="person", id_number="001190005678", name="Trần Thị Bình", phone=""), shown=[4])
    services.submit_dossier(world.reception, sub, {1: [pdf()], 2: [pdf()]}, now=MONDAY)
    assert tasks.deliver()["planned"] == 0 and not Delivery.objects.exists()


def test_an_event_another_run_dealt_with_meanwhile_is_not_planned_again(world, texts, monkeypatch):
    receive(world)
    stale = core_outbox.pending(0, sources.TOPICS)
    assert tasks.deliver()["sent"] == 1  # the other run
    monkeypatch.setattr(core_outbox, "pending", lambda *args, **kwargs: stale)
    assert notify.plan_from_outbox() == {"done": 0, "skipped": 0, "failed": 0}
    assert tasks.deliver()["sent"] == 0
    assert len(texts.messages()) == 1


def invoice_of(code):
    return Invoice.objects.get(dossier__code=code)


def test_the_payer_is_told_the_receipt_s_link_once(client, fees, fee_officer, texts, settings):
    settings.MOTCUA_PUBLIC_URL = "https://dichvucong.example.vn"
    code = received(client, fees)
    receipt = record_counter_payment(fee_officer, invoice_of(code).reference, method="cash", amount=80_000)
    tasks.deliver()
    [sent] = [m for m in texts.messages() if "Biên lai" in m.text]
    assert sent.phone == "0987654321" and code in sent.text and "80.000 đ" in sent.text
    assert f"https://dichvucong.example.vn/payments/receipts/check/{receipt.check_key}" in sent.text
    assert client.get(f"/payments/receipts/check/{receipt.check_key}").status_code == 200
    delivery = Delivery.objects.get(template="payment_receipt", channel=Channel.SMS)
    assert delivery.object_type == "receipt" and delivery.recipient == f"dossier:{code}/payer"
    before = len(texts.messages())
    assert tasks.deliver()["sent"] == 0 and len(texts.messages()) == before  # once


def test_a_gateway_outage_keeps_the_payer_s_message_for_later(client, fees, fee_officer, texts):
    code = received(client, fees)
    tasks.deliver()
    record_counter_payment(fee_officer, invoice_of(code).reference, method="cash", amount=80_000)
    set_sms(texts(failing=True))
    assert tasks.deliver()["retry"] == 1 and not [m for m in texts.messages() if "Biên lai" in m.text]
    set_sms(texts())
    delivery = Delivery.objects.get(template="payment_receipt")
    assert notify.send_due(now=delivery.next_attempt_at)["sent"] == 1
    assert len([m for m in texts.messages() if "Biên lai" in m.text]) == 1
