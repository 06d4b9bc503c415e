"""Other systems' codes and passwords and current students' campus services
are out of scope; a candidate's own question about the same words is not."""

import pytest

from guide.triage import knowledge
from guide.triage.engine import analyse, suggest_with


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
        # a company's own WeCom
        "My company WeCom admin removed me from the org",
        "My employer also uses WeCom and I can't log in to it since I changed phones",
        # a current student's service, beside a sentence of who they are
        "My student mailbox keeps saying wrong password. I'm a sophomore.",
        "学生邮箱打不开了。我是在读本科生",
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


@pytest.mark.parametrize(
    "text",
    [
        "重庆大学的统一身份认证怎么激活，那边我也进了复试",
        "川大的企业微信怎么激活",
        "西南交通大学的统一认证密码忘了",
        "Sichuan University's unified identity account, how do I activate it?",
        "研究生院的公众号推送太多了，怎么取关",
        "图书馆的小程序登不上",
        "我想把微信号（就是那个ID）改一下，能改吗",
        # the candidate's own undergraduate school, by that name or in brackets
        "本科学校的统一身份认证密码找不回来了",
        "本科院校（西南交大）的统一认证激活不了",
        "My undergraduate university's unified identity account is locked",
    ],
)
def test_another_owners_account_is_out_of_scope(kb, text):
    # our account words owned by another university or office, or WeChat's
    # own ID: the sentence is about another system, for the rules
    # (other/manual without a model) and for the model (its "@" concepts)
    analysis = analyse(text, kb)
    assert not {"统一认证", "企业微信", "企业号", "微信账号"} & analysis.tags
    assert suggest_with(text, kb.without_learning()).category == "other"
    assert (suggest_with(text, kb).category, suggest_with(text, kb).route) == ("other", "manual")


@pytest.mark.parametrize(
    "text, category",
    [
        ("我本科是川大的，现在统一身份认证密码忘了", "ids_password"),
        ("电子科技大学的统一身份认证怎么激活", "ids_activate"),
        ("关注电子科技大学的企业号后没收到验证消息", "verify_msg"),
        ("我不是本校学生，是外校考过来的，企业微信怎么激活", "wecom_activate"),
    ],
)
def test_another_school_named_apart_from_our_account_stays_in_scope(kb, text, category):
    # an owner that does not qualify the account word ("我本科是川大的，...")
    # nor our own university's name is no other system
    assert not any(tag.startswith("@") for tag in analyse(text, kb).tags)
    assert suggest_with(text, kb).category == category


def test_an_account_of_ours_beside_another_owners_keeps_the_sentence(kb):
    analysis = analyse("川大的企业微信和电子科大的企业微信能同时用吗", kb)
    assert "企业微信" in analysis.tags


@pytest.mark.parametrize(
    "text, category",
    [
        ("三星手机微信一直闪退，和你们无关吧，随便问问", "other"),
        ("我的小米手机系统更新后微信打不开", "other"),
        # WeChat failing to open our account is ours
        ("鸿蒙next手机，微信打不开企业号", "harmonyos"),
    ],
)
def test_the_wechat_app_itself_failing_is_another_system(kb, text, category):
    assert suggest_with(text, kb.without_learning()).category == category
    assert suggest_with(text, kb).category == category


@pytest.mark.parametrize(
    "text",
    [
        "微信支付老是提示风险，付不了款",
        "As a current student here, my WeChat Pay keeps failing at the canteen",
        "I forgot the service password of my phone carrier",
    ],
)
def test_wechat_pay_and_a_carriers_service_password_are_other_systems(kb, text):
    # "my wechat pay": WeChat Pay is found where a longer word starts first
    assert suggest_with(text, kb.without_learning()).category == "other"
    result = suggest_with(text, kb)
    assert (result.category, result.route) == ("other", "manual")


def test_a_banned_wechat_to_rebind_stays_in_scope(kb):
    # a WeChat account Tencent banned is the usual reason to rebind WeCom
    assert suggest_with("微信号被封了，企业微信要换绑到新的微信号", kb).category == "wechat_change"


def test_my_company_alone_is_wechats_list_where_our_entry_is(kb):
    text = "In WeChat Contacts under My Company I can't find the university, is it activated?"
    assert "外部系统" not in analyse(text, kb).tags
    assert suggest_with(text, kb).category != "other"


@pytest.mark.parametrize(
    "text, category",
    [
        # which number to enter is sms_code's question, wherever the number was given
        ("第三步验证码一直收不到，我填的是研招网报名时的手机号", "sms_code"),
        ("The code never arrives; I entered the phone number I used on CHSI", "sms_code"),
        # a number bound to the other system is that system's
        ("学信网绑定的手机号换了，收不到验证码", "other"),
        ("研招网绑定的手机号换了，在哪里改", "other"),
    ],
)
def test_a_number_named_by_where_it_was_given_is_no_other_system(kb, text, category):
    assert suggest_with(text, kb).category == category
    assert suggest_with(text, kb.without_learning()).category == category


def test_another_schools_account_referred_to_after_its_name_is_that_schools(kb):
    result = suggest_with("我是四川大学的研究生，他们的统一身份认证也是这样激活吗", kb)
    assert (result.category, result.route) == ("other", "manual")
    # our own account after the candidate's old school is still ours
    assert suggest_with("我本科是西南交大的，企业微信怎么激活", kb).category == "wecom_activate"


def test_the_campus_vpn_is_a_campus_service(kb):
    # a candidate's question about it is campus_access, a current student's is none of ours
    assert suggest_with("考生的账号可以连学校的VPN查资料吗", kb).category == "campus_access"
    assert "校园服务" in {tag for tag, _s, _e in analyse("学校VPN连不上", kb).scoped}
