from django import template

from tickets.roles import is_desk

register = template.Library()


@register.filter
def may_create_tickets(user) -> bool:
    """For the nav link: the same rule as the intake page (desk staff). The
    user's groups are read once per request (tickets.roles), where
    `perms.tickets.add_ticket` cost two permission queries on every page."""
    return is_desk(user)
