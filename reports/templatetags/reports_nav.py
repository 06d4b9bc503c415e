from django import template

from reports.access import may_see_reports

register = template.Library()


@register.filter
def sees_reports(user) -> bool:
    """For the nav link: the same rule as the report pages."""
    return may_see_reports(user)
