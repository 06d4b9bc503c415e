"""Views parse, call a service or selector, render."""

from html import escape as _esc

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import PageNotAnInteger
from django.db.models import Value
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import LazyPaginator, RequestConfig

from guide.models import Route
from guide.triage import suggest
from macros import selectors as macros
from tickets import actions, exports, merging, notifications, roles, selectors, versioning, walk
from tickets.filters import OPEN, TicketFilter
from tickets.forms import AnswerForm, CorrectForm, EscalateForm, IntakeForm, MergeForm, NoteForm
from tickets.models import Status
from tickets.permissions import ADD, RESOLVE, SEE_CONTACT, WORK
from tickets.tables import TicketTable
from tickets.validation import TEXT_MAX_LENGTH

PAGE_SIZE = 50
# Past this page the OFFSET overflows the database's integer (a 500); no one
# pages that far through 50-row pages.
MAX_PAGE = 100_000


MAX_PER_PAGE = 200


class BoundedLazyPaginator(LazyPaginator):
    """A page number past MAX_PAGE is no page number: django-tables2 shows page 1;
    ?per_page= (read by django-tables2) is kept within 1..MAX_PER_PAGE."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)

    def validate_number(self, number):
        number = super().validate_number(number)
        if number > MAX_PAGE:
            raise PageNotAnInteger(_("页码过大。"))
        return number


COUNT_CAP = 1_000


def _bulk_bar(user, qs, categories):
    """What the list's bulk bar offers. The match count reads at most COUNT_CAP
    ids (no COUNT over a million rows); beyond it the bar says "1000+". The
    <option>s are written here, one string per <select>, not a template node
    per option."""
    from macros.models import CannedReply
    from tickets import bulk

    # A constant per row, not the id: no column outside the filter's index is
    # read, so PostgreSQL counts from the index alone (college & status at 1M:
    # 11 -> 0.3 ms, no heap), and the worker decodes a small int per row
    # (selecting created_at, also in every index, cost it 3 ms per 1,000 rows).
    ones = qs.order_by().annotate(one=Value(1)).values_list("one", flat=True)
    matching = len(ones[: COUNT_CAP + 1])
    replies = CannedReply.objects.filter(active=True).values_list("pk", "name", "category")
    return {
        "as_of": timezone.now().isoformat(),
        "matching": f"{COUNT_CAP}+" if matching > COUNT_CAP else matching,
        "action_options": _options(bulk.ACTIONS.items()),
        "reply_options": _options((pk, f"{name} ({code})") for pk, name, code in replies),
        "category_options": _options(categories),
        "route_options": _options(Route.choices),
        "sync_limit": bulk.SYNC_LIMIT,
    }


def _options(choices):
    """= {% for value, label in choices %}
    <option value="{{ value }}">{{ label }}</option>{% endfor %} (no whitespace)"""
    return mark_safe(
        "".join(
            f'<option value="{_esc(str(value))}">{_esc(str(label))}</option>'
            for value, label in choices
        )
    )


def ticket_list(request):
    data = request.GET
    if not data and request.user.has_perm(WORK):
        # Desk staff start on their own open tickets.
        data = {"assignee": "me", "status": OPEN}
    elif not data and roles.is_teacher(request.user):
        # A teacher starts on what the desk referred to their college.
        data = {"status": Status.REFERRED.value}
    elif not data and roles.has_role(request.user, roles.REPORT_VIEWER):
        # Report viewers see no tickets; their start page is the weekly report.
        try:
            return redirect(reverse("reports:report"))
        except NoReverseMatch:
            pass
    titles = selectors.category_titles()
    categories = selectors.category_choices(titles)
    filterset = TicketFilter(
        data,
        queryset=selectors.ticket_list(request.user),
        request=request,
        category_choices=categories,
    )
    valid = filterset.is_valid()
    qs = filterset.qs if valid else selectors.ticket_list(request.user).none()
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        name = f"tickets-{timezone.localdate():%Y%m%d}"
        return exports.response(request, qs, export, name, titles)
    desk = roles.is_desk(request.user)
    table = TicketTable(qs, category_titles=titles, exclude=() if desk else ("select",))
    # LazyPaginator: no COUNT(*) over a million rows, just "is there a next page".
    RequestConfig(
        request, paginate={"per_page": PAGE_SIZE, "paginator_class": BoundedLazyPaginator}
    ).configure(table)
    params = {k: v for k, v in data.items() if v and k not in ("page", "export")}
    query = urlencode(params)
    response = render(
        request,
        "tickets/list.html",
        {
            "filter": filterset,
            "table": table,
            "is_desk": request.user.has_perm(WORK),
            "college": roles.college_of(request.user),
            "mine": data.get("assignee") == "me" and data.get("status") == OPEN,
            "export_query": query,
            "bulk": _bulk_bar(request.user, filterset.count_qs if valid else qs, categories)
            if desk
            else None,
        },
    )
    walk.remember(request, response, query)  # the ticket page's next/previous walk this list
    return response


def ticket_new(request):
    if not request.user.has_perm(ADD):
        raise PermissionDenied
    choices = selectors.category_choices()
    form = IntakeForm(request.POST or None, category_choices=choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if request.POST.get("accept"):
            d["category"] = d["route"] = ""
        try:
            ticket = actions.create_ticket(
                actor=request.user,
                text=d["text"],
                channel=d["channel"],
                candidate_number=d["candidate_number"],
                candidate_name=d["candidate_name"],
                college=d["college"],
                contact_phone=d["contact_phone"],
                contact_email=d["contact_email"],
                contact_wechat=d["contact_wechat"],
                category=d["category"] or None,
                route=d["route"] or None,
                assignee=request.user,
            )
        except ValidationError as exc:
            for field, errs in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errs)
        else:
            if getattr(ticket, "appended", False):
                messages.info(
                    request,
                    format_html(
                        _('该考生已有同类工单 <a href="{}">#{}</a>，本条消息已并入{}。'),
                        ticket.get_absolute_url(),
                        ticket.pk,
                        _("并重新打开") if ticket.reopened else "",
                    ),
                )
            for dup in selectors.open_duplicates(
                request.user,
                candidate_number=ticket.candidate_number,
                category=ticket.category,
                exclude_id=ticket.pk,
            ):
                messages.warning(
                    request,
                    format_html(
                        _('该考生已有同类未结工单 <a href="{}">#{}</a>。'),
                        dup.get_absolute_url(),
                        dup.pk,
                    ),
                )
            if not getattr(ticket, "appended", False):
                messages.success(
                    request,
                    format_html(
                        _('工单 <a href="{}">#{}</a> 已创建。'),
                        ticket.get_absolute_url(),
                        ticket.pk,
                    ),
                )
            if request.POST.get("and_next"):
                # Save and next: an empty form, the cursor in the text box.
                return redirect(reverse("tickets:new") + "?next=1")
            return redirect(ticket)
    and_next = request.POST.get("and_next") or request.GET.get("next")
    return render(request, "tickets/new.html", {"form": form, "and_next": and_next})


@require_POST
def ticket_suggest(request):
    """The intake page's live suggestion (JSON); saves nothing."""
    if not request.user.has_perm(ADD):
        raise PermissionDenied
    text = request.POST.get("text", "").strip()[:TEXT_MAX_LENGTH]
    if not text:
        return JsonResponse({"suggestion": None, "duplicates": []})
    suggestion = suggest(text)
    titles = selectors.category_titles()
    number = request.POST.get("candidate_number", "").strip()
    duplicates = [
        {"id": t.pk, "url": t.get_absolute_url(), "status": t.get_status_display()}
        for t in selectors.open_duplicates(
            request.user, candidate_number=number, category=suggestion.category
        )
    ]
    data = suggestion.as_dict()
    data["category_title"] = titles.get(suggestion.category, suggestion.category)
    data["route_label"] = str(_route_label(suggestion.route))
    data["abstains"] = _abstains(suggestion.category, suggestion.route)
    return JsonResponse({"suggestion": data, "duplicates": duplicates})


