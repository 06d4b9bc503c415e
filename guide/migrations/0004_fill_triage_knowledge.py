"""Fills the triage keywords and example phrasings of categories loaded before
the engine's knowledge existed; knowledge already edited in the admin stays."""

from django.db import migrations

from guide.migrations import _frozen_guide_v1 as frozen


def fill(apps, schema_editor):
    FaqCategory = apps.get_model("guide", "FaqCategory")
    for category in FaqCategory.objects.all():
        knowledge = frozen.KNOWLEDGE.get(category.code)
        if not knowledge:
            continue
        changed = False
        for field in ("keywords", "example_phrasings"):
            if not getattr(category, field).strip():
                setattr(category, field, knowledge[field])
                changed = True
        if changed:
            category.save(update_fields=["keywords", "example_phrasings"])


class Migration(migrations.Migration):
    dependencies = [("guide", "0003_triage_labelled_examples")]
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
