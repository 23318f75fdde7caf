"""Sending: the channels a person chose (SMS as the fallback), backoff, giving up after N attempts, a
crashed send tried again, a channel that is down delaying no other, and no number in any log line."""

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from motcua.dossiers import services as dossiers
from motcua.integrations.sms import set_sms
from motcua.integrations.sms.fake import OutboxSms
from motcua.integrations.zalo import set_zns
from motcua.integrations.zalo.fake import OutboxZalo
from motcua.notify import services, tasks
from motcua.notify.models import Channel, Delivery, Preference, Status

from .conftest import pdf

pytestmark = pytest.mark.django_db

PHONE = "0987654321"
EMAIL = "binh.tran@example.vn"
NOW = timezone.make_aware(dt.datetime(2026, 12, 7, 9, 0))


def online_dossier(world, *, email=EMAIL):
    """A dossier the citizen filed from their account, then received: one event for the applicant."""
    sub = dossiers.Submission(procedure="1.004227", channel="online", branch="cn1", shown=[4],
                              applicant=dossiers.ApplicantData(kind="person", id_number="001190005678", name="B",
                                                               phone=PHONE, email=email))
    dossier = dossiers.submit_dossier(world.citizen, sub, {1: [pdf()], 2: [pdf()]})
    dossiers.receive_online(world.reception, dossier.code)
    return dossier


def queued(channel=Channel.SMS, address=PHONE, **extra) -> Delivery:
    fields = {"dedupe_key": f"test:{channel}:{Delivery.objects.count()}", "event_key": "test", "topic": "dossier.x",
              "kind": "dossier", "template": "dossier_ready", "channel": channel, "recipient": "dossier:X/applicant",
              "address": address, "object_type": "dossier", "object_id": "X", "subject": "S", "text": "Hồ sơ X.",
              "params": {"code": "X"}, "next_attempt_at": NOW, **extra}
    return Delivery.objects.create(**fields)


# --- which channels -------------------------------------------------------------------------------

def test_without_a_choice_the_applicant_gets_an_sms_and_the_account_its_inbox_copy(world, texts):
    online_dossier(world)
    tasks.deliver()
    assert sorted(Delivery.objects.values_list("channel", "status")) == [("portal", "delivered"), ("sms", "sent")]
    assert mail.outbox == []


def test_the_chosen_channels_are_used_and_english_where_the_person_chose_it(world, texts, zns, settings):
    settings.MOTCUA_ZALO_ZNS_TEMPLATES = {"dossier_received": "ZNS-RECEIVED-01"}
    services.set_preferences(world.citizen, {"dossier": ["zalo", "email"]}, "en")
    dossier = online_dossier(world)
    tasks.deliver()
    channels = dict(Delivery.objects.values_list("channel", "status"))
    assert channels == {"zalo": "sent", "email": "sent", "portal": "delivered"}
    assert texts.messages() == []  # no SMS: the person chose other channels that carry it
    [message] = mail.outbox
    assert message.to == [EMAIL] and message.subject == f"Dossier {dossier.code} has been received"
    assert message.extra_headers["Message-ID"] == Delivery.objects.get(channel="email").provider_message_id
    [zalo] = zns.template_messages(PHONE)
    assert zalo.phone == "84987654321" and zalo.template_id == "ZNS-RECEIVED-01"
    assert zalo.template_data["code"] == dossier.code and zalo.tracking_id.startswith("notify-")


def test_sms_is_the_fallback_when_no_chosen_channel_can_carry_the_message(world, texts, zns):
    services.set_preferences(world.citizen, {"dossier": ["zalo", "email"]}, "vi")  # no ZNS template, no e-mail
    online_dossier(world, email="")
    tasks.deliver()
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["portal", "sms"]
    assert len(texts.messages(PHONE)) == 1


def test_a_person_who_chose_no_outside_channel_gets_the_inbox_copy_only(world, texts):
    services.set_preferences(world.citizen, {"dossier": []}, "vi")
    online_dossier(world)
    tasks.deliver()
    assert list(Delivery.objects.values_list("channel", flat=True)) == ["portal"]
    assert texts.messages() == []


def test_preferences_refuse_unknown_kinds_channels_and_languages(world):
    from motcua.core.errors import ValidationFailed

    for channels, language, code in [({"nope": ["sms"]}, "vi", "kind_unknown"),
                                     ({"dossier": ["fax"]}, "vi", "channel_unknown"),
                                     ({"dossier": ["sms"]}, "xx", "language_unknown")]:
        with pytest.raises(ValidationFailed) as error:
            services.set_preferences(world.citizen, channels, language)
        assert error.value.code == code
    assert not Preference.objects.exists()


# --- retries --------------------------------------------------------------------------------------

def test_backoff_doubles_up_to_its_cap(settings):
    settings.MOTCUA_NOTIFY_RETRY_BASE_SECONDS = 60
    settings.MOTCUA_NOTIFY_RETRY_MAX_SECONDS = 600
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3, 4, 5, 6)] == [60, 120, 240, 480, 600, 600]


