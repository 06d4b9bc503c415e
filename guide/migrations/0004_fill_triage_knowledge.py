"""Fills the triage keywords and example phrasings of categories loaded before
the engine's knowledge existed; knowledge already edited in the admin stays."""

from django.db import migrations


def fill(apps, schema_editor):
    from guide import content

    FaqCategory = apps.get_model("guide", "FaqCategory")
    for category in FaqCategory.objects.all():
        knowledge = content.KNOWLEDGE.get(category.code)
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
