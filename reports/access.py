"""Which report a request gets. Who may see reports at all is the rules of
reports.permissions; here: a user who sees all (SEE_ALL) may pick any college's
version, a college admissions teacher gets their college's, and asking for
another college is a 404 (as for its tickets), never a hint that it exists.
Anyone else signed in gets a 403.
"""

import rules
from django.core.exceptions import PermissionDenied
from django.http import Http404

from reports.permissions import SEE, SEE_ALL
from tickets.models import College
from tickets.roles import college_of


# Asked of the rules registry directly (as the nav's ticket links are): through
# user.has_perm a user without the permission also reaches ModelBackend's queries.
def sees_all_reports(user) -> bool:
    return rules.has_perm(SEE_ALL, user)


def may_see_reports(user) -> bool:
    return rules.has_perm(SEE, user)


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