def test_failed_attempts_wait_longer_each_time_then_the_delivery_is_dead(texts, settings):
    settings.MOTCUA_NOTIFY_MAX_ATTEMPTS = 3
    set_sms(OutboxSms(failing=True))
    delivery = queued()
    moment, waits = NOW, []
    for _ in range(2):
        assert services.send_due(now=moment)["retry"] == 1
        delivery.refresh_from_db()
        waits.append((delivery.next_attempt_at - moment).total_seconds())
        assert services.send_due(now=delivery.next_attempt_at - dt.timedelta(seconds=1))["retry"] == 0  # not yet
        moment = delivery.next_attempt_at
    assert waits == [60, 120]
    assert services.send_due(now=moment)["dead"] == 1
    delivery.refresh_from_db()
    assert delivery.status == Status.DEAD and delivery.attempts == 3 and delivery.next_attempt_at is None
    assert "offline" in delivery.last_error
    assert services.send_due(now=moment + dt.timedelta(days=1)) == {"sent": 0, "retry": 0, "dead": 0, "waiting": 0,
                                                                   "elsewhere": 0}


def test_a_dead_zalo_message_falls_back_to_one_sms(texts, settings):
    settings.MOTCUA_NOTIFY_MAX_ATTEMPTS = 1
    settings.MOTCUA_ZALO_ZNS_TEMPLATES = {"dossier_ready": "ZNS-READY"}
    set_zns(OutboxZalo(failing=True))
    try:
        zalo = queued(Channel.ZALO, fallback_phone=PHONE)
        counts = services.send_due(now=NOW)
    finally:
        set_zns(None)
    assert counts["dead"] == 1
    sms = Delivery.objects.get(channel=Channel.SMS)
    assert sms.event_key == zalo.event_key and sms.address == PHONE and sms.text == zalo.text
    assert services.send_due(now=NOW)["sent"] == 1 and len(texts.messages(PHONE)) == 1


def test_a_send_that_crashed_is_tried_again_once_its_lease_runs_out(texts, settings):
    settings.MOTCUA_NOTIFY_LEASE_SECONDS = 300
    delivery = queued()
    Delivery.objects.filter(pk=delivery.pk).update(status=Status.SENDING, attempts=1,
                                                   next_attempt_at=NOW + dt.timedelta(seconds=300))
    assert services.send_due(now=NOW)["sent"] == 0  # maybe still being sent elsewhere
    assert services.send_due(now=NOW + dt.timedelta(seconds=300))["sent"] == 1
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT and delivery.attempts == 2


def test_a_channel_that_is_down_delays_no_other(texts):
    mail_delivery = queued(Channel.EMAIL, address=EMAIL)
    sms = [queued() for _ in range(3)]
    set_sms(OutboxSms(failing=True))
    counts = services.send_due(now=NOW)
    assert counts == {"sent": 1, "retry": 1, "dead": 0, "waiting": 2, "elsewhere": 0}  # one try, the rest wait
    mail_delivery.refresh_from_db()
    assert mail_delivery.status == Status.SENT and len(mail.outbox) == 1
    assert [Delivery.objects.get(pk=d.pk).attempts for d in sms] == [1, 0, 0]


def test_a_message_a_client_refuses_outright_is_retried_and_stops_no_other(texts):
    broken = queued(address="")  # the SMS client refuses an empty number (ValueError)
    fine = queued()
    counts = services.send_due(now=NOW)
    assert counts["sent"] == 1 and counts["retry"] == 1
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert broken.status == Status.QUEUED and broken.last_error == "error: ValueError" and fine.status == Status.SENT


def test_staff_requeue_dead_deliveries_with_the_command(texts):
    dead = queued(status=Status.DEAD, attempts=6)
    Delivery.objects.filter(pk=dead.pk).update(next_attempt_at=None)
    sent = queued(status=Status.SENT)
    call_command("notify_retry", "--send")
    dead.refresh_from_db()
    sent.refresh_from_db()
    assert dead.status == Status.SENT and dead.attempts == 1 and sent.attempts == 0
    assert len(texts.messages(PHONE)) == 1


def test_no_phone_number_or_e_mail_in_any_log_line(world, texts, caplog, settings):
    caplog.set_level(logging.DEBUG)
    settings.MOTCUA_NOTIFY_MAX_ATTEMPTS = 1
    services.set_preferences(world.citizen, {"dossier": ["sms", "email"]}, "vi")
    online_dossier(world)
    set_sms(OutboxSms(failing=True))
    tasks.deliver()
    set_sms(OutboxSms())
    Delivery.objects.filter(status=Status.DEAD).update(status=Status.QUEUED, next_attempt_at=NOW, attempts=0)
    tasks.deliver()
    lines = [record.getMessage() for record in caplog.records]
    assert any("delivery" in line for line in lines)
    for line in lines:
        assert PHONE not in line and PHONE[1:] not in line and EMAIL not in line, line


def test_the_admin_lists_deliveries_with_masked_addresses(client, world):
    queued()
    queued(Channel.EMAIL, address=EMAIL)
    world.admin.is_staff = world.admin.is_superuser = True
    world.admin.save()
    client.force_login(world.admin)
    page = client.get("/admin/notify/delivery/").content.decode()
    assert "*******321" in page and "*******an@example.vn" in page
    assert PHONE not in page and EMAIL not in page