def _route_label(route):
    return Route(route).label if route in Route.values else route


def _abstains(category, route) -> bool:
    """The engine found no guide category: a person decides (no percentage to show)."""
    return category == "other" or route == Route.MANUAL


def ticket_detail(request, pk):
    ticket = selectors.ticket_detail(request.user, pk)
    user = request.user
    desk = user.has_perm(WORK, ticket)
    full_contact = user.has_perm(SEE_CONTACT, ticket)
    if full_contact and not desk and ticket.contact_phone:
        # A teacher reads a referred candidate's number: each view is on the timeline.
        actions.do_record_contact_view(user, ticket)
    rows = selectors.category_rows()  # the page's titles and the escalation note's
    choices = selectors.category_choices(selectors.category_titles(rows))
    titles = dict(choices)
    allowed = actions.allowed_targets(ticket)
    history = list(selectors.candidate_history(user, ticket))
    timeline = list(selectors.ticket_timeline(ticket))
    answerable = desk and Status.ANSWERED.value in allowed
    escalatable = desk and Status.ESCALATED.value in allowed
    ctx = {
        "ticket": ticket,
        "is_desk": desk,
        "phone": ticket.contact_phone if full_contact else ticket.masked_phone,
        "timeline": timeline,
        "category_title": titles.get(ticket.category, ticket.category),
        "also_titles": [titles.get(code, code) for code in ticket.also or []],
        "suggested_category_title": titles.get(
            ticket.suggested_category, ticket.suggested_category
        ),
        "suggested_route_label": _route_label(ticket.suggested_route),
        "suggestion_abstains": _abstains(ticket.suggested_category, ticket.suggested_route),
        "reply_category_title": titles.get(ticket.reply_category, ticket.reply_category),
        "reply_route_label": _route_label(ticket.reply_route),
        # The answer and escalation sections show only when the ticket may move
        # there: their texts (the category's answer, the canned replies filled
        # in, the case facts for the info-center) are not made otherwise.
        "answer_pending": answerable and actions.category_answer_pending(ticket),
        "can_comment": user.has_perm("tickets.comment_ticket", ticket),
        "can_resolve": user.has_perm(RESOLVE, ticket) and Status.RESOLVED in allowed,
        "info_phone": settings.INFO_CENTER_PHONE,
        "info_email": settings.INFO_CENTER_EMAIL,
        "history": history,
    }
    list_query = walk.current_query(request)
    if list_query is not None:
        ctx["list_query"] = list_query
        ctx["prev_id"], ctx["next_id"] = walk.neighbours(
            request.user, ticket, list_query, request=request, category_choices=choices
        )
    if desk:
        ctx.update(
            {
                "correct_form": CorrectForm(
                    initial={"category": ticket.category, "route": ticket.route},
                    category_choices=choices,
                ),
                "answer_form": AnswerForm(initial={"reply_text": ticket.reply_text}),
                "reply_choices": macros.choices_for(ticket) if answerable else [],
                "escalate_form": (
                    EscalateForm(
                        initial={
                            "note": notifications.escalation_note(
                                ticket, category_rows=rows, events=timeline
                            )
                        }
                    )
                    if escalatable
                    else None
                ),
                "allowed": allowed,
                "duplicates": _duplicates(user, ticket, history),
            }
        )
    return render(request, "tickets/detail.html", ctx)


