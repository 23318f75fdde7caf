import pytest

from motcua.dossiers.tests.conftest import _media, pdf, world  # noqa: F401 (fixtures)
from motcua.integrations.sms import set_sms
from motcua.integrations.sms.fake import OutboxSms
from motcua.integrations.zalo import set_zns
from motcua.integrations.zalo.fake import OutboxZalo
from motcua.payments.tests.conftest import fee_officer, fees  # noqa: F401 (fixtures)


@pytest.fixture
def texts():
    """The fake SMS gateway, empty."""
    OutboxSms.clear()
    set_sms(OutboxSms())
    yield OutboxSms
    set_sms(None)
    OutboxSms.clear()


@pytest.fixture
def zns():
    """The fake Zalo ZNS, empty."""
    OutboxZalo.clear()
    set_zns(OutboxZalo())
    yield OutboxZalo
    set_zns(None)
    OutboxZalo.clear()
