"""Who may open which report: the one place that decides it.

Report viewers, desk staff and admins see the whole university and may pick
any college's version. A college admissions teacher sees only their college's
version; asking for another college is a 404 (as for its tickets), never a
hint that it exists. Anyone else signed in gets a 403.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tickets.models import College
from tickets.roles import REPORT_VIEWER, college_of, has_role, is_desk


def sees_all_reports(user) -> bool:
    return is_desk(user) or has_role(user, REPORT_VIEWER)


def may_see_reports(user) -> bool:
    return sees_all_reports(user) or college_of(user) is not None


def report_scope(user, college_code: str | None) -> College | None:
    """The college whose report `user` gets (None: the whole university)."""
    if sees_all_reports(user):
        if not college_code:
            return None
        try:
            return College.objects.get(code=college_code)
        except College.DoesNotExist:
            raise Http404("no such college") from None
    own = college_of(user)
    if own is None:
        raise PermissionDenied("reports are for report viewers, desk staff and admissions teachers")
    if college_code and college_code != own.code:
        raise Http404("no such report")
    return own
