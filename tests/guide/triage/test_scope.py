"""Route conditions count only for what the writer asserts now."""

import pytest

from guide.triage import knowledge, scope
from guide.triage.engine import Thresholds, suggest_with


@pytest.fixture(scope="module")
def kb():
    return knowledge.from_files().without_learning()  # the rules and their scope alone


def route(kb, text):
    result = suggest_with(text, kb)
    return result.category, result.route


@pytest.mark.parametrize(
    "text, expected",
    [
        # negated
        ("企业微信从没登录过，手机号没有丢，想换个新号码", ("phone_change", "guide_answer")),
        # resolved
        (
            "激活时提示信息不符，后来又好了，现在想问绑定邮箱怎么填",
            ("ids_activate", "guide_answer"),
        ),
        # hypothetical / fear
        ("怕激活时提示信息不符，先问一下激活要填什么", ("ids_activate", "guide_answer")),
        ("万一以后手机号丢了，企业微信要怎么换号？", ("phone_change", "guide_answer")),
        # third person is the candidate
        ("孩子激活统一认证时提示信息不符", ("ids_activate", "escalate")),
        ("考生来电：激活统一身份认证提示证件号码已被使用", ("ids_activate", "escalate")),
    ],
)
def test_condition_scope(kb, text, expected):
    assert route(kb, text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("激活十来天了还没进群", "refer_college"),
        ("激活两个礼拜了还没群", "refer_college"),
        ("企業微信啟動兩週了還沒進群", "refer_college"),
        ("I activated WeCom 10 days ago and still no group chat", "refer_college"),
        ("企业微信激活三天了还没进群", "guide_answer"),
        ("面试在下个月中旬，企业微信激活了群还没建", "guide_answer"),
        ("后天就复试了，企业微信激活了还没进群", "refer_college"),
    ],
)
def test_durations_against_the_thresholds(kb, text, expected):
    assert route(kb, text) == ("group_wait", expected)


def test_the_thresholds_are_the_knowledges(kb, monkeypatch):
    text = "企业微信激活三天了还没进群"
    monkeypatch.setattr(kb, "thresholds", Thresholds(waited_long_days=3.0))
    assert route(kb, text) == ("group_wait", "refer_college")
    text = "还有三天就复试了，企业微信激活了还没进群"
    assert route(kb, text) == ("group_wait", "guide_answer")
    monkeypatch.setattr(kb, "thresholds", Thresholds(deadline_near_days=3.0))
    assert route(kb, text) == ("group_wait", "refer_college")


@pytest.mark.parametrize(
    "text, days",
    [
        ("十来天", 11.0),
        ("两个礼拜", 14.0),
        ("二十天", 20.0),
        ("半个月", 15.0),
        ("two weeks", 14.0),
        ("3 days", 3.0),
        ("一个多星期", 7.7),
    ],
)
def test_durations_are_parsed(text, days):
    (found,) = scope.durations(text)
    assert found[0] == pytest.approx(days)
