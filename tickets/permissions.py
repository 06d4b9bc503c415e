"""Who may do what with tickets: one set of rules (the `rules` library, an
object-permission backend) that views, templates and the API all ask through
`user.has_perm(name, ticket)` / `{% has_perm %}` / `perms.tickets.*`.

Which tickets a user sees at all is `tickets.selectors.visible_tickets`; these
rules decide what they may do with a ticket they see.
"""

import rules

from tickets import roles
from tickets.models import EventKind, Status

ADD = "tickets.add_ticket"  # intake, bulk import
WORK = "tickets.work_ticket"  # answer, escalate, refer, correct, assign, close, reopen
COMMENT = "tickets.comment_ticket"
RESOLVE = "tickets.resolve_ticket"
SEE_CONTACT = "tickets.see_full_contact"  # the candidate's full phone number


@rules.predicate
def is_desk(user) -> bool:
    return roles.is_desk(user)


@rules.predicate
def teaches_ticket_college(user, ticket) -> bool:
    college = roles.college_of(user)
    return ticket is not None and college is not None and ticket.college_id == college.pk


@rules.predicate
def is_referred(user, ticket) -> bool:
    return ticket is not None and ticket.status == Status.REFERRED


@rules.predicate
def was_referred(user, ticket) -> bool:
    """Referred to the college now or before (a teacher who resolved it may call back)."""
    if ticket is None:
        return False
    if ticket.status == Status.REFERRED:
        return True
    return ticket.events.filter(kind=EventKind.REFERRED).exists()


rules.add_perm(ADD, is_desk)
rules.add_perm(WORK, is_desk)
rules.add_perm(COMMENT, is_desk | teaches_ticket_college)
rules.add_perm(RESOLVE, is_desk | (teaches_ticket_college & is_referred))
rules.add_perm(SEE_CONTACT, is_desk | (teaches_ticket_college & was_referred))
