"""The dossiers' small center (motcua/dossiers/tests/conftest.py), its citizen linked to a person."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core import roles
from motcua.dossiers.tests.conftest import KNOWN_ID, PDF, World, _media, png_bytes, world  # noqa: F401
from motcua.integrations.identity import fake
from motcua.integrations.identity.tests.support import DjangoClientAdapter, http_session
from motcua.integrations.sms.fake import OutboxSms
from motcua.org.models import Person
from motcua.portal.services import accounts

OTHER_PERSON_ID = "001085002222"


def pdf(name="giay-to.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def citizen(world: World) -> User:
    """The world's citizen account, linked to the person the registry knows (KNOWN_ID)."""
    Person.objects.filter(national_id=KNOWN_ID).update(user=world.citizen)
    return world.citizen


@pytest.fixture
def other_citizen(world: World) -> User:
    user = User.objects.create_user("citizen2", password="pw-citizen2")
    user.groups.add(roles.sync_roles()[roles.CITIZEN])
    Person.objects.create(
        national_id=OTHER_PERSON_ID,
        full_name="Lê Thị Cúc",
        birth_date=dt.date(1985, 3, 2),
        gender="female",
        user=user,
    )
    return user



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
