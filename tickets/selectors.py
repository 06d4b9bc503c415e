"""Every read of tickets that is more than a get starts here."""

import re
import unicodedata

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from guide.models import FaqCategory
from tickets.models import OPEN_STATUSES, College, Ticket
from tickets.roles import COLLEGE_TEACHER, college_of, is_desk


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


def ticket_list(user):
    """The list's rows: visible tickets with what each row shows, in one query."""
    return visible_tickets(user).select_related("college", "assignee")


def ticket_detail(user, pk):
    """One visible ticket, or Http404: another college's ticket does not exist."""
    return get_object_or_404(
        visible_tickets(user).select_related("college", "assignee", "created_by"), pk=pk
    )


def ticket_timeline(ticket):
    return ticket.events.select_related("actor").order_by("created_at", "id")


def open_duplicates(user, *, candidate_number, category, exclude_id=None):
    """Open tickets of the same candidate in the same category (a warning, not a block)."""
    if not candidate_number or not category:
        return Ticket.objects.none()
    qs = visible_tickets(user).filter(
        candidate_number=candidate_number, category=category, status__in=OPEN_STATUSES
    )
    if exclude_id:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("-created_at")[:DUPLICATES_SHOWN]


DUPLICATES_SHOWN = 5
HISTORY_SHOWN = 20


def duplicates_in_history(ticket, history, limit=HISTORY_SHOWN):
    """open_duplicates of `ticket` read from its candidate_history rows when
    those are all of them (fewer than `limit`): the same tickets, visible to
    the same user, without a query of their own. None when the history was cut
    short (then ask open_duplicates)."""
    if len(history) >= limit:
        return None
    if not ticket.candidate_number or not ticket.category:
        return []
    return [
        other
        for other in history
        if other.candidate_number == ticket.candidate_number
        and other.category == ticket.category
        and other.status in OPEN_STATUSES
    ][:DUPLICATES_SHOWN]


def candidate_history(user, ticket, limit=HISTORY_SHOWN):
    """The same candidate's other visible tickets, newest first: matched by
    candidate number, phone or email, whichever the ticket has. The rows carry
    what the page shows of them and what duplicates_in_history compares."""
    match = Q()
    if ticket.candidate_number:
        match |= Q(candidate_number=ticket.candidate_number)
    if ticket.contact_phone:
        match |= Q(contact_phone=ticket.contact_phone)
    if ticket.contact_email:
        match |= Q(contact_email__iexact=ticket.contact_email)
    if not match:
        return Ticket.objects.none()
    return (
        visible_tickets(user)
        .filter(match)
        .exclude(pk=ticket.pk)
        .only("id", "created_at", "status", "candidate_number", "category")
        .order_by("-created_at", "-id")
    )[:limit]


def category_rows() -> list[tuple[str, str, str]]:
    """(code, title, English title) of the categories in the guide's order,
    one query: category_titles(rows) in each language without asking again."""
    return list(FaqCategory.objects.in_guide_order().values_list("code", "title", "title_en"))


def category_titles(rows=None) -> dict:
    """code -> title of the categories in the guide's order, in the active
    language; one query unless given category_rows()."""
    english = (get_language() or "").startswith("en")
    rows = category_rows() if rows is None else rows
    return {code: (title_en if english and title_en else title) for code, title, title_en in rows}


def category_choices(titles=None):
    titles = category_titles() if titles is None else titles
    return [(code, f"{title}") for code, title in titles.items()]


def college_teachers(college):
    """The active admissions teachers of a college: who a referral and the
    college's weekly report go to."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=COLLEGE_TEACHER, desk_profile__college=college)
        .distinct()
    )


def college_teacher_emails(college) -> list[str]:
    return sorted(set(college_teachers(college).exclude(email="").values_list("email", flat=True)))


def college_key(value: str) -> str:
    """How a college is written, folded: full-width forms, case and spaces do not count."""
    return unicodedata.normalize("NFKC", value or "").strip().lower()


def college_aliases() -> dict[str, tuple[int, str]]:
    """Every way a college may be written (code, name, English name, the name
    without its bracketed second name), folded -> (id, code). One query; the
    importer asks it once per file."""
    lookup = {}
    for pk, code, name, name_en in College.objects.values_list("id", "code", "name", "name_en"):
        for alias in (code, name, name_en, re.sub(r"[（(].*?[）)]", "", name)):
            if alias:
                lookup[college_key(alias)] = (pk, code)
    return lookup


def resolve_college(value: str, aliases=None) -> College | None:
    """The college written as `value` (its code or name, see college_aliases), or None."""
    found = (college_aliases() if aliases is None else aliases).get(college_key(value))
    return College.objects.get(pk=found[0]) if found else None
