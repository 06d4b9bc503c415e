from django import template

from inbox.status import may_see

register = template.Library()


@register.filter
def sees_channels(user) -> bool:
    """For the nav link: the same rule as the channel status page."""
    return may_see(user)
