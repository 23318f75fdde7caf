"""The portal's tests reuse the dossiers' world (a center, branches, procedures, one officer per role)."""

import re

import pytest

from motcua.dossiers.tests.conftest import _media, world  # noqa: F401
from motcua.integrations.identity import fake
from motcua.integrations.identity.tests.support import DjangoClientAdapter, http_session
from motcua.integrations.sms.fake import OutboxSms
from motcua.portal.services import accounts


@pytest.fixture(autouse=True)
def _sms():
    OutboxSms.clear()
    yield
    OutboxSms.clear()


@pytest.fixture
def vneid(settings, tmp_path):
    """The fake provider on, its key in this test's directory, reached in-process by the relying party."""
    settings.MOTCUA_FAKE_VNEID = True
    settings.MOTCUA_VNEID_ISSUER = ""
    settings.VAR_DIR = tmp_path
    fake._key = None
    adapter = DjangoClientAdapter()
    accounts.use_http_session(http_session(adapter))
    yield adapter
    accounts.use_http_session(None)
    fake._key = None


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", OutboxSms.outbox[-1].text).group(1)
