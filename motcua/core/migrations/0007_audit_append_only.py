"""On PostgreSQL, the audit table refuses UPDATE and DELETE: a row-level trigger raises on each.

TRUNCATE is not a row event and stays possible (the test suite's flush uses it; removing the tail that
way is what the checkpoints detect). Dropping the trigger needs the table's owner: the application's
role should not own the table in production (see docs/security.md). SQLite: nothing to do.
"""

from django.db import migrations

FUNCTION = "core_auditentry_refuse_change"
TRIGGER = "core_auditentry_append_only"

CREATE = f"""
CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'core_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON core_auditentry
    FOR EACH ROW EXECUTE FUNCTION {FUNCTION}();
"""
DROP = f"""
DROP TRIGGER IF EXISTS {TRIGGER} ON core_auditentry;
DROP FUNCTION IF EXISTS {FUNCTION}();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_audit_keyed_chain"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger, elidable=False),
    ]
