from django.db import migrations


def load(apps, schema_editor):
    from guide.loading import load_guide

    load_guide(
        apps.get_model("guide", "GuideSection"),
        apps.get_model("guide", "GuideStep"),
        apps.get_model("guide", "FaqCategory"),
        overwrite_answers=False,
    )


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
