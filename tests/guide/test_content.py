import re
from pathlib import Path

import pytest

from guide.categories import CATEGORY_CODES
from guide.models import FaqCategory, GuideSection, GuideStep, Route

CATEGORIES_MD = Path(__file__).resolve().parents[2].parent / "shared" / "triage" / "categories.md"

pytestmark = pytest.mark.django_db


def test_category_codes_match_the_taxonomy_contract():
    if not CATEGORIES_MD.exists():
        pytest.skip(f"taxonomy not found at {CATEGORIES_MD}")
    table_codes = re.findall(r"^\| `([a-z_]+)` \|", CATEGORIES_MD.read_text(encoding="utf-8"), re.M)
    route_codes = {"guide_answer", "escalate", "refer_college", "manual"}
    assert tuple(code for code in table_codes if code not in route_codes) == CATEGORY_CODES
    assert {value for value, _ in Route.choices} == route_codes


def test_every_category_is_loaded_with_an_answer_and_a_valid_route():
    categories = {c.code: c for c in FaqCategory.objects.all()}
    assert set(categories) == set(CATEGORY_CODES)
    routes = {value for value, _ in Route.choices}
    for category in categories.values():
        assert category.answer.strip(), category.code
        assert category.default_route in routes
        assert category.other_route in routes | {""}
        if category.other_route:
            assert category.other_route_condition.strip(), category.code


@pytest.mark.parametrize(
    "code,default_route,other_route",
    [
        ("ids_activate", "guide_answer", "escalate"),
        ("ids_password", "guide_answer", "escalate"),
        ("sms_code", "guide_answer", "escalate"),
        ("phone_change", "guide_answer", "escalate"),
        ("group_wait", "guide_answer", "refer_college"),
        ("harmonyos", "guide_answer", ""),
        ("other", "manual", ""),
    ],
)
def test_routes_follow_the_taxonomy(code, default_route, other_route):
    category = FaqCategory.objects.get(code=code)
    assert (category.default_route, category.other_route) == (default_route, other_route)


def test_every_section_and_step_of_the_guide_is_there():
    sections = list(GuideSection.objects.values_list("key", flat=True))
    assert sections == ["preface", "steps", "attachment-1", "attachment-2", "conclusion", "faq"]
    counts = {key: GuideStep.objects.filter(section__key=key).count() for key in sections}
    assert counts == {
        "preface": 2,
        "steps": 3,
        "attachment-1": 7,
        "attachment-2": 5,
        "conclusion": 1,
        "faq": 4,
    }


@pytest.mark.parametrize(
    "anchor,fact",
    [
        ("att1-step-1", "https://idas.uestc.edu.cn"),
        ("att1-step-3", "考生号、姓名、证件类型、证件号码"),
        ("att2-step-3", "当前使用的微信所绑定的手机号码"),
        ("att2-step-4", "鸿蒙Next系统的微信还不支持企业号"),
        (
            "faq-2",
            "微信→通讯录→电子科技大学(在我的企业及企业联系人一栏中)→右上角+号→设置→右上角三个点→不再关注→不再关注",
        ),
        ("faq-3", "企业微信APP→聊天列表左上角三条杠→右下角设置→账号与安全→手机号→更换手机号"),
        ("faq-3", "028-61831184"),
        ("faq-3", "iservice@uestc.edu.cn"),
        ("faq-4", "企业微信APP→聊天列表左上角三条杠→右下角设置→账号与安全→微信→更换微信"),
        ("step-1", "考生进校时请按照访客用户进行预约"),
        ("step-3", "如长时间未收到群聊相关消息通知，请联系学院招生老师"),
    ],
)
def test_guide_facts_are_verbatim(anchor, fact):
    assert fact in GuideStep.objects.get(anchor=anchor).text


def test_escalation_answers_name_the_info_center_channel():
    for category in FaqCategory.objects.filter(other_route="escalate"):
        assert "028-61831184" in category.other_route_answer
        assert "iservice@uestc.edu.cn" in category.other_route_answer


def test_every_category_but_other_points_to_guide_steps():
    for category in FaqCategory.objects.exclude(code="other"):
        assert category.steps.exists(), category.code


def test_answer_edits_keep_their_history(admin):
    category = FaqCategory.objects.get(code="harmonyos")
    before = category.answer
    category.answer = "鸿蒙Next：请下载企业微信APP。"
    category._history_user = admin
    category.save()
    latest, previous = category.history.all()[:2]
    assert (latest.answer, latest.history_user) == ("鸿蒙Next：请下载企业微信APP。", admin)
    assert previous.answer == before


def test_load_guide_keeps_answers_edited_in_the_admin(django_db_blocker):
    from django.core.management import call_command

    FaqCategory.objects.filter(code="unfollow").update(answer="edited by staff")
    call_command("load_guide", stdout=open("/dev/null", "w"))
    assert FaqCategory.objects.get(code="unfollow").answer == "edited by staff"
    assert GuideStep.objects.count() == 22
