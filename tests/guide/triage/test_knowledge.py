import pytest

from guide import knowledge_store
from guide.models import FaqCategory, LabelledExample
from guide.triage import files, knowledge, suggest


def test_keyword_lines_parse_into_rules():
    tags = files.SHIPPED.tags
    assert files.parse_rule("验证码 + 没收到 + !邮箱 *2.5", tags) == files.Rule(
        ("验证码", "没收到"), ("邮箱",), 2.5
    )
    assert files.parse_rule("鸿蒙", tags) == files.Rule(("鸿蒙",), (), 1.0)
    assert files.check_rules("# a comment\n\n鸿蒙", tags) == [files.Rule(("鸿蒙",), (), 1.0)]


def test_without_a_database_the_shipped_knowledge_is_used():
    # no django_db mark: the engine falls back to the shipped files
    assert suggest("统一认证密码忘了").category == "ids_password"


@pytest.mark.django_db
def test_a_correction_saved_by_another_process_is_picked_up(monkeypatch):
    text = "学院老师说群的事要找服务台，我一直没被拉进去"
    monkeypatch.setattr(knowledge, "RECHECK_SECONDS", 3600.0)
    knowledge.invalidate()
    before = suggest(text)
    LabelledExample.objects.create(
        text=text, category="other", route="manual"
    )  # as another process would
    assert suggest(text) == before  # within RECHECK_SECONDS the cached index stands
    knowledge.recheck()  # RECHECK_SECONDS later
    assert (suggest(text).category, suggest(text).route) == ("other", "manual")


@pytest.mark.django_db
def test_the_version_changes_with_every_knowledge_edit():
    first = knowledge_store.version()
    category = FaqCategory.objects.get(code="unfollow")
    category.keywords += "\n取消关注"
    category.save()
    second = knowledge_store.version()
    LabelledExample.objects.create(text="x", category="unfollow", route="guide_answer")
    third = knowledge_store.version()
    assert len({first, second, third}) == 3
