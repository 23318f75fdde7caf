"""The dossiers' small center (motcua/dossiers/tests/conftest.py), its citizen linked to a person."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.core import roles
from motcua.dossiers.tests.conftest import KNOWN_ID, PDF, World, _media, png_bytes, world  # noqa: F401
from motcua.org.models import Person

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
