"""The admin's answer history records real changes only (issue 11, item 10)."""

import pytest
from django.urls import reverse

from guide.models import FaqCategory

FIELDS = [
    "title",
    "title_en",
    "symptoms",
    "answer",
    "default_route",
    "other_route",
    "other_route_condition",
    "other_route_answer",
    "keywords",
    "example_phrasings",
]


def posted(category, **changes):
    """The change form as a browser posts it: textarea line breaks as CRLF."""
    data = {name: getattr(category, name).replace("\n", "\r\n") for name in FIELDS}
    data["steps"] = [s.pk for s in category.steps.all()]
    data.update(changes, _save="1")
    return data


@pytest.mark.django_db
def test_saving_unchanged_text_records_no_change(client, admin):
    category = FaqCategory.objects.get(code="ids_activate")
    category.answer = "第一行\n第二行"
    category.save()
    before = category.history.count()
    client.force_login(admin)
    url = reverse("admin:guide_faqcategory_change", args=[category.pk])
    response = client.post(url, posted(category))
    assert response.status_code == 302
    assert category.history.count() == before
    assert FaqCategory.objects.get(pk=category.pk).answer == "第一行\n第二行"


@pytest.mark.django_db
def test_a_real_edit_is_recorded_with_a_reason_and_no_none(client, admin):
    category = FaqCategory.objects.get(code="ids_activate")
    client.force_login(admin)
    url = reverse("admin:guide_faqcategory_change", args=[category.pk])
    client.post(url, posted(category, answer="新的答复\r\n第二行"))
    latest = category.history.first()
    assert latest.answer == "新的答复\n第二行" and latest.history_change_reason
    html = client.get(reverse("admin:guide_faqcategory_history", args=[category.pk])).content
    reasons = html.decode().split('id="change-history"')[1]
    assert "None" not in reasons
