"""Every write to a ticket. Services take keyword arguments and the acting user,
write in one transaction and record a TicketEvent; mail and learning are queued
with transaction.on_commit so a rolled-back write never sends anything."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from guide.models import Route
from guide.selectors import category_codes
from tickets import roles, validation
from tickets.models import Channel, College, EventKind, Status, Ticket, TicketEvent
from tickets.validation import TEXT_MAX_LENGTH  # noqa: F401 -- forms and the API size fields by it

NOTE_MAX_LENGTH = 5000

# Which status a ticket may move to from which. Reopening is its own service.
TRANSITIONS = {
    Status.NEW: {
        Status.ANSWERED,
        Status.ESCALATED,
        Status.REFERRED,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.ANSWERED: {
        Status.ANSWERED,
        Status.ESCALATED,
        Status.REFERRED,
        Status.RESOLVED,
        Status.CLOSED,
    },
    Status.ESCALATED: {Status.ANSWERED, Status.REFERRED, Status.RESOLVED, Status.CLOSED},
    Status.REFERRED: {Status.ANSWERED, Status.ESCALATED, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.CLOSED},
    Status.CLOSED: set(),
}


def _event(ticket, actor, kind, note="", **data):
    return TicketEvent.objects.create(
        ticket=ticket,
        actor=actor if actor and actor.is_authenticated else None,
        kind=kind,
        note=note,
        data=data,
    )


def _check_choice(value, allowed, field, errors):
    if value not in allowed:
        errors[field] = _("无效的取值：%(value)s") % {"value": value}


def _require_desk(actor):
    if not roles.is_desk(actor):
        raise PermissionDenied(_("只有服务台人员可以执行此操作。"))


def _move(ticket, target):
    if target not in TRANSITIONS[Status(ticket.status)]:
        raise ValidationError(
            _("工单当前状态为“%(status)s”，不能变为“%(target)s”。")
            % {"status": ticket.get_status_display(), "target": Status(target).label}
        )
    ticket.status = target


def _locked(ticket):
    """Re-read the row under a lock so two desks acting at once do not race."""
    return (
        Ticket.objects.select_for_update(of=("self",)).select_related("college").get(pk=ticket.pk)
    )


def ticket_create(
    *,
    actor,
    text,
    channel,
    candidate_number="",
    candidate_name="",
    college=None,
    contact_phone="",
    contact_email="",
    contact_wechat="",
    suggestion=None,
    created_at=None,
    category=None,
    route=None,
    reply_text=None,
    source_key=None,
    assignee=None,
):
    """Log one candidate problem with the engine's suggestion as a snapshot.

    `suggestion` is a guide.triage.Suggestion (computed here when omitted).
    `category`/`route` given and differing from it are a correction the
    engine learns from. Raises ValidationError with field errors; nothing is
    saved then.
    """
    from guide.triage import suggest

    text = (text or "").strip()
    if suggestion is None and text:
        suggestion = suggest(text)
    if isinstance(college, str) and college:
        college = (
            College.objects.filter(code=college).first()
            or College.objects.filter(name=college).first()
        )
        if college is None:
            raise ValidationError({"college": [_("未知学院。")]})
    values = validation.ticket_values(
        text=text,
        channel=channel,
        candidate_number=candidate_number,
        candidate_name=candidate_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_wechat=contact_wechat,
        suggestion=suggestion,
        category=category,
        route=route,
        reply_text=reply_text,
    )
    ticket = Ticket(
        **values,
        college=college or None,
        created_by=actor if actor and actor.is_authenticated else None,
        assignee=assignee,
        source_key=source_key,
    )
    if created_at is not None:
        ticket.created_at = created_at
    errors = validation.field_errors(values)
    try:
        ticket.full_clean(exclude=["source_key"] if source_key is None else None)
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        if created_at is None and source_key is None:
            from tickets import reopening

            existing = reopening.same_problem(ticket)
            if existing is not None:
                return reopening.add_message(existing, ticket, actor)
        ticket.save()
        _event(
            ticket,
            actor,
            EventKind.CREATED,
            channel=channel,
            suggestion={
                "category": ticket.suggested_category,
                "route": ticket.suggested_route,
                "confidence": ticket.suggested_confidence,
            },
        )
        after = {"category": ticket.category, "route": ticket.route}
        before = {"category": ticket.suggested_category, "route": ticket.suggested_route}
        if after != before and suggestion:
            _event(ticket, actor, EventKind.CORRECTED, before=before, after=after)
            _learn(ticket, actor)
    return ticket


def _learn(ticket, actor):
    """The corrected labels become an example the engine learns from.

    Written in the caller's transaction (a cheap row insert): a correction and
    its lesson are saved together or not at all.
    """
    from guide.models import LabelledExample
    from guide.triage.learning import record_correction

    # The latest correction of a ticket is its label: an earlier, contradicted
    # one would teach the engine both answers.
    LabelledExample.objects.filter(
        ticket_id=ticket.pk, source=LabelledExample.Source.CORRECTION
    ).delete()
    record_correction(
        text=ticket.text,
        category=ticket.category,
        route=ticket.route,
        ticket_id=ticket.pk,
        user=actor if getattr(actor, "pk", None) else None,
    )


def ticket_correct(*, actor, ticket, category, route, note=""):
    """Staff override of category or route; the engine learns from it."""
    _require_desk(actor)
    errors = {}
    _check_choice(category, category_codes(), "category", errors)
    _check_choice(route, Route.values, "route", errors)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        ticket = _locked(ticket)
        before = {"category": ticket.category, "route": ticket.route}
        if before == {"category": category, "route": route}:
            return ticket
        ticket.category, ticket.route = category, route
        ticket.save(update_fields=["category", "route", "updated_at"])
        _event(
            ticket,
            actor,
            EventKind.CORRECTED,
            note,
            before=before,
            after={"category": category, "route": route},
        )
        _learn(ticket, actor)
    return ticket


def ticket_answer(*, actor, ticket, reply_text, note=""):
    """The reply was sent to the candidate."""
    _require_desk(actor)
    reply_text = (reply_text or "").strip()
    if not reply_text:
        raise ValidationError({"reply_text": [_("请填写发给考生的答复。")]})
    with transaction.atomic():
        ticket = _locked(ticket)
        _move(ticket, Status.ANSWERED)
        ticket.reply_text = reply_text
        if ticket.first_answered_at is None:
            ticket.first_answered_at = timezone.now()
        if ticket.assignee_id is None and actor.is_authenticated:
            ticket.assignee = actor
        ticket.save()
        event = _event(ticket, actor, EventKind.ANSWERED, note, reply=reply_text)
        _reply_by_channel(ticket, event)
    return ticket


def _reply_by_channel(ticket, event):
    """A ticket that came by mail or WeCom is answered there, through the outbox."""
    from inbox.replies import queue_answer

    queue_answer(ticket, event)


def escalation_note(ticket, tried=""):
    """The ready-to-send note to the info-center, with the case facts.

    Always in Chinese: the info-center reads it, whatever the desk's UI language.
    """
    with translation.override("zh-hans"):
        return _escalation_note(ticket, tried)


def _escalation_note(ticket, tried):
    lines = [
        _("信息中心老师您好："),
        "",
        _("服务台工单 #%(id)s 需要账号管理员协助处理。") % {"id": ticket.pk},
        _("考生号：%(v)s") % {"v": ticket.candidate_number or _("（未提供）")},
        _("考生姓名：%(v)s") % {"v": ticket.candidate_name or _("（未提供）")},
        _("学院：%(v)s") % {"v": ticket.college.name if ticket.college else _("（未提供）")},
        _("问题分类：%(v)s") % {"v": ticket.category},
        _("考生原话：%(v)s") % {"v": ticket.text},
        _("已尝试：%(v)s") % {"v": tried or _already_tried(ticket) or _("（无）")},
        "",
        _("联系方式：信息中心服务电话 %(phone)s，邮箱 %(email)s")
        % {"phone": settings.INFO_CENTER_PHONE, "email": settings.INFO_CENTER_EMAIL},
    ]
    return "\n".join(lines)


def _already_tried(ticket):
    """What the desk already told the candidate and noted, oldest first."""
    lines = []
    for event in ticket.events.filter(kind__in=[EventKind.ANSWERED, EventKind.COMMENTED]).order_by(
        "id"
    ):
        text = event.data.get("reply") if event.kind == EventKind.ANSWERED else event.note
        if text:
            lines.append(f"- {text}")
    return "\n".join(lines)


def ticket_escalate(*, actor, ticket, note="", tried=""):
    """Escalate to the info-center: the note is mailed and kept in the timeline."""
    _require_desk(actor)
    with transaction.atomic():
        ticket = _locked(ticket)
        _move(ticket, Status.ESCALATED)
        message = (note or "").strip() or escalation_note(ticket, tried)
        if ticket.assignee_id is None and actor.is_authenticated:
            ticket.assignee = actor
        ticket.save()
        event = _event(ticket, actor, EventKind.ESCALATED, message, to=settings.INFO_CENTER_EMAIL)
        _queue_mail(event)
    return ticket


def college_teachers(college):
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(
            is_active=True, groups__name=roles.COLLEGE_TEACHER, desk_profile__college=college
        )
        .distinct()
    )


def ticket_refer(*, actor, ticket, note=""):
    """Refer to the candidate's college: its admissions teachers are notified."""
    _require_desk(actor)
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.college_id is None:
            raise ValidationError({"college": [_("请先填写考生所在学院。")]})
        _move(ticket, Status.REFERRED)
        ticket.save()
        recipients = [u.email for u in college_teachers(ticket.college) if u.email]
        event = _event(ticket, actor, EventKind.REFERRED, (note or "").strip(), to=recipients)
        _queue_mail(event)
    return ticket


