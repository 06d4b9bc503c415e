"""Other systems' codes and passwords and current students' campus services
are out of scope; a candidate's own question about the same words is not."""

import pytest

from guide.triage import knowledge
from guide.triage.engine import suggest_with


@pytest.fixture(scope="module")
def kb():
    return knowledge.from_files()


@pytest.mark.parametrize(
    "text",
    [
        "12306登录密码重置不了",
        "银行卡验证码一直收不到，是不是你们学校系统问题",
        "学信网的手机验证码收不到",
        "支付宝实名认证提示身份信息不一致",
        "我们公司的企业微信想和贵校对接，找谁",
        "我是本校在校生，宿舍的校园网连不上",
    ],
)
def test_out_of_scope_look_alikes_abstain(kb, text):
    result = suggest_with(text, kb)
    assert (result.category, result.route) == ("other", "manual")


@pytest.mark.parametrize(
    "text, category",
    [
        ("企业微信第三步的验证码一直收不到", "sms_code"),
        ("统一身份认证密码忘了怎么找回", "ids_password"),
        ("考生账号能登录校园网吗", "campus_access"),
    ],
)
def test_the_same_words_about_our_systems_stay_in_scope(kb, text, category):
    assert suggest_with(text, kb).category == category


@pytest.mark.parametrize(
    "text, category",
    [
        ("ji huo wan le hai mei jin qun", "group_wait"),
        ("yan zheng ma shou bu dao", "sms_code"),
        ("zen me ji huo tong yi shen fen ren zheng zhang hao", "ids_activate"),
    ],
)
def test_toneless_pinyin_is_read(kb, text, category):
    assert suggest_with(text, kb).category == category
