"""A correction moves the reply to the new category's answer (issue 11, item 1)."""

import pytest

from guide.models import FaqCategory
from tickets import actions
from tickets.models import EventKind, Ticket

HARMONY = "华为 mate 70 鸿蒙系统装不了企业微信"


def faq_answer(code, route):
    return FaqCategory.objects.get(code=code).answer_for(route)


def other_category(ticket, wanted="wechat_change", fallback="sms_code"):
    return wanted if ticket.category != wanted else fallback


@pytest.mark.django_db
class TestCorrectionMovesTheReply:
    def test_new_category_gives_its_answer(self, make_ticket, desk):
        t = make_ticket(HARMONY)
        target = other_category(t)
        t = actions.perform("correct", actor=desk, ticket=t, category=target, route="guide_answer")
        t.refresh_from_db()
        assert t.reply_text == faq_answer(target, "guide_answer")
        assert (t.reply_category, t.reply_route) == (target, "guide_answer")
        assert t.events.get(kind=EventKind.CORRECTED).data["reply_moved"] is True

    def test_route_changed_to_escalate_gives_the_escalation_answer(self, make_ticket, desk):
        t = make_ticket("统一身份认证激活不了")
        actions.perform("correct", actor=desk, ticket=t, category="ids_activate", route="escalate")
        t.refresh_from_db()
        assert t.reply_text == FaqCategory.objects.get(code="ids_activate").other_route_answer
        assert t.reply_text != FaqCategory.objects.get(code="ids_activate").answer

    def test_a_hand_edited_reply_is_kept_and_the_page_offers_the_new_answer(
        self, client, make_ticket, desk
    ):
        t = make_ticket(HARMONY)
        actions.perform("answer", actor=desk, ticket=t, reply_text="请先把手机系统升级，再试一次。")
        target = other_category(t)
        actions.perform("correct", actor=desk, ticket=t, category=target, route="guide_answer")
        t.refresh_from_db()
        assert t.reply_text == "请先把手机系统升级，再试一次。"
        client.force_login(desk)
        html = client.get(t.get_absolute_url()).content.decode()
        assert 'id="answer-pending"' in html and 'id="take-answer"' in html
        client.post(f"/tickets/{t.pk}/take_answer/")
        t.refresh_from_db()
        assert t.reply_text == faq_answer(target, "guide_answer") and not t.reply_edited
        html = client.get(t.get_absolute_url()).content.decode()
        assert 'id="answer-pending"' not in html

    def test_the_page_says_whose_answer_the_reply_is(self, client, make_ticket, desk):
        t = make_ticket(HARMONY)
        target = other_category(t)
        client.force_login(desk)
        client.post(
            f"/tickets/{t.pk}/correct/", {"category": target, "route": "guide_answer", "note": ""}
        )
        html = client.get(t.get_absolute_url()).content.decode()
        source = html.split('id="reply-source">')[1].split("</p>")[0]
        assert FaqCategory.objects.get(code=target).title in source
        assert faq_answer(target, "guide_answer")[:30] in html

    def test_intake_override_saves_the_chosen_categorys_answer(self, client, desk):
        client.force_login(desk)
        response = client.post(
            "/tickets/new/",
            {
                "text": HARMONY,
                "channel": "phone",
                "category": "wechat_change",
                "route": "guide_answer",
            },
        )
        assert response.status_code == 302
        t = Ticket.objects.get()
        assert t.category == "wechat_change"
        assert t.reply_text == faq_answer("wechat_change", "guide_answer")


@pytest.mark.django_db
def test_guide_answers_carry_the_configured_info_center_contacts(make_ticket, desk, settings):
    settings.INFO_CENTER_PHONE = "028-00000000"
    settings.INFO_CENTER_EMAIL = "help@example.edu.cn"
    t = make_ticket("统一身份认证激活不了")
    actions.perform("correct", actor=desk, ticket=t, category="ids_activate", route="escalate")
    t.refresh_from_db()
    assert "028-00000000" in t.reply_text and "help@example.edu.cn" in t.reply_text
    assert "028-61831184" not in t.reply_text
