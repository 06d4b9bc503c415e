import pytest
from django.core.exceptions import ValidationError

from macros import selectors
from macros.models import CannedReply

TEXT = "企业号激活第三步一直收不到手机验证码"


@pytest.fixture
def ticket(make_ticket):
    return make_ticket(TEXT, candidate_name="张三", candidate_number="106145000012345")


def test_placeholders_are_filled_for_the_ticket(ticket, settings):
    reply = CannedReply.objects.create(
        name="验证码",
        category=ticket.category,
        body="{candidate_name}（{candidate_number}）您好，"
        "请看 {guide_link}，或致电 {info_phone}、邮件 {info_email}。",
    )
    text = reply.fill(ticket)
    assert text.startswith("张三（106145000012345）您好")
    assert "/guide/" in text and ticket.category in text
    assert settings.INFO_CENTER_PHONE in text and settings.INFO_CENTER_EMAIL in text


def test_an_unknown_placeholder_is_refused_when_saved(ticket):
    reply = CannedReply(name="x", category=ticket.category, body="您好 {candidat_name}")
    with pytest.raises(ValidationError) as exc:
        reply.full_clean()
    assert "candidat_name" in str(exc.value)


def test_the_category_answer_comes_first_then_matching_replies(ticket):
    CannedReply.objects.create(name="本类", category=ticket.category, body="a")
    CannedReply.objects.create(
        name="本类其他处理方式",
        category=ticket.category,
        route="manual" if ticket.route != "manual" else "escalate",
        body="b",
    )
    CannedReply.objects.create(name="停用", category=ticket.category, body="c", active=False)
    CannedReply.objects.create(
        name="他类", category="harmonyos" if ticket.category != "harmonyos" else "other", body="d"
    )
    names = [c.name for c in selectors.choices_for(ticket)]
    assert names == ["分类默认答复", "本类"]


def test_changes_are_kept_in_history(ticket):
    reply = CannedReply.objects.create(name="验证码", category=ticket.category, body="旧")
    reply.body = "新"
    reply.save()
    assert [h.body for h in reply.history.order_by("history_date")] == ["旧", "新"]


def test_the_picker_on_the_ticket_page_carries_the_filled_reply(client, desk, ticket):
    CannedReply.objects.create(
        name="短答复", category=ticket.category, body="{candidate_name}同学：请重发"
    )
    client.force_login(desk)
    html = client.get(ticket.get_absolute_url()).content.decode()
    assert 'id="reply-picker"' in html
    assert 'data-body="张三同学：请重发"' in html


def test_resolver_fills_each_ticket_its_own_way(make_ticket):
    a = make_ticket(TEXT, candidate_name="甲")
    b = make_ticket(TEXT, candidate_name="乙")
    reply = CannedReply.objects.create(name="r", category=a.category, body="{candidate_name}好")
    fill = selectors.resolver(reply.pk)
    assert (fill(a), fill(b)) == ("甲好", "乙好")
    assert selectors.resolver("default")(a)  # the category answer, never empty


@pytest.mark.django_db
def test_a_reply_may_belong_to_a_category_added_as_a_row_and_the_admin_offers_it(
    admin, client, new_category
):
    CannedReply(name="VPN", category="exam_vpn", body="请按学院通知连接。").full_clean()
    with pytest.raises(ValidationError) as raised:
        CannedReply(name="x", category="no_such_code", body="您好").full_clean()
    assert "category" in raised.value.message_dict
    client.force_login(admin)
    page = client.get("/admin/macros/cannedreply/add/").content.decode()
    assert 'value="exam_vpn"' in page
