"""Writes guide.content into the database; used by the data migration and by
`manage.py load_guide`. Model classes are passed in so the migration can use
its historical models."""

from guide import content
from guide.triage import files


def load_guide(GuideSection, GuideStep, FaqCategory, *, overwrite_answers: bool) -> None:
    """Upserts every section, step and category of the guide.

    With overwrite_answers=False a category that already exists keeps the
    answer text and matching knowledge that staff edited in the admin.
    """
    steps_by_anchor = {}
    for order, (key, title, body, steps) in enumerate(content.SECTIONS, start=1):
        section, _ = GuideSection.objects.update_or_create(
            key=key, defaults={"title": title, "body": body, "order": order}
        )
        for number, anchor, step_title, text in steps:
            step, _ = GuideStep.objects.update_or_create(
                anchor=anchor,
                defaults={"section": section, "number": number, "title": step_title, "text": text},
            )
            steps_by_anchor[anchor] = step

    for (
        code,
        order,
        title,
        title_en,
        symptoms,
        anchors,
        answer,
        default_route,
        other_route,
        other_condition,
        other_answer,
    ) in content.CATEGORIES:
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
            **shipped_knowledge(code),
            "local_fields": [],  # the shipped knowledge again: nothing overridden
        }
        category = FaqCategory.objects.filter(code=code).first()
        if category is None:
            category = FaqCategory.objects.create(code=code, **fixed, **editable)
        else:
            for field, value in {**fixed, **(editable if overwrite_answers else {})}.items():
                setattr(category, field, value)
            category.save()
        category.steps.set([steps_by_anchor[anchor] for anchor in anchors])


def shipped_knowledge(code: str) -> dict[str, str]:
    """The keyword rules and seed phrasings of guide/knowledge for the admin's fields."""
    spec = files.SHIPPED.categories.get(code)
    if spec is None:
        return {"keywords": "", "example_phrasings": ""}
    return {"keywords": "\n".join(spec.rules), "example_phrasings": "\n".join(spec.phrasings)}
