"""Every read of tickets that is more than a get starts here."""

from tickets.models import Ticket
from tickets.roles import college_of, is_desk


def visible_tickets(user):
    """The one place that decides who sees which tickets.

    Desk staff and admins: all. A college admissions teacher: their college's
    only. Anyone else: none. Pages, exports, the API and reports start from
    this, so a ticket outside it is a 404 everywhere.
    """
    if is_desk(user):
        return Ticket.objects.all()
    college = college_of(user)
    if college is not None:
        return Ticket.objects.filter(college=college)
    return Ticket.objects.none()
