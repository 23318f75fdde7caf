"""Test support for the audit log: what a test may do that the application never does."""

from contextlib import contextmanager

from django.db import connection, transaction

APPEND_ONLY_TRIGGER = "core_auditentry_append_only"  # migration core 0007


@contextmanager
def audit_table_writable():
    """Lift the append-only trigger (PostgreSQL) for the block, in one transaction that restores it.

    For tests that remove the rows a module-wide fixture wrote; on SQLite there is nothing to lift.
    """
    postgres = connection.vendor == "postgresql"
    with transaction.atomic():
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE core_auditentry DISABLE TRIGGER {APPEND_ONLY_TRIGGER}")
        yield
        if postgres:
            with connection.cursor() as cursor:
                cursor.execute(f"ALTER TABLE core_auditentry ENABLE TRIGGER {APPEND_ONLY_TRIGGER}")
