"""The desk's pages beyond one ticket: home with the counts, similar groups,
bulk actions from the list and their progress."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tickets import bulk, due, roles, selectors, similar
from tickets.models import OPEN_STATUSES, BulkJob, Status

BULK_FIELDS = ("reply_id", "note", "assignee", "category", "route", "into")


def _require_desk(user):
    if not roles.is_desk(user):
        raise PermissionDenied


def desk_home(request):
    _require_desk(request.user)
    visible = selectors.visible_tickets(request.user)
    counts = [
        (
            _("我的未结"),
            visible.filter(assignee=request.user, status__in=OPEN_STATUSES).count(),
            "assignee=me&status=open",
        ),
        (
            _("未指派的新工单"),
            visible.filter(status=Status.NEW, assignee__isnull=True).count(),
            "status=new&assignee=none",
        ),
        (
            _("超时未答复的升级"),
            visible.filter(due.overdue_q(), status=Status.ESCALATED).count(),
            "status=escalated&due=overdue",
        ),
        (
            _("转学院待处理"),
            visible.filter(status=Status.REFERRED).count(),
            "status=referred",
        ),
        (_("全部超时"), visible.filter(due.overdue_q()).count(), "status=open&due=overdue"),
    ]
    return render(
        request,
        "tickets/desk_home.html",
        {
            "counts": counts,
            "groups": similar.groups(request.user, limit=5, with_phrasings=False),
        },
    )


def similar_groups(request):
    _require_desk(request.user)
    from macros.models import CannedReply
    from macros.selectors import DEFAULT_ID

    groups = similar.groups(request.user)
    replies = {}
    for reply in CannedReply.objects.filter(active=True):
        replies.setdefault(reply.category, []).append(reply)
    rows = [(g, replies.get(g.category, [])) for g in groups]
    return render(
        request,
        "tickets/similar.html",
        {
            "rows": rows,
            "default_reply": DEFAULT_ID,
            "as_of": timezone.now().isoformat(),
        },
    )


def _summary(outcome):
    text = _("已处理 %(changed)s 个工单。") % {"changed": outcome.changed}
    if outcome.skipped:
        reasons = "；".join(f"{reason} × {n}" for reason, n in outcome.skipped.most_common())
        text += " " + _("跳过 %(n)s 个：%(reasons)s") % {
            "n": sum(outcome.skipped.values()),
            "reasons": reasons,
        }
    return text


@require_POST
def bulk_action(request):
    _require_desk(request.user)
    query = request.POST.get("query", "")
    back = reverse(request.POST.get("back") or "tickets:list") + (f"?{query}" if query else "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    all_matching = bool(request.POST.get("all_matching"))
    if not ids and not all_matching:
        messages.error(request, _("请先勾选工单。"))
        return HttpResponseRedirect(back)
    action = request.POST.get("action", "")
    params = {k: request.POST.get(k, "") for k in BULK_FIELDS if request.POST.get(k)}
    params["resolve"] = bool(request.POST.get("resolve"))
    as_of = parse_datetime(request.POST.get("as_of", "")) or timezone.now()
    try:
        chosen = bulk.select_ids(
            request.user,
            ids=None if all_matching else ids,
            filter_data=QueryDict(query),
            request=request,
        )
        if len(chosen) > bulk.SYNC_LIMIT:
            job = bulk.job_create(
                actor=request.user, ticket_ids=chosen, action=action, params=params, as_of=as_of
            )
            return redirect("tickets:bulk-job", job.pk)
        outcome = bulk.apply(
            actor=request.user, ticket_ids=chosen, action=action, params=params, as_of=as_of
        )
    except (ValidationError, PermissionDenied) as exc:
        for message in getattr(exc, "messages", [str(exc)]):
            messages.error(request, message)
    else:
        (messages.success if not outcome.skipped else messages.warning)(request, _summary(outcome))
    return HttpResponseRedirect(back)


def bulk_job(request, pk):
    _require_desk(request.user)
    job = get_object_or_404(BulkJob, pk=pk)
    return render(
        request,
        "tickets/bulk_job.html",
        {"job": job, "action_label": bulk.ACTIONS.get(job.action, job.action)},
    )


def bulk_job_progress(request, pk):
    _require_desk(request.user)
    return JsonResponse(bulk.job_summary(get_object_or_404(BulkJob, pk=pk)))
