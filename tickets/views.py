"""Views parse, call a service or selector, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2 import LazyPaginator, RequestConfig

from guide.triage import suggest
from macros import selectors as macros
from tickets import exports, roles, selectors, services
from tickets.filters import OPEN, TicketFilter
from tickets.forms import AnswerForm, CorrectForm, EscalateForm, IntakeForm, MergeForm, NoteForm
from tickets.models import Status
from tickets.tables import TicketTable

PAGE_SIZE = 50


def ticket_list(request):
    data = request.GET
    if not data and roles.is_desk(request.user):
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
    filterset = TicketFilter(
        data,
        queryset=selectors.ticket_list(request.user),
        request=request,
        category_choices=selectors.category_choices(titles),
    )
    qs = filterset.qs if filterset.is_valid() else selectors.ticket_list(request.user).none()
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        name = f"tickets-{timezone.localdate():%Y%m%d}"
        return exports.response(request, qs, export, name, titles)
    table = TicketTable(qs, category_titles=titles)
    # LazyPaginator: no COUNT(*) over a million rows, just "is there a next page".
    RequestConfig(
        request, paginate={"per_page": PAGE_SIZE, "paginator_class": LazyPaginator}
    ).configure(table)
    params = {k: v for k, v in data.items() if v and k not in ("page", "export")}
    query = urlencode(params)
    return render(
        request,
        "tickets/list.html",
        {
            "filter": filterset,
            "table": table,
            "is_desk": roles.is_desk(request.user),
            "college": roles.college_of(request.user),
            "mine": data.get("assignee") == "me" and data.get("status") == OPEN,
            "export_query": query,
        },
    )


def ticket_new(request):
    if not roles.is_desk(request.user):
        raise PermissionDenied
    choices = selectors.category_choices()
    form = IntakeForm(request.POST or None, category_choices=choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if request.POST.get("accept"):
            d["category"] = d["route"] = ""
        try:
            ticket = services.ticket_create(
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
    if not roles.is_desk(request.user):
        raise PermissionDenied
    text = request.POST.get("text", "").strip()[: services.TEXT_MAX_LENGTH]
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
    from guide.models import Route

    data["route_label"] = (
        str(Route(suggestion.route).label) if suggestion.route in Route.values else suggestion.route
    )
    return JsonResponse({"suggestion": data, "duplicates": duplicates})


def ticket_detail(request, pk):
    ticket = selectors.ticket_detail(request.user, pk)
    desk = roles.is_desk(request.user)
    choices = selectors.category_choices()
    titles = dict(choices)
    ctx = {
        "ticket": ticket,
        "is_desk": desk,
        # Full phone numbers only on this page and only for desk staff.
        "phone": ticket.contact_phone if desk else ticket.masked_phone,
        "timeline": selectors.ticket_timeline(ticket),
        "category_title": titles.get(ticket.category, ticket.category),
        "also_titles": [titles.get(code, code) for code in ticket.also or []],
        "suggested_category_title": titles.get(
            ticket.suggested_category, ticket.suggested_category
        ),
        "suggested_route_label": _route_label(ticket.suggested_route),
        "can_comment": roles.can_comment(request.user, ticket),
        "can_resolve": roles.can_resolve(request.user, ticket)
        and Status.RESOLVED in services.TRANSITIONS[Status(ticket.status)],
        "info_phone": settings.INFO_CENTER_PHONE,
        "info_email": settings.INFO_CENTER_EMAIL,
        "history": selectors.candidate_history(request.user, ticket),
    }
    if desk:
        ctx.update(
            {
                "correct_form": CorrectForm(
                    initial={"category": ticket.category, "route": ticket.route},
                    category_choices=choices,
                ),
                "answer_form": AnswerForm(initial={"reply_text": ticket.reply_text}),
                "reply_choices": macros.choices_for(ticket),
                "escalate_form": EscalateForm(initial={"note": services.escalation_note(ticket)}),
                "allowed": {s.value for s in services.TRANSITIONS[Status(ticket.status)]},
                "duplicates": selectors.open_duplicates(
                    request.user,
                    candidate_number=ticket.candidate_number,
                    category=ticket.category,
                    exclude_id=ticket.pk,
                ),
            }
        )
    return render(request, "tickets/detail.html", ctx)


def _route_label(route):
    from guide.models import Route

    return Route(route).label if route in Route.values else route


def _answer(user, ticket, d):
    return services.ticket_answer(
        actor=user, ticket=ticket, reply_text=d["reply_text"], note=d["note"]
    )


def _escalate(user, ticket, d):
    return services.ticket_escalate(actor=user, ticket=ticket, note=d["note"])


def _refer(user, ticket, d):
    return services.ticket_refer(actor=user, ticket=ticket, note=d["note"])


def _resolve(user, ticket, d):
    return services.ticket_resolve(actor=user, ticket=ticket, note=d["note"])


def _close(user, ticket, d):
    return services.ticket_close(actor=user, ticket=ticket, note=d["note"])


def _reopen(user, ticket, d):
    return services.ticket_reopen(actor=user, ticket=ticket, note=d["note"])


def _comment(user, ticket, d):
    return services.ticket_comment(actor=user, ticket=ticket, note=d["note"])


def _correct(user, ticket, d):
    return services.ticket_correct(
        actor=user, ticket=ticket, category=d["category"], route=d["route"], note=d["note"]
    )


def _assign_me(user, ticket, d):
    return services.ticket_assign(actor=user, ticket=ticket, assignee=user)


def _merge(user, ticket, d):
    from tickets import merging

    into = selectors.ticket_detail(user, d["into"])  # another college's ticket: 404
    return merging.ticket_merge(actor=user, source=ticket, into=into, note=d["note"])


# action in the URL -> (form that parses the POST, service call, success message)
ACTIONS = {
    "answer": (AnswerForm, _answer, gettext_lazy("已标记为已答复。")),
    "escalate": (EscalateForm, _escalate, gettext_lazy("已升级至信息中心，邮件已排队发送。")),
    "refer": (NoteForm, _refer, gettext_lazy("已转学院招生老师，已通知。")),
    "resolve": (NoteForm, _resolve, gettext_lazy("工单已解决。")),
    "close": (NoteForm, _close, gettext_lazy("工单已关闭。")),
    "reopen": (NoteForm, _reopen, gettext_lazy("工单已重新打开。")),
    "comment": (NoteForm, _comment, gettext_lazy("备注已添加。")),
    "correct": (CorrectForm, _correct, gettext_lazy("分类已更正。")),
    "assign_me": (NoteForm, _assign_me, gettext_lazy("已指派给我。")),
    "merge": (MergeForm, _merge, gettext_lazy("工单已合并。")),
}


@require_POST
def ticket_action(request, pk, action):
    ticket = selectors.ticket_detail(request.user, pk)
    if action not in ACTIONS:
        raise PermissionDenied
    form_class, run, done = ACTIONS[action]
    form = form_class(request.POST)
    if not form.is_valid():
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{' '.join(errs)}" if label else " ".join(errs))
        return HttpResponseRedirect(reverse("tickets:detail", args=[ticket.pk]))
    try:
        result = run(request.user, ticket, form.cleaned_data)
    except ValidationError as exc:
        for msg in exc.messages:
            messages.error(request, msg)
    else:
        messages.success(request, done)
        if action == "refer" and not services.college_teachers(ticket.college).exists():
            messages.warning(
                request, _("该学院还没有招生老师账号，没有人收到通知：请另行联系学院。")
            )
        if action == "merge":
            return HttpResponseRedirect(result.get_absolute_url())
    return HttpResponseRedirect(reverse("tickets:detail", args=[ticket.pk]))
