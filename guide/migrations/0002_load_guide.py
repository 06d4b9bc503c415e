from django.db import migrations
from django.utils import timezone


def load(apps, schema_editor):
    from guide.loading import load_guide

    FaqCategory = apps.get_model("guide", "FaqCategory")
    load_guide(
        apps.get_model("guide", "GuideSection"),
        apps.get_model("guide", "GuideStep"),
        FaqCategory,
        overwrite_answers=False,
    )
    # Historical models send no signals, so write the first history entry of
    # each answer here: later admin edits then show a before and an after.
    History = apps.get_model("guide", "HistoricalFaqCategory")
    tracked = [f.attname for f in History._meta.fields if not f.name.startswith("history_")]
    now = timezone.now()
    for category in FaqCategory.objects.all():
        History.objects.create(
            **{name: getattr(category, name) for name in tracked},
            history_date=now, history_type="+", history_change_reason="loaded from the activation guide",
        )


class Migration(migrations.Migration):
    dependencies = [("guide", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
