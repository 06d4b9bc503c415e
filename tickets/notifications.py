"""Every mail the ticket workflow sends: its texts (templates/tickets/mail/),
the escalation note staff may edit before sending, and delivery.

Always in Chinese: the info-center and the colleges read them, whatever the
desk's UI language. `deliver` is the one place a mail leaves: an outbox row
written in the caller's transaction, relayed after the commit with retries,
so a rolled-back write never sends anything and an outage only delays it.
"""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from guide.models import Route
from outbox.services import enqueue
from tickets import selectors
from tickets.models import EventKind, TicketEvent

MAIL_LANGUAGE = "zh-hans"
EVENT_MAIL = "tickets.event_mail"  # the outbox kind (tickets/outbox_handlers.py)
EXCERPT_CHARS = 60


def _context(ticket, category_rows=None, events=None, **extra) -> dict:
    titles = selectors.category_titles(category_rows)
    return {
        "ticket": ticket,
        "category_title": titles.get(ticket.category, ticket.category),
        "route_label": _route_label(ticket.route),
        "tried": tried_steps(ticket, titles, events),
        "ticket_url": f"{settings.SITE_URL}{reverse('tickets:detail', args=[ticket.pk])}",
        **extra,
    }


def _route_label(route) -> str:
    return str(Route(route).label) if route in Route.values else route


def _render(name: str, context: dict) -> str:
    return render_to_string(f"tickets/mail/{name}", context).strip()


def tried_steps(ticket, titles=None, events=None) -> list[str]:
    """What the desk already did, oldest first: each reply sent, by the title
    of the guide answer it was (or an excerpt of a reply written by hand), and
    each note. `events`: the ticket's timeline when the caller has it."""
    titles = selectors.category_titles() if titles is None else titles
    kinds = (EventKind.ANSWERED, EventKind.COMMENTED)
    if events is None:
        events = ticket.events.filter(kind__in=kinds)
    steps = []
    for event in events:
        if event.kind not in kinds:
            continue
        if event.kind == EventKind.COMMENTED:
            steps.append(translation.gettext("备注：%(v)s") % {"v": event.note})
            continue
        category = event.data.get("reply_category")
        if category and not event.data.get("reply_edited"):
            steps.append(
                translation.gettext("已发送指南答复“%(title)s”（%(route)s）")
                % {
                    "title": titles.get(category, category),
                    "route": _route_label(event.data.get("reply_route", "")),
                }
            )
        elif reply := (event.data.get("reply") or "").strip():
            excerpt = reply if len(reply) <= EXCERPT_CHARS else reply[:EXCERPT_CHARS] + "…"
            steps.append(translation.gettext("已发送答复：%(v)s") % {"v": excerpt})
    return steps


def escalation_note(ticket, tried="", *, category_rows=None, events=None) -> str:
    """The ready-to-send note to the info-center, with the case facts.
    category_rows (selectors.category_rows) and events (the ticket's timeline,
    oldest first): what the ticket page has read already."""
    with translation.override(MAIL_LANGUAGE):
        context = _context(
            ticket, category_rows=category_rows, events=events, extra_tried=tried.strip()
        )
        return _render("escalation_note.txt", context)


def referral_body(ticket, note="") -> str:
    with translation.override(MAIL_LANGUAGE):
        return _render("referral_body.txt", _context(ticket, note=note))


def _subject(event) -> str:
    name = "escalation_subject.txt" if event.kind == EventKind.ESCALATED else "referral_subject.txt"
    return " ".join(_render(name, {"ticket": event.ticket}).split())


def deliver(event) -> None:
    """Queue the event's mail in the outbox, in the caller's transaction."""
    enqueue(EVENT_MAIL, {"event_id": event.pk}, dedupe_key=f"{EVENT_MAIL}:{event.pk}")


def send_event_mail(event_id):
    """Mail an escalation or referral; marked on the timeline as sent."""
    event = TicketEvent.objects.select_related("ticket", "ticket__college").get(pk=event_id)
    if event.data.get("mailed_at"):
        return 0  # a redelivery after the mail went out: never mail twice
    recipients = event.data.get("to") or []
    if isinstance(recipients, str):
        recipients = [recipients]
    if not recipients:
        return 0
    with translation.override(MAIL_LANGUAGE):
        subject = _subject(event)
        if event.kind == EventKind.ESCALATED:
            body = event.note
        else:
            body = _render("referral_body.txt", _context(event.ticket, note=event.note))
    sent = send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    event.data = {**event.data, "mailed_at": timezone.now().isoformat()}
    event.save(update_fields=["data"])
    return sent
