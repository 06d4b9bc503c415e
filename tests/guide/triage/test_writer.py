"""Who the writer is: a current student or member of staff of the university
asks which guide applies (existing_member), an applicant does not."""

import pytest

from guide.triage import knowledge
from guide.triage.engine import analyse, suggest_with


@pytest.fixture(scope="module")
def kb():
    return knowledge.from_files()


@pytest.mark.parametrize(
    "text",
    [
        "我在学校的实验中心做技术员，是在编的，企业微信还没用过，作为考生该怎么激活",
        "我是学校在编的实验员，今年考上了在职研究生的复试，企业微信早就在用了，还要再激活吗",
        "本人是学校食堂的员工，企业微信每天都用，现在进了复试，要按考生流程重新激活吗",
        "本科在这儿读的，激活用考生号还是用学号",
        "本校 student here，企业微信早就有了，复试的通知会推到原来的账号吗",
        "I'm doing delayed graduation, still enrolled as an undergrad. Which activation guide?",
        "我是电子科大的 之前激活过企业微信",
    ],
)
def test_a_current_member_is_recognised(kb, text):
    # the rules alone already take them for members, and so does the model
    assert suggest_with(text, kb.without_learning()).category == "existing_member"
    assert suggest_with(text, kb).category == "existing_member"


@pytest.mark.parametrize(
    "text",
    [
        "第二步认证的时候，账号那一栏写的是“学工号”，考生填什么？",
        "我是电子科大的考生，统一身份认证怎么激活",
        "我是外校在读研究生，报考电子科大，统一认证怎么激活",
        "我是在职考生，统一认证密码忘了怎么找回",
    ],
)
def test_an_applicant_is_no_member(kb, text):
    # the login field "学工号", an applicant "of" the university, a student
    # of another one, a working applicant: no membership of ours
    analysis = analyse(text, kb)
    assert "本校身份" not in analysis.tags and "学号" not in analysis.tags
    assert suggest_with(text, kb).category != "existing_member"
