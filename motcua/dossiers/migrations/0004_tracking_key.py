from django.db import migrations, models

import motcua.core.codes


def give_each_dossier_its_own_key(apps, schema_editor):
    # AddField evaluates the default once: every existing row would share one key.
    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.only("pk").iterator():
        Dossier.objects.filter(pk=dossier.pk).update(tracking_key=motcua.core.codes.new_tracking_key())


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_step_reassigned"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="tracking_key",
            field=models.CharField(
                default=motcua.core.codes.new_tracking_key, editable=False, max_length=16, verbose_name="mã tra cứu"
            ),
        ),
        migrations.RunPython(give_each_dossier_its_own_key, migrations.RunPython.noop),
    ]
