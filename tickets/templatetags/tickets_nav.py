import rules
from django import template

from tickets.permissions import ADD

register = template.Library()


@register.filter
def may_create_tickets(user) -> bool:
    """For the nav links to intake and bulk import: the rule the pages apply
    (tickets.permissions), asked of the rules registry directly. Through
    `perms.tickets.add_ticket` a user without it also reached ModelBackend,
    two permission queries on every page."""
    return rules.has_perm(ADD, user)
