from django import template

from tickets.roles import is_desk

register = template.Library()


@register.filter
def may_import(user) -> bool:
    """For the nav link: the same rule as the import pages (desk staff)."""
    return is_desk(user)