def _duplicates(user, ticket, history):
    """The open tickets of the same candidate and category: from the history
    the page shows anyway when it is complete, else asked."""
    found = selectors.duplicates_in_history(ticket, history)
    if found is not None:
        return found
    return selectors.open_duplicates(
        user,
        candidate_number=ticket.candidate_number,
        category=ticket.category,
        exclude_id=ticket.pk,
    )


# action in the URL -> (form that parses the POST, success message)
ACTION_FORMS = {
    "answer": (AnswerForm, gettext_lazy("已标记为已答复。")),
    "escalate": (EscalateForm, gettext_lazy("已升级至信息中心，邮件已排队发送。")),
    "refer": (NoteForm, gettext_lazy("已转学院招生老师，已通知。")),
    "resolve": (NoteForm, gettext_lazy("工单已解决。")),
    "close": (NoteForm, gettext_lazy("工单已关闭。")),
    "reopen": (NoteForm, gettext_lazy("工单已重新打开。")),
    "comment": (NoteForm, gettext_lazy("备注已添加。")),
    "correct": (CorrectForm, gettext_lazy("分类已更正。")),
    "assign_me": (NoteForm, gettext_lazy("已指派给我。")),
    "take_answer": (NoteForm, gettext_lazy("答复已换为当前分类的答复。")),
    "merge": (MergeForm, gettext_lazy("工单已合并。")),
}


@require_POST
def ticket_action(request, pk, action):
    ticket = selectors.ticket_detail(request.user, pk)
    if action not in ACTION_FORMS:
        raise PermissionDenied
    form_class, done = ACTION_FORMS[action]
    versioning.expect(ticket, request.POST.get("version"))
    form = form_class(request.POST)
    back = HttpResponseRedirect(reverse("tickets:detail", args=[ticket.pk]))
    if not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errs)}" if label else " ".join(errs))
        return back
    try:
        # Stale before anything else: the desk needs "changed meanwhile", not
        # whatever rule the newer state breaks. Checked again under the row lock.
        versioning.check_current(ticket, ticket)
        if action == "merge":
            # Not a lifecycle action of the ticket: it moves into another one.
            into = selectors.ticket_detail(request.user, form.cleaned_data["into"])
            result = merging.ticket_merge(
                actor=request.user, source=ticket, into=into, note=form.cleaned_data["note"]
            )
        else:
            ticket = actions.perform(action, actor=request.user, ticket=ticket, **form.cleaned_data)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
        return back
    messages.success(request, done)
    if action == "merge":
        return HttpResponseRedirect(result.get_absolute_url())
    if action == "correct" and actions.category_answer_pending(ticket):
        messages.warning(
            request,
            _("答复已手动修改，未自动替换；可点击“采用当前分类的答复”换成新分类的答复。"),
        )
    if action == "refer" and not selectors.college_teachers(ticket.college).exists():
        messages.warning(request, _("该学院还没有招生老师账号，没有人收到通知：请另行联系学院。"))
    return back
