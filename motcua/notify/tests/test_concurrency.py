"""Two workers at the same moment on PostgreSQL: every message sent once, planned once, fallen back once.
`DATABASE_URL=postgres://… pytest -m postgres motcua/notify`."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from motcua.integrations.sms import set_sms
from motcua.integrations.sms.fake import OutboxSms
from motcua.notify import services
from motcua.notify.models import Channel, Delivery, Status
from motcua.notify.services.sending import fall_back_to_sms

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://…)")


class CountingSms(OutboxSms):
    """The fake gateway, a little slow, so that two workers overlap."""

    def send(self, phone, text):
        threading.Event().wait(0.01)
        return super().send(phone, text)


def delivery(i: int, channel=Channel.SMS, **extra) -> Delivery:
    return Delivery.objects.create(
        dedupe_key=f"pg:{channel}:{i}", event_key=f"pg:{i}", topic="dossier.mark_ready", kind="dossier",
        template="dossier_ready", channel=channel, recipient=f"dossier:X{i}/applicant", address=f"09876543{i:02d}",
        object_type="dossier", object_id=f"X{i}", text=f"Hồ sơ X{i}.", next_attempt_at=timezone.now(), **extra)


def in_two_threads(work):
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait()
            results.append(work())
        except Exception as exc:  # pragma: no cover - shown in the assertion
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_two_workers_send_each_delivery_once():
    OutboxSms.clear()
    set_sms(CountingSms())
    try:
        for i in range(20):
            delivery(i)
        results = in_two_threads(services.send_due)
    finally:
        set_sms(None)
    phones = [m.phone for m in OutboxSms.messages()]
    assert sorted(phones) == sorted(f"09876543{i:02d}" for i in range(20))  # each once, none twice
    assert sum(r["sent"] for r in results) == 20
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}
    assert set(Delivery.objects.values_list("attempts", flat=True)) == {1}
    OutboxSms.clear()


def test_two_fallbacks_of_one_message_make_one_sms():
    zalo = delivery(1, Channel.ZALO, fallback_phone="0987654301")
    results = in_two_threads(lambda: fall_back_to_sms(Delivery.objects.get(pk=zalo.pk), timezone.now()))
    assert Delivery.objects.filter(channel=Channel.SMS, event_key=zalo.event_key).count() == 1
    assert sum(1 for r in results if r is not None) == 1


def test_two_planners_plan_each_event_once():
    from motcua.core import outbox
    from motcua.notify import sources

    calls = []

    def one_notice(message):
        calls.append(message.pk)
        return [sources.Notice(template="dossier_ready", params={"code": message.object_id},
                               recipient=f"dossier:{message.object_id}/applicant", object_type="dossier",
                               object_id=message.object_id, phone="0987654321")]

    original = sources.notices_for
    sources.notices_for = one_notice
    try:
        for i in range(15):
            outbox.emit("dossier.mark_ready", "dossier", f"D{i}", {"to_state": "ready"})
        results = in_two_threads(services.plan_from_outbox)
    finally:
        sources.notices_for = original
    assert Delivery.objects.count() == 15
    assert sum(r["done"] for r in results) == 15
