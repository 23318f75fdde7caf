"""Notify takes over from the two SMS consumers (`citizen_sms`, `payer_sms`): its cursor starts where the
one behind had got to, so nothing pending is lost, and theirs are removed, so outbox pruning does not
wait for cursors nobody moves any more."""

from django.db import migrations

OLD = ("citizen_sms", "payer_sms")


def carry_sms_cursors(apps, schema_editor):
    cursor = apps.get_model("core", "ConsumerCursor")
    old = list(cursor.objects.using(schema_editor.connection.alias).filter(name__in=OLD).values_list("last_id",
                                                                                                   flat=True))
    if old and not cursor.objects.using(schema_editor.connection.alias).filter(name="notify").exists():
        cursor.objects.using(schema_editor.connection.alias).create(name="notify", last_id=min(old))
    cursor.objects.using(schema_editor.connection.alias).filter(name__in=OLD).delete()


class Migration(migrations.Migration):
    dependencies = [("notify", "0001_deliveries_and_preferences"), ("core", "0008_outbox_and_cursors"),
                    ("dossiers", "0007_carry_forward_from_audit")]

    operations = [migrations.RunPython(carry_sms_cursors, migrations.RunPython.noop)]
