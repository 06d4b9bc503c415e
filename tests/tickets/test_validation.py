"""The rules for a new ticket's own fields, shared by the intake form/API and the bulk import."""

import pytest

from guide.triage import Suggestion
from tickets import validation

GOOD = {
    "text": "企业微信收不到验证码",
    "channel": "qq",
    "candidate_number": "106147000000001",
    "candidate_name": "张三",
    "contact_phone": "138-1234-5678",
    "contact_email": "cand@example.com",
    "contact_wechat": "wx_cand",
}


def test_good_values_have_no_errors():
    assert validation.field_errors(GOOD) == {}


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("text", "", "考生原话为空"),
        ("text", "验" * 5001, "过长"),
        ("channel", "fax", "未知渠道"),
        ("candidate_number", "10614700000000", "考生号应为15位数字"),
        ("candidate_name", "名" * 101, "姓名过长"),
        ("contact_phone", "123", "手机号格式不正确"),
        # Digits enough, but longer than the column holds.
        ("contact_phone", "+86-(0)-138-1234-5678", "手机号格式不正确"),
        ("contact_email", "cand@", "邮箱格式不正确"),
        ("contact_wechat", "w" * 65, "联系方式无法识别"),
    ],
)
def test_each_rule_names_the_field_and_the_reason(field, value, message):
    errors = validation.field_errors({**GOOD, field: value})

    assert list(errors) == [field]
    assert message in errors[field]


def test_values_keep_the_suggestion_as_a_snapshot_and_staff_choices_win():
    s = Suggestion("sms_code", "guide_answer", 0.8, ["harmonyos"], ["验证码"], "R")
    values = validation.ticket_values(
        text="  企业微信收不到验证码 ",
        channel="qq",
        contact_phone=" 13812345678 ",
        suggestion=s,
        route="escalate",
    )

    assert (values["text"], values["contact_phone"]) == ("企业微信收不到验证码", "13812345678")
    assert (values["category"], values["route"], values["reply_text"]) == (
        "sms_code",
        "escalate",
        "R",
    )
    assert (values["suggested_route"], values["suggested_confidence"]) == ("guide_answer", 0.8)
    assert (values["also"], values["suggested_evidence"]) == (["harmonyos"], ["验证码"])


def test_without_a_suggestion_a_person_takes_over():
    values = validation.ticket_values(text="", channel="qq")

    assert (values["category"], values["route"], values["suggested_confidence"]) == (
        "other",
        "manual",
        0.0,
    )
