import pytest
from django.conf import settings

from motcua.org.services import load_org_data

from .support import rows_kept_for_module


@pytest.fixture(scope="module")
def org_data(django_db_setup, django_db_blocker):
    """The real data/ files (units, agencies, center) loaded once for the whole module."""
    with rows_kept_for_module(django_db_blocker):
        with django_db_blocker.unblock():
            reports = load_org_data(settings.DATA_DIR)
        yield reports
