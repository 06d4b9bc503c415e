import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from guide.models import LabelledExample
from guide.triage import Suggestion
from tickets import actions, notifications
from tickets.models import EventKind, Status, Ticket, TicketEvent


@pytest.mark.django_db
class TestCreate:
    def test_keeps_the_suggestion_as_a_snapshot_and_logs_creation(self, make_ticket):
        s = Suggestion(
            category="sms_code",
            route="guide_answer",
            confidence=0.8,
            evidence=["验证码"],
            reply="R",
        )
        t = make_ticket(
            suggestion=s, candidate_number="106146000000001", contact_phone="13812341234"
        )
        assert (t.category, t.route, t.reply_text, t.status) == (
            "sms_code",
            "guide_answer",
            "R",
            Status.NEW,
        )
        assert (t.suggested_category, t.suggested_confidence, t.suggested_evidence) == (
            "sms_code",
            0.8,
            ["验证码"],
        )
        assert list(t.events.values_list("kind", flat=True)) == [EventKind.CREATED]

    def test_bad_input_saves_nothing(self, make_ticket):
        with pytest.raises(ValidationError) as exc:
            make_ticket(text="", channel="fax", candidate_number="12345", contact_phone="abc")
        assert {"text", "channel", "candidate_number", "contact_phone"} <= set(
            exc.value.message_dict
        )
        assert Ticket.objects.count() == 0 and TicketEvent.objects.count() == 0

    def test_override_at_intake_is_a_correction_the_engine_learns(self, make_ticket):
        s = Suggestion(category="other", route="manual", confidence=0.2)
        t = make_ticket(
            text="鸿蒙手机关注不了企业号", suggestion=s, category="harmonyos", route="guide_answer"
        )
        assert t.suggested_category == "other" and t.category == "harmonyos"
        assert t.events.filter(kind=EventKind.CORRECTED).exists()
        example = LabelledExample.objects.get(ticket_id=t.pk)
        assert (example.text, example.category, example.route) == (
            "鸿蒙手机关注不了企业号",
            "harmonyos",
            "guide_answer",
        )

    def test_accepting_the_suggestion_teaches_nothing(self, make_ticket):
        s = Suggestion(category="sms_code", route="guide_answer", confidence=0.9)
        make_ticket(suggestion=s, category="sms_code", route="guide_answer")
        assert LabelledExample.objects.count() == 0


