"""Brings the triage keywords and example phrasings that no person has edited
in the admin up to the version shipped in guide.content at the time (frozen copy; the engine already
uses the shipped version for those; this keeps the admin showing it)."""

from django.db import migrations

from guide.migrations import _frozen_guide_v1 as frozen


def refresh(apps, schema_editor):
    FaqCategory = apps.get_model("guide", "FaqCategory")
    History = apps.get_model("guide", "HistoricalFaqCategory")
    edited = set(History.objects.filter(history_user__isnull=False).values_list("code", flat=True))
    for category in FaqCategory.objects.exclude(code__in=edited):
        shipped = frozen.KNOWLEDGE.get(category.code)
        if shipped:
            category.keywords = shipped["keywords"]
            category.example_phrasings = shipped["example_phrasings"]
            category.save(update_fields=["keywords", "example_phrasings"])


class Migration(migrations.Migration):
    dependencies = [("guide", "0004_fill_triage_knowledge")]
    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
