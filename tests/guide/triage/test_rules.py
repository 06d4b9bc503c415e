import pytest

from guide.triage.knowledge import from_files
from guide.triage.rules import route_for

CATEGORIES = from_files().categories


@pytest.mark.parametrize(
    "category, tags, route",
    [
        ("ids_activate", {"统一认证", "信息不符"}, "escalate"),
        ("ids_activate", {"统一认证"}, "guide_answer"),
        ("ids_password", {"丢失", "邮箱不可用"}, "escalate"),
        ("ids_password", {"丢失", "邮箱不可用", "邮箱可用"}, "guide_answer"),
        ("ids_password", {"丢失"}, "guide_answer"),
        ("sms_code", {"确认无误", "重试"}, "escalate"),
        ("sms_code", {"重试"}, "guide_answer"),
        ("phone_change", {"丢失", "登录过"}, "escalate"),
        ("phone_change", {"丢失", "从未登录"}, "guide_answer"),
        ("group_wait", {"等很久"}, "refer_college"),
        ("group_wait", {"同伴", "已进群"}, "refer_college"),
        ("group_wait", {"临近"}, "refer_college"),
        ("group_wait", {"临近", "不急"}, "guide_answer"),
        ("harmonyos", {"丢失", "等很久"}, "guide_answer"),
        ("other", {"信息不符"}, "manual"),
    ],
)
def test_route_conditions_of_the_categories(category, tags, route):
    assert route_for(CATEGORIES.get(category), tags)[0] == route


def test_already_activated_for_someone_who_never_activated_is_a_rejection():
    assert route_for(CATEGORIES["ids_activate"], {"已激活", "没激活过"})[0] == "escalate"
    assert route_for(CATEGORIES["ids_activate"], {"已激活"})[0] == "guide_answer"
