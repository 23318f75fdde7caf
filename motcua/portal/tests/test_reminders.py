"""Expiry reminders: once per paper and lead time, the most urgent one after a gap, with the renewal link."""

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from motcua.catalog.models import Procedure
from motcua.core.models import OutboxMessage
from motcua.portal.models import ExpiryReminder, WalletDocument
from motcua.portal.services import reminders, wallet

from .conftest import pdf

EXPIRES = dt.date(2027, 3, 1)


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def before(days: int) -> dt.datetime:
    return at(EXPIRES - dt.timedelta(days=days))


@pytest.fixture
def licence(world, citizen):
    Procedure.objects.create(
        code="3.000347",
        name="Đổi giấy phép lái xe",
        field=world.land.field,
        level="province",
        agency=world.other_department,
        processing_days=Decimal(5),
    )
    return wallet.add_paper(
        citizen,
        wallet.PaperData(
            kind="driving_licence",
            title="GPLX hạng B",
            number="790123456789",
            issued_on=dt.date(2017, 3, 1),
            expires_on=EXPIRES,
        ),
        pdf(),
    )


def messages():
    return list(OutboxMessage.objects.filter(topic=reminders.TOPIC).order_by("id"))


@pytest.mark.django_db
def test_each_lead_time_is_reminded_once(licence, citizen):
    assert reminders.send_expiry_reminders(before(61)) == {"sent": 0, "already": 0}
    assert reminders.send_expiry_reminders(before(60)) == {"sent": 1, "already": 0}
    assert reminders.send_expiry_reminders(before(59)) == {"sent": 0, "already": 1}
    assert reminders.send_expiry_reminders(before(30))["sent"] == 1
    assert reminders.send_expiry_reminders(before(6))["sent"] == 1
    assert reminders.send_expiry_reminders(before(0))["sent"] == 0
    assert reminders.send_expiry_reminders(at(EXPIRES + dt.timedelta(days=1))) == {"sent": 0, "already": 0}
    sent = messages()
    assert [m.payload["lead_days"] for m in sent] == [60, 30, 7]
    payload = sent[-1].payload
    assert payload["user_id"] == citizen.pk and payload["document_id"] == licence.pk
    assert payload["expires_on"] == "2027-03-01" and payload["expires_on_display"] == "01/03/2027"
    assert payload["days_left"] == 6 and payload["renewal_procedure"] == "3.000347"
    assert payload["path"] == "/me/wallet/file/?procedure=3.000347"
    assert "790123456789" not in str(payload)


@pytest.mark.django_db
def test_after_a_gap_only_the_most_urgent_reminder_is_sent(licence):
    """The scheduler did not run for weeks (a long holiday): at 5 days only the 7-day reminder goes."""
    assert reminders.send_expiry_reminders(before(5))["sent"] == 1
    assert list(ExpiryReminder.objects.values_list("lead_days", flat=True)) == [7]


@pytest.mark.django_db
def test_a_renewed_paper_is_reminded_again(licence):
    reminders.send_expiry_reminders(before(7))
    WalletDocument.objects.filter(pk=licence.pk).update(expires_on=EXPIRES + dt.timedelta(days=3650))
    assert reminders.send_expiry_reminders(at(EXPIRES + dt.timedelta(days=3650 - 60)))["sent"] == 1


@pytest.mark.django_db
def test_lead_times_come_from_the_settings(licence, settings):
    settings.MOTCUA_WALLET_REMINDER_DAYS = [14]
    assert reminders.send_expiry_reminders(before(30))["sent"] == 0
    assert reminders.send_expiry_reminders(before(14))["sent"] == 1
    assert messages()[0].payload["lead_days"] == 14


@pytest.mark.django_db
def test_the_wallet_page_shows_what_expires_with_the_procedure_that_renews_it(client, licence, citizen):
    client.force_login(citizen)
    body = client.get("/me/wallet/").content.decode()
    assert "Giấy tờ sắp hết hạn" not in body  # years away
    WalletDocument.objects.filter(pk=licence.pk).update(
        expires_on=timezone.localdate() + dt.timedelta(days=20)
    )
    body = client.get("/me/wallet/").content.decode()
    assert "Giấy tờ sắp hết hạn" in body and "còn 20 ngày" in body
    assert "/me/wallet/file/?procedure=3.000347" in body and "Đổi giấy phép lái xe" in body


@pytest.mark.django_db(transaction=True)
def test_two_schedulers_at_once_write_one_reminder(licence):
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            barrier.wait()
            outcomes.append(reminders.send_expiry_reminders(before(30)))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o["sent"] for o in outcomes) == [0, 1]
    assert ExpiryReminder.objects.count() == 1 and len(messages()) == 1
