"""Every write to a ticket, in the Zulip sense: `check_*` authorises and
validates (writes nothing, raises PermissionDenied or ValidationError, a
TransitionNotAllowed for a move the lifecycle forbids), `do_*` writes under
the row lock in one transaction and records the TicketEvent; mail leaves
after the commit (tickets.notifications.deliver).

The ticket page and the API run the same named actions through `perform`, so
both follow one set of rules.
"""

from dataclasses import dataclass
from typing import Any

from tickets.actions.base import (
    NOTE_MAX_LENGTH,
    TRANSITIONS,
    TransitionNotAllowed,
    allowed_targets,
)
from tickets.actions.correct import (
    category_answer_pending,
    check_correct,
    check_take_answer,
    do_correct,
    do_take_answer,
)
from tickets.actions.create import check_create_ticket, create_ticket, do_create_ticket
from tickets.actions.lifecycle import (
    check_answer,
    check_close,
    check_escalate,
    check_refer,
    check_reopen,
    check_resolve,
    do_answer,
    do_close,
    do_escalate,
    do_refer,
    do_reopen,
    do_resolve,
)
from tickets.actions.notes import (
    check_assign,
    check_comment,
    do_assign,
    do_comment,
    do_record_contact_view,
)


def _check_assign_me(actor, ticket):
    return check_assign(actor, ticket, assignee=actor)


@dataclass(frozen=True)
class Action:
    check: Any
    do: Any
    params: tuple[str, ...]


# name (in the page's URL and the API's `action`) -> what runs, and the parameters it takes
ACTIONS = {
    "answer": Action(check_answer, do_answer, ("reply_text", "note")),
    "escalate": Action(check_escalate, do_escalate, ("note", "tried")),
    "refer": Action(check_refer, do_refer, ("note",)),
    "comment": Action(check_comment, do_comment, ("note",)),
    "assign_me": Action(_check_assign_me, do_assign, ()),
    "resolve": Action(check_resolve, do_resolve, ("note",)),
    "close": Action(check_close, do_close, ("note",)),
    "reopen": Action(check_reopen, do_reopen, ("note",)),
    "correct": Action(check_correct, do_correct, ("category", "route", "note")),
    "take_answer": Action(check_take_answer, do_take_answer, ()),
}


def perform(name, *, actor, ticket, **params):
    """Run the named action: check, then do. Parameters it does not take are ignored."""
    action = ACTIONS[name]
    cleaned = action.check(actor, ticket, **{k: params[k] for k in action.params if k in params})
    return action.do(actor, ticket, **cleaned)


__all__ = [
    "ACTIONS",
    "NOTE_MAX_LENGTH",
    "TRANSITIONS",
    "Action",
    "TransitionNotAllowed",
    "allowed_targets",
    "category_answer_pending",
    "check_answer",
    "check_assign",
    "check_close",
    "check_comment",
    "check_correct",
    "check_create_ticket",
    "check_escalate",
    "check_refer",
    "check_reopen",
    "check_resolve",
    "check_take_answer",
    "create_ticket",
    "do_answer",
    "do_assign",
    "do_close",
    "do_comment",
    "do_correct",
    "do_create_ticket",
    "do_escalate",
    "do_record_contact_view",
    "do_refer",
    "do_reopen",
    "do_resolve",
    "do_take_answer",
    "perform",
]
