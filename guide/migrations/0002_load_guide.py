from django.db import migrations
from django.utils import timezone

from guide.migrations import _frozen_guide_v1 as frozen


def load_frozen_guide(GuideSection, GuideStep, FaqCategory):
    """A copy of guide.loading.load_guide (overwrite_answers=False) over the
    frozen data, so that later changes to the live code change nothing here."""
    steps_by_anchor = {}
    for order, (key, title, body, steps) in enumerate(frozen.SECTIONS, start=1):
        section, _ = GuideSection.objects.update_or_create(
            key=key, defaults={"title": title, "body": body, "order": order}
        )
        for number, anchor, step_title, text in steps:
            step, _ = GuideStep.objects.update_or_create(
                anchor=anchor,
                defaults={"section": section, "number": number, "title": step_title, "text": text},
            )
            steps_by_anchor[anchor] = step
    for (code, order, title, title_en, symptoms, anchors, answer, default_route,
         other_route, other_condition, other_answer) in frozen.CATEGORIES:
        fixed = {
            "order": order,
            "title": title,
            "title_en": title_en,
            "default_route": default_route,
            "other_route": other_route,
            "other_route_condition": other_condition,
        }
        editable = {
            "symptoms": symptoms,
            "answer": answer,
            "other_route_answer": other_answer,
            **frozen.KNOWLEDGE.get(code, {"keywords": "", "example_phrasings": ""}),
        }
        category = FaqCategory.objects.filter(code=code).first()
        if category is None:
            category = FaqCategory.objects.create(code=code, **fixed, **editable)
        else:
            for field, value in fixed.items():
                setattr(category, field, value)
            category.save()
        category.steps.set([steps_by_anchor[anchor] for anchor in anchors])


def load(apps, schema_editor):
    FaqCategory = apps.get_model("guide", "FaqCategory")
    load_frozen_guide(
        apps.get_model("guide", "GuideSection"), apps.get_model("guide", "GuideStep"), FaqCategory
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
