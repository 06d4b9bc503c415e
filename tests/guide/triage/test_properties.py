"""Any text at all yields a valid suggestion and never an exception."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from guide.categories import CATEGORY_CODES
from guide.models import Route
from guide.triage import Suggestion, suggest


def assert_valid(result):
    assert isinstance(result, Suggestion)
    assert result.category in CATEGORY_CODES
    assert result.route in Route.values
    assert 0.0 <= result.confidence <= 1.0
    assert all(code in CATEGORY_CODES and code != result.category for code in result.also)
    assert all(isinstance(phrase, str) and phrase for phrase in result.evidence)
    assert (result.category == "other") == (result.route == "manual")


pieces = st.sampled_from(
    [
        "验证码",
        "企微",
        "qywx",
        "鸿蒙",
        "群",
        "密码",
        "忘了",
        "注销",
        "已经收到验证码了",
        "还有",
        "。",
        "？",
        "！",
        "\n",
        "😂",
        "\x00",
        "\u200b",
        "Ａ",
        "code",
        "登录过",
    ]
)
texts = st.one_of(
    st.text(),
    st.lists(st.one_of(pieces, st.text(max_size=5)), max_size=30).map("".join),
    st.text(alphabet=st.characters(categories=["P", "S", "Z", "Cc", "Cf"]), max_size=200),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_yields_a_valid_result(text):
    assert_valid(suggest(text))


@pytest.mark.parametrize(
    "text",
    [
        "",
        "验证码收不到" * 200_000,  # 1.2 MB
        "😂🙏🤔" * 1000,
        "\x00\x01\x02\x1b[31m\x7f",
        "？！。，、；：……——" * 50,
        "企业微信 WeCom 企微 кириллица العربية 한국어 にほんご",
        None,
        12345,
    ],
)
def test_awkward_inputs_yield_a_valid_result(text):
    assert_valid(suggest(text))
