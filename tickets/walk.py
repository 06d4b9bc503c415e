"""Next and previous on the ticket page: the list the desk came from.

The list page leaves its filter in a cookie of the browser (signed, and valid
only for the session that set it: a new login, or another user of the same
browser, starts without it); the ticket page walks that list in its default
order, newest first. In the session, every list whose filter differed from the
last one wrote the session row again (some 2 ms of a worker's CPU and an
UPDATE per list page when the desk switches between views).
"""

from django.conf import settings
from django.db.models import Q
from django.http import QueryDict

from tickets.filters import TicketFilter
from tickets.selectors import visible_tickets

LIST_COOKIE = "ticket_list"
LIST_COOKIE_PATH = "/tickets/"  # the list and the ticket pages; no other request carries it


def _salt(request) -> str:
    return f"tickets.walk:{request.session.session_key}"


def remember(request, response, query: str) -> None:
    """The list `query` for the ticket pages that follow (a cookie on `response`)."""
    if request.session.session_key is None or current_query(request) == query:
        return
    response.set_signed_cookie(
        LIST_COOKIE,
        query,
        salt=_salt(request),
        max_age=settings.SESSION_COOKIE_AGE,
        path=LIST_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def current_query(request):
    """The query of the list this session saw last, or None."""
    if request.session.session_key is None:
        return None
    return request.get_signed_cookie(LIST_COOKIE, default=None, salt=_salt(request))


def neighbours(user, ticket, query: str, request=None, category_choices=None):
    """(previous, next) ticket ids of `ticket` in the list the desk came from,
    in the list's default order (newest first); None at either end."""
    # category_choices: the page's own (otherwise the filter reads them again)
    filterset = TicketFilter(
        QueryDict(query),
        queryset=visible_tickets(user),
        request=request,
        category_choices=category_choices,
    )
    if not filterset.is_valid():
        return None, None
    qs = filterset.qs
    at, pk = ticket.created_at, ticket.pk
    # The plain bound (created_at >= at) is what lets the created_at index seek
    # to the ticket; the OR alone made PostgreSQL read the index from its end
    # and filter (80 ms at a million tickets, for a ticket half-way down).
    newer = qs.filter(Q(created_at__gt=at) | Q(created_at=at, pk__gt=pk), created_at__gte=at)
    older = qs.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk), created_at__lte=at)
    previous = newer.order_by("created_at", "id").values_list("pk", flat=True).first()
    following = older.order_by("-created_at", "-id").values_list("pk", flat=True).first()
    return previous, following