@pytest.mark.django_db
class TestLifecycle:
    def test_answer_resolve_close_reopen(self, make_ticket, desk):
        t = make_ticket()
        t = actions.perform("answer", actor=desk, ticket=t, reply_text="请确认手机号")
        assert (
            t.status == Status.ANSWERED and t.first_answered_at and t.reply_text == "请确认手机号"
        )
        t = actions.perform("resolve", actor=desk, ticket=t, note="ok")
        assert t.status == Status.RESOLVED and t.resolved_at
        t = actions.perform("close", actor=desk, ticket=t)
        assert t.status == Status.CLOSED
        with pytest.raises(ValidationError):
            actions.perform("reopen", actor=desk, ticket=t, note="")
        t = actions.perform("reopen", actor=desk, ticket=t, note="考生又来电")
        assert t.status == Status.NEW and t.resolved_at is None
        kinds = list(t.events.values_list("kind", flat=True))
        assert kinds == ["created", "answered", "resolved", "closed", "reopened"]

    def test_a_closed_ticket_cannot_be_answered(self, make_ticket, desk):
        t = actions.perform("close", actor=desk, ticket=make_ticket())
        with pytest.raises(ValidationError):
            actions.perform("answer", actor=desk, ticket=t, reply_text="x")
        assert Ticket.objects.get(pk=t.pk).status == Status.CLOSED

    def test_escalation_mails_the_info_center_with_the_case_facts(
        self, make_ticket, desk, django_capture_on_commit_callbacks
    ):
        t = make_ticket(
            candidate_number="106146000000002",
            contact_phone="13812345678",
            contact_email="ks@example.com",
            contact_wechat="wx_ks",
        )
        with django_capture_on_commit_callbacks(execute=True):
            t = actions.perform("escalate", actor=desk, ticket=t, tried="已重发验证码三次")
        assert t.status == Status.ESCALATED
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == ["iservice@uestc.edu.cn"]
        assert "106146000000002" in message.body and "已重发验证码三次" in message.body
        # The candidate's own contacts, never the info-center's phone in their place.
        assert "13812345678" in message.body and "ks@example.com" in message.body
        assert "wx_ks" in message.body and "028-61831184" not in message.body
        # The category by its title, not its code.
        assert "手机验证码" in message.body and "sms_code" not in message.body
        assert t.events.get(kind=EventKind.ESCALATED).data["mailed_at"]

    def test_a_rolled_back_escalation_sends_nothing(
        self, make_ticket, desk, django_capture_on_commit_callbacks
    ):
        t = make_ticket()
        actions.perform("close", actor=desk, ticket=t)
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            actions.perform("escalate", actor=desk, ticket=t)
        assert mail.outbox == []

    def test_referral_notifies_that_colleges_teachers_only(
        self, make_ticket, desk, teacher_a, teacher_b, college_a, django_capture_on_commit_callbacks
    ):
        t = make_ticket(college=college_a)
        with django_capture_on_commit_callbacks(execute=True):
            actions.perform("refer", actor=desk, ticket=t, note="请拉群")
        assert [m.to for m in mail.outbox] == [[teacher_a.email]]
        assert "请拉群" in mail.outbox[0].body

    def test_referral_needs_a_college(self, make_ticket, desk):
        with pytest.raises(ValidationError):
            actions.perform("refer", actor=desk, ticket=make_ticket())

    def test_teacher_resolves_only_what_was_referred_to_their_college(
        self, make_ticket, desk, teacher_a, teacher_b, college_a
    ):
        t = make_ticket(college=college_a)
        with pytest.raises(PermissionDenied):
            actions.perform("resolve", actor=teacher_a, ticket=t)  # not referred yet
        t = actions.perform("refer", actor=desk, ticket=t)
        with pytest.raises(PermissionDenied):
            actions.perform("resolve", actor=teacher_b, ticket=t)
        with pytest.raises(PermissionDenied):
            actions.perform("answer", actor=teacher_a, ticket=t, reply_text="x")
        t = actions.perform("resolve", actor=teacher_a, ticket=t, note="已拉群")
        assert t.status == Status.RESOLVED

    def test_teacher_comments_on_own_college_only(
        self, make_ticket, teacher_a, teacher_b, college_a
    ):
        t = make_ticket(college=college_a)
        actions.perform("comment", actor=teacher_a, ticket=t, note="已联系")
        with pytest.raises(PermissionDenied):
            actions.perform("comment", actor=teacher_b, ticket=t, note="x")
        assert list(t.events.filter(kind="commented").values_list("note", flat=True)) == ["已联系"]

    def test_correction_later_reaches_the_engine(self, make_ticket, desk):
        t = make_ticket(
            text="华为 mate 70 装不了企业号", suggestion=Suggestion("other", "manual", 0.1)
        )
        actions.perform("correct", actor=desk, ticket=t, category="harmonyos", route="guide_answer")
        t.refresh_from_db()
        assert (t.category, t.suggested_category) == ("harmonyos", "other")
        assert LabelledExample.objects.filter(ticket_id=t.pk, category="harmonyos").exists()
        with pytest.raises(ValidationError):
            actions.perform("correct", actor=desk, ticket=t, category="nope", route="manual")


@pytest.mark.django_db
def test_the_engine_suggests_the_correction_for_the_same_words(make_ticket, desk):
    from guide.triage import knowledge, suggest

    text = "我们学院的老师让我找服务台，说的是群的事情，一直没人拉我"
    t = make_ticket(text=text)
    target = "refer_college" if t.route != "refer_college" else "manual"
    category = "group_wait" if t.category != "group_wait" else "other"
    actions.perform("correct", actor=desk, ticket=t, category=category, route=target)
    knowledge.invalidate()  # other processes notice within RECHECK_SECONDS
    again = suggest(text)
    assert (again.category, again.route) == (category, target)


@pytest.mark.django_db
def test_escalation_note_says_what_was_already_tried(make_ticket, desk):
    t = make_ticket(candidate_number="106146000000003")
    actions.perform("answer", actor=desk, ticket=t, reply_text="请确认手机号是微信绑定的号码")
    actions.perform("comment", actor=desk, ticket=t, note="考生确认号码无误，重发三次仍失败")
    note = notifications.escalation_note(t)
    assert "106146000000003" in note and t.text in note
    assert "请确认手机号是微信绑定的号码" in note and "重发三次仍失败" in note


@pytest.mark.django_db
def test_escalation_note_names_the_guide_answer_sent_by_its_title(make_ticket, desk):
    from guide.models import FaqCategory

    t = make_ticket()
    actions.perform("answer", actor=desk, ticket=t, reply_text=t.reply_text)
    note = notifications.escalation_note(t)
    title = FaqCategory.objects.get(code=t.category).title
    assert f"已发送指南答复“{title}”" in note
    assert t.reply_text[:40] not in note  # the steps by title, not the whole answer again


@pytest.mark.django_db
def test_referral_mail_carries_the_case_facts(
    make_ticket, desk, teacher_a, college_a, django_capture_on_commit_callbacks
):
    t = make_ticket(
        "我们学院的群一直没人拉我",
        college=college_a,
        candidate_number="106146000000009",
        contact_phone="13812345678",
    )
    with django_capture_on_commit_callbacks(execute=True):
        actions.perform("refer", actor=desk, ticket=t, note="请拉群")
    body = mail.outbox[0].body
    assert "106146000000009" in body and "13812345678" in body and t.text in body
    assert "028-61831184" not in body and f"/tickets/{t.pk}/" in body