def _queue_mail(event):
    """The one way a ticket's mail leaves: an outbox row in this transaction."""
    from outbox.services import enqueue

    enqueue(EVENT_MAIL, {"event_id": event.pk}, dedupe_key=f"{EVENT_MAIL}:{event.pk}")


EVENT_MAIL = "tickets.event_mail"


def send_event_mail(*, event_id):
    """Mail an escalation or referral (in Chinese); logged on the timeline as sent."""
    with translation.override("zh-hans"):
        return _send_event_mail(event_id)


def _send_event_mail(event_id):
    from django.core.mail import send_mail

    event = TicketEvent.objects.select_related("ticket", "ticket__college").get(pk=event_id)
    if event.data.get("mailed_at"):
        return 0  # a redelivery after the mail went out: never mail twice
    ticket = event.ticket
    recipients = event.data.get("to") or []
    if isinstance(recipients, str):
        recipients = [recipients]
    if not recipients:
        return 0
    if event.kind == EventKind.ESCALATED:
        subject = _("[服务台] 工单 #%(id)s 升级：考生号 %(number)s") % {
            "id": ticket.pk,
            "number": ticket.candidate_number or "-",
        }
        body = event.note
    else:
        subject = _("[服务台] 工单 #%(id)s 转学院处理") % {"id": ticket.pk}
        body = "\n".join(
            [
                _("%(college)s 招生老师您好：")
                % {"college": ticket.college.name if ticket.college else ""},
                "",
                _("考生号：%(v)s") % {"v": ticket.candidate_number or "-"},
                _("考生原话：%(v)s") % {"v": ticket.text},
                _("服务台备注：%(v)s") % {"v": event.note or "-"},
                _("请登录服务台处理：%(url)s")
                % {"url": f"{settings.SITE_URL}/tickets/{ticket.pk}/"},
            ]
        )
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    event.data = {**event.data, "mailed_at": timezone.now().isoformat()}
    event.save(update_fields=["data"])
    return sent


