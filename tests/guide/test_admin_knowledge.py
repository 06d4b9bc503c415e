"""The admin edits a category's matching knowledge as local overrides of the
shipped guide/knowledge files: shown side by side with the shipped value and
the tags a rule may use, validated like start-up, and an override can be
dropped so the field follows shipped updates again (issue 10, item 1)."""

import re

import pytest
from django.urls import reverse

from guide import knowledge_store
from guide.models import FaqCategory
from guide.triage import files

CODE = "ids_activate"
FIELDS = [
    "title",
    "title_en",
    "symptoms",
    "answer",
    "default_route",
    "other_route",
    "other_route_condition",
    "other_route_answer",
]

pytestmark = pytest.mark.django_db


def shipped(name):
    spec = files.SHIPPED.categories[CODE]
    return "\n".join(spec.rules if name == "keywords" else spec.phrasings)


def post(client, category, **changes):
    """The change form as a browser posts it (CRLF line ends), with the
    knowledge fields as the form shows them unless changed."""
    form = client.get(url(category)).context["adminform"].form
    data = {name: getattr(category, name).replace("\n", "\r\n") for name in FIELDS}
    for name in ("keywords", "example_phrasings"):
        data[name] = form[name].value().replace("\n", "\r\n")
    data["steps"] = [s.pk for s in category.steps.all()]
    data.update(changes, _save="1")
    return client.post(url(category), data)


def url(category):
    return reverse("admin:guide_faqcategory_change", args=[category.pk])


def rules_in_force(code=CODE):
    return knowledge_store.load().categories[code].rules


@pytest.fixture
def category(client, admin):
    client.force_login(admin)
    return FaqCategory.objects.get(code=CODE)


def test_the_change_page_shows_shipped_and_local_side_by_side(client, category):
    local = shipped("keywords") + "\n统一认证 + 范围外 *2"
    assert post(client, category, keywords=local).status_code == 302
    page = client.get(url(category)).content.decode()
    blocks = re.findall(r'<pre class="shipped-knowledge">(.*?)</pre>', page, re.S)
    first_rule = files.SHIPPED.categories[CODE].rules[0]
    assert len(blocks) == 2 and first_rule.replace('"', "&quot;") in blocks[0]
    assert "范围外 *2" not in blocks[0]  # the shipped column is the files' value
    textarea = re.search(r'<textarea name="keywords".*?>(.*?)</textarea>', page, re.S)
    assert "统一认证 + 范围外 *2" in textarea.group(1)  # the local one is edited
    assert "关键词：本地覆盖（不再跟随发布版本）" in page
    assert "示例问法：跟随发布版本" in page
    assert 'name="follow_shipped_keywords"' in page
    assert 'name="follow_shipped_example_phrasings"' not in page
    # the tags a rule may use, from the lexicon
    tags = re.search(r'<div class="lexicon-tags">(.*?)</div>', page, re.S).group(1)
    assert set(re.findall(r"<code[^>]*>(.*?)</code>", tags)) == files.SHIPPED.tags


def test_an_edited_field_is_local_and_an_untouched_one_follows_shipped(client, category):
    FaqCategory.objects.filter(pk=category.pk).update(example_phrasings="旧的问法")  # stale copy
    category.refresh_from_db()
    form = client.get(url(category)).context["adminform"].form
    assert form["example_phrasings"].value() == shipped("example_phrasings")  # the value in force

    post(client, category, keywords="统一认证 + 范围外 *2")
    category.refresh_from_db()
    assert category.local_fields == ["keywords"]
    assert category.example_phrasings == "旧的问法"  # shown as shipped, left as it was
    assert [r.required for r in rules_in_force()] == [("统一认证", "范围外")]
    assert category.history.first().history_user is not None


def test_dropping_an_override_follows_shipped_updates_again(client, category, monkeypatch):
    post(client, category, keywords="统一认证 + 范围外 *2")
    assert post(client, category, follow_shipped_keywords="on").status_code == 302
    category.refresh_from_db()
    assert category.local_fields == [] and category.keywords == shipped("keywords")
    assert "关键词：跟随发布版本" in client.get(url(category)).content.decode()

    # a later release ships another rule: the category follows it
    spec = files.SHIPPED.categories[CODE]
    monkeypatch.setattr(spec, "rules", [*spec.rules, "统一认证 + 范围外 *3"])
    assert ("统一认证", "范围外") in [r.required for r in rules_in_force()]


@pytest.mark.parametrize(
    "line, term, reason",
    [
        ("统一认证 + 不存在的词", "不存在的词", "未知标签"),
        ("统一认证 + 激活 *很多", "很多", "权重不是数字"),
        ("统一认证 + 激活 *50", "50", "权重须大于 0 且不超过 20.0"),
        ("统一认证 + + 激活", "统一认证 + + 激活", "有空的词"),
        ("!统一认证", "!统一认证", "规则至少要有一个必须出现的词"),
    ],
)
def test_the_start_up_validator_refuses_a_bad_rule_in_the_form(
    client, category, line, term, reason
):
    before = (category.keywords, category.local_fields, category.history.count())
    response = post(client, category, keywords=f"统一认证 + 激活 *2\r\n{line}")
    assert response.status_code == 200
    (error,) = response.context["adminform"].form.errors["keywords"]
    assert error.startswith("第 2 行：") and reason in error and f"“{term}”" in error
    category.refresh_from_db()
    assert (category.keywords, category.local_fields, category.history.count()) == before


def test_follow_shipped_replaces_an_invalid_local_value(client, category):
    post(client, category, keywords="统一认证 + 范围外 *2")
    response = post(
        client, category, keywords="统一认证 + 不存在的词", follow_shipped_keywords="on"
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.keywords == shipped("keywords") and category.local_fields == []


def test_the_list_says_which_fields_are_local(client, category):
    post(client, category, keywords="统一认证 + 范围外 *2")
    page = client.get(reverse("admin:guide_faqcategory_changelist")).content.decode()
    assert page.count('<td class="field-overrides">关键词</td>') == 1


def test_the_migration_keeps_what_the_history_said_was_local(admin):
    """Before the explicit column a field was local when a person's history
    entry changed it; migration 0009 carries that over once."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module("guide.migrations.0009_faqcategory_local_fields")
    edited = FaqCategory.objects.get(code=CODE)
    edited.example_phrasings += "\n一句新的问法"
    edited._history_user = admin
    edited.save()
    untouched = FaqCategory.objects.get(code="unfollow")
    untouched.keywords = "范围外 *8"
    untouched.save()  # no person: a load, not an override
    migration.record_local_overrides(apps, None)
    local = dict(FaqCategory.objects.values_list("code", "local_fields"))
    assert local[CODE] == ["example_phrasings"] and local["unfollow"] == []
