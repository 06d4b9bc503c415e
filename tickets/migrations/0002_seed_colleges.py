from django.db import migrations


def seed(apps, schema_editor):
    from tickets.colleges import COLLEGES

    College = apps.get_model("tickets", "College")
    for code, name, name_en in COLLEGES:
        College.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