def ticket_comment(*, actor, ticket, note):
    if not roles.can_comment(actor, ticket):
        raise PermissionDenied(_("无权备注此工单。"))
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("请填写备注内容。")]})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": [_("备注过长。")]})
    with transaction.atomic():
        return _event(ticket, actor, EventKind.COMMENTED, note)


def ticket_assign(*, actor, ticket, assignee):
    _require_desk(actor)
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.assignee_id == getattr(assignee, "pk", None):
            return ticket
        ticket.assignee = assignee
        ticket.save(update_fields=["assignee", "updated_at"])
        _event(
            ticket, actor, EventKind.ASSIGNED, assignee=assignee.get_username() if assignee else ""
        )
    return ticket


def ticket_resolve(*, actor, ticket, note=""):
    """Desk staff resolve any open ticket; a teacher what was referred to them."""
    if not roles.can_resolve(actor, ticket):
        raise PermissionDenied(_("无权解决此工单。"))
    with transaction.atomic():
        ticket = _locked(ticket)
        _move(ticket, Status.RESOLVED)
        ticket.resolved_at = timezone.now()
        ticket.save()
        _event(ticket, actor, EventKind.RESOLVED, (note or "").strip())
    return ticket


def ticket_close(*, actor, ticket, note=""):
    _require_desk(actor)
    with transaction.atomic():
        ticket = _locked(ticket)
        _move(ticket, Status.CLOSED)
        if ticket.resolved_at is None:
            ticket.resolved_at = timezone.now()
        ticket.save()
        _event(ticket, actor, EventKind.CLOSED, (note or "").strip())
    return ticket


def ticket_reopen(*, actor, ticket, note):
    """A resolved or closed ticket opens again as new; the reason is required."""
    _require_desk(actor)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": [_("重新打开需要说明原因。")]})
    with transaction.atomic():
        ticket = _locked(ticket)
        if ticket.is_open:
            raise ValidationError(_("工单仍在处理中，无需重新打开。"))
        ticket.status = Status.NEW
        ticket.resolved_at = None
        ticket.save()
        _event(ticket, actor, EventKind.REOPENED, note)
    return ticket


__all__ = [
    "Channel",
    "TRANSITIONS",
    "ticket_create",
    "ticket_correct",
    "ticket_answer",
    "ticket_escalate",
    "ticket_refer",
    "ticket_comment",
    "ticket_assign",
    "ticket_resolve",
    "ticket_close",
    "ticket_reopen",
    "escalation_note",
    "send_event_mail",
]
