"""An expiry reminder of the wallet reaches its owner through notify: SMS by default, with the renewal link."""

import datetime as dt

import pytest
from django.utils import timezone

from motcua.integrations.sms import set_sms
from motcua.integrations.sms.fake import OutboxSms
from motcua.notify import tasks
from motcua.notify.models import Delivery
from motcua.org.models import Person
from motcua.portal.models import WalletDocument
from motcua.portal.services.reminders import send_expiry_reminders

from .conftest import KNOWN_ID

pytestmark = pytest.mark.django_db
PHONE = "0912000333"


@pytest.fixture
def texts():
    OutboxSms.clear()
    set_sms(OutboxSms())
    yield OutboxSms
    set_sms(None)
    OutboxSms.clear()


def test_the_owner_is_texted_once_when_a_paper_nears_its_expiry(citizen, texts, settings):
    settings.MOTCUA_WALLET_REMINDER_DAYS = [30]
    person = Person.objects.get(national_id=KNOWN_ID)
    Person.objects.filter(pk=person.pk).update(phone=PHONE)
    now = timezone.now()
    WalletDocument.objects.create(person=person, kind="passport", title="Hộ chiếu phổ thông", number="C1234567",
                                  expires_on=timezone.localdate(now) + dt.timedelta(days=20), source="upload")
    send_expiry_reminders(now)
    tasks.deliver()
    [sms] = texts.messages(PHONE)
    expires = (timezone.localdate(now) + dt.timedelta(days=20)).strftime("%d/%m/%Y")
    assert sms.text.startswith(f"Hộ chiếu phổ thông (Hộ chiếu) của ông/bà hết hạn ngày {expires} (còn 20 ngày).")
    assert "C1234567" not in sms.text  # the paper's number is never sent
    send_expiry_reminders(now)
    tasks.deliver()
    assert len(texts.messages(PHONE)) == 1
    assert Delivery.objects.filter(template="document_expiring", kind="reminder", channel="sms").count() == 1
    assert Delivery.objects.filter(template="document_expiring", channel="portal", user=citizen).exists()
