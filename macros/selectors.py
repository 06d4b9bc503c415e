"""The replies the desk may pick for a ticket: the category's answer first."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from macros.models import CannedReply

DEFAULT_ID = "default"


@dataclass(frozen=True)
class Choice:
    id: str
    name: str
    body: str


def choices_for(ticket) -> list[Choice]:
    """The category's answer for the ticket's route, then the canned replies, filled in."""
    from guide.models import FaqCategory
    from macros import placeholders

    result = []
    category = FaqCategory.objects.filter(code=ticket.category).first()
    if category is not None:
        body = placeholders.fill(category.answer_for(ticket.route), ticket)
        result.append(Choice(DEFAULT_ID, _("分类默认答复"), body))
    for reply in CannedReply.objects.for_ticket(ticket):
        result.append(Choice(str(reply.pk), reply.name, reply.fill(ticket)))
    return result


def resolver(reply_id):
    """ticket -> the filled text of the chosen reply, for one or ten thousand tickets.

    `default` is each ticket's own category answer; a canned reply's id is that
    reply for every ticket. Raises CannedReply.DoesNotExist for an unknown id.
    """
    from guide.models import FaqCategory
    from macros import placeholders

    if str(reply_id) == DEFAULT_ID:
        answers = {c.code: c for c in FaqCategory.objects.all()}

        def default(ticket):
            category = answers.get(ticket.category)
            body = category.answer_for(ticket.route) if category else ticket.reply_text
            return placeholders.fill(body, ticket)

        return default
    reply = CannedReply.objects.get(pk=int(reply_id), active=True)
    return reply.fill
