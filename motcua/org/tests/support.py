"""Helpers for tests that load the real data files once per module and compare whole tables."""

from contextlib import contextmanager

from django.apps import apps
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError


def _models():
    return [m for m in apps.get_models(include_auto_created=True) if m._meta.managed]


def dump_tables(*app_labels: str) -> dict[str, list[dict]]:
    """Every row of every table of the given apps (many-to-many tables included), in primary-key order."""
    return {m._meta.db_table: list(m._base_manager.order_by("pk").values())
            for m in _models() if m._meta.app_label in app_labels}


def _delete_new_rows(before: dict) -> None:
    from motcua.core.tests.support import audit_table_writable
    from motcua.org.models import AdministrativeUnit

    AdministrativeUnit.objects.exclude(pk__in=before[AdministrativeUnit]).update(parent=None)
    for _attempt in range(10):
        left = False
        for model, pks in before.items():
            rows = model._base_manager.exclude(pk__in=pks)
            if not rows.exists():
                continue
            try:
                # The audit table is append-only on PostgreSQL; tests alone may lift that.
                with audit_table_writable():
                    rows.delete()
            except (ProtectedError, RestrictedError, IntegrityError):
                left = True
        if not left:
            return
    raise AssertionError("rows created by a module fixture could not be removed")


@contextmanager
def rows_kept_for_module(django_db_blocker):
    """Rows written inside the block stay for the module's tests and are deleted at its end."""
    with django_db_blocker.unblock():
        before = {m: set(m._base_manager.values_list("pk", flat=True)) for m in _models()}
    try:
        yield
    finally:
        with django_db_blocker.unblock():
            _delete_new_rows(before)
