from pathlib import Path

import pytest
from django.conf import settings

from motcua.dossiers.tests.conftest import _media, world  # noqa: F401  (the dossier world, for status answers)


@pytest.fixture
def catalog(db):
    """The shipped organisation and catalog (data/): what the evaluation set is written against."""
    from motcua.catalog.services import import_catalog
    from motcua.org.services import load_org_data

    list(load_org_data(Path(settings.DATA_DIR)))
    import_catalog(Path(settings.DATA_DIR) / "catalog")


@pytest.fixture
def ask(client):
    """POST /api/assistant/ask as an anonymous JSON client (CSRF enforced, as a browser would be)."""
    from django.test import Client

    anonymous = Client(enforce_csrf_checks=True)

    def post(question, conversation=None, **extra):
        body = {"question": question}
        if conversation is not None:
            body["conversation"] = conversation
        return anonymous.post("/api/assistant/ask", body, content_type="application/json", **extra)

    return post
