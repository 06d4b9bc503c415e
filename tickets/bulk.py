"""Bulk actions on the list: one action over many tickets.

Each ticket is acted on by the same service a single ticket's page calls, in
its own transaction, so one refused ticket never undoes the others. A ticket
saved after the desk chose the selection (`as_of`) is skipped as changed
meanwhile rather than overwritten. Up to SYNC_LIMIT tickets run in the
request; more become a BulkJob a worker runs with a progress bar.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from guide.models import Route
from guide.validators import validate_category_code
from tickets import actions, roles
from tickets.models import BulkJob, Ticket
from tickets.selectors import visible_tickets
from tickets.validation import NOTE_MAX_LENGTH

START_JOB = "tickets.start_bulk_job"  # the outbox kind that starts a BulkJob
SYNC_LIMIT = 100
MAX_TICKETS = 20_000
EXAMPLES_KEPT = 20

ACTIONS = {
    "answer": gettext_lazy("用常用答复答复"),
    "resolve": gettext_lazy("解决"),
    "close": gettext_lazy("关闭"),
    "assign": gettext_lazy("指派"),
    "refer": gettext_lazy("转学院"),
    "correct": gettext_lazy("更正分类"),
    "merge": gettext_lazy("合并到"),
}


@dataclass
class Outcome:
    total: int = 0
    changed: int = 0
    skipped: Counter = field(default_factory=Counter)
    examples: list = field(default_factory=list)

    def skip(self, ticket_id, reason):
        self.skipped[reason] += 1
        if len(self.examples) < EXAMPLES_KEPT:
            self.examples.append([ticket_id, reason])

    def as_dict(self):
        return {
            "total": self.total,
            "changed": self.changed,
            "skipped": sum(self.skipped.values()),
            "skipped_reasons": dict(self.skipped),
            "skipped_examples": self.examples,
        }


def select_ids(actor, *, ids=None, filter_data=None, request=None) -> list[int]:
    """The visible tickets chosen by id, or all that match the list's filter."""
    from tickets.filters import TicketFilter

    qs = visible_tickets(actor)
    if ids:
        qs = qs.filter(pk__in=ids)
    else:
        filterset = TicketFilter(filter_data or {}, queryset=qs, request=request)
        if not filterset.is_valid():
            raise ValidationError(_("筛选条件无效。"))
        qs = filterset.qs
    chosen = list(qs.order_by("id").values_list("pk", flat=True)[: MAX_TICKETS + 1])
    if len(chosen) > MAX_TICKETS:
        raise ValidationError(_("一次最多处理 %(n)s 个工单，请缩小筛选范围。") % {"n": MAX_TICKETS})
    return chosen


def check_params(actor, action, params) -> dict:
    """Validate and authorise the action once, before any ticket is touched.

    Returns JSON-safe parameters (stored on a BulkJob as they are).
    """
    if not roles.is_desk(actor):
        raise PermissionDenied(_("只有服务台人员可以执行批量操作。"))
    if action not in ACTIONS:
        raise ValidationError({"action": [_("未知操作：%(v)s") % {"v": action}]})
    note = (params.get("note") or "").strip()[:NOTE_MAX_LENGTH]
    clean = {"note": note}
    if action == "answer":
        from macros.models import CannedReply
        from macros.selectors import DEFAULT_ID

        reply_id = str(params.get("reply_id") or DEFAULT_ID)
        if reply_id != DEFAULT_ID and not (
            reply_id.isdigit() and CannedReply.objects.filter(pk=reply_id, active=True).exists()
        ):
            raise ValidationError({"reply_id": [_("未知的常用答复。")]})
        clean.update(reply_id=reply_id, resolve=bool(params.get("resolve")))
    elif action == "assign":
        assignee = params.get("assignee") or ""
        if assignee == "me":
            clean["assignee"] = actor.pk
        else:
            user = get_user_model().objects.filter(username=assignee, is_active=True).first()
            if user is None or not roles.is_desk(user):
                raise ValidationError({"assignee": [_("请选择一位服务台人员。")]})
            clean["assignee"] = user.pk
    elif action == "correct":
        try:
            validate_category_code(params.get("category") or "")
        except ValidationError:
            raise ValidationError({"category": [_("请选择问题分类。")]}) from None
        if params.get("route") not in Route.values:
            raise ValidationError({"route": [_("请选择处理方式。")]})
        clean.update(category=params["category"], route=params["route"])
    elif action == "merge":
        into = params.get("into")
        if not visible_tickets(actor).filter(pk=into).exists():
            raise ValidationError({"into": [_("目标工单不存在。")]})
        clean["into"] = int(into)
    return clean


class _Skip(Exception):
    pass


def _runner(actor, action, params):
    """(ticket) -> None: the one service call of this action, or _Skip."""
    note = params.get("note", "")
    if action == "answer":
        from macros.selectors import resolver

        fill = resolver(params["reply_id"])

        def answer(ticket):
            actions.perform(
                "answer", actor=actor, ticket=ticket, reply_text=fill(ticket), note=note
            )
            if params.get("resolve"):
                actions.perform("resolve", actor=actor, ticket=ticket, note=note)

        return answer
    if action == "resolve":
        return lambda t: actions.perform("resolve", actor=actor, ticket=t, note=note)
    if action == "close":
        return lambda t: actions.perform("close", actor=actor, ticket=t, note=note)
    if action == "refer":
        return lambda t: actions.perform("refer", actor=actor, ticket=t, note=note)
    if action == "assign":
        assignee = get_user_model().objects.get(pk=params["assignee"])

        def assign(ticket):
            if ticket.assignee_id == assignee.pk:
                raise _Skip(_("已指派给该人员"))
            cleaned = actions.check_assign(actor, ticket, assignee=assignee)
            actions.do_assign(actor, ticket, **cleaned)

        return assign
    if action == "correct":

        def correct(ticket):
            if (ticket.category, ticket.route) == (params["category"], params["route"]):
                raise _Skip(_("分类已是所选值"))
            actions.perform(
                "correct",
                actor=actor,
                ticket=ticket,
                category=params["category"],
                route=params["route"],
                note=note,
            )

        return correct
    if action == "merge":
        from tickets import merging

        into = Ticket.objects.get(pk=params["into"])

        def merge(ticket):
            if ticket.pk == into.pk:
                raise _Skip(_("目标工单本身"))
            merging.ticket_merge(actor=actor, source=ticket, into=into, note=note)

        return merge
    raise ValueError(action)


SKIPPABLE = (ObjectDoesNotExist, _Skip, ValidationError, PermissionDenied)


def _act(actor, run, ticket_id, as_of):
    """Act on one ticket, in the caller's transaction; raises one of SKIPPABLE."""
    ticket = visible_tickets(actor).select_for_update(of=("self",)).get(pk=ticket_id)
    if ticket.updated_at > as_of:
        raise _Skip(_("工单已被他人更新"))
    run(ticket)


def _reason(exc) -> str:
    if isinstance(exc, ObjectDoesNotExist):
        return _("工单不存在或无权查看")
    if isinstance(exc, _Skip):
        return str(exc)
    messages = getattr(exc, "messages", None) or [str(exc)]
    return " ".join(str(m) for m in messages)


def _apply_one(actor, run, ticket_id, as_of):
    """Act on one ticket in its own transaction; the reason it was skipped, or None."""
    try:
        with transaction.atomic():
            _act(actor, run, ticket_id, as_of)
    except SKIPPABLE as exc:
        return _reason(exc)
    return None


def apply(*, actor, ticket_ids, action, params, as_of=None) -> Outcome:
    """Run the action over the tickets in this process (the synchronous path)."""
    params = check_params(actor, action, params)
    run = _runner(actor, action, params)
    as_of = as_of or timezone.now()
    outcome = Outcome(total=len(ticket_ids))
    for ticket_id in ticket_ids:
        reason = _apply_one(actor, run, ticket_id, as_of)
        if reason is None:
            outcome.changed += 1
        else:
            outcome.skip(ticket_id, reason)
    return outcome


def job_create(*, actor, ticket_ids, action, params, as_of=None) -> BulkJob:
    """Queue the action as a background job (validated now, run by a worker)."""
    from outbox.services import enqueue

    params = check_params(actor, action, params)
    with transaction.atomic():
        job = BulkJob.objects.create(
            actor=actor,
            action=action,
            params=params,
            ticket_ids=list(ticket_ids),
            total=len(ticket_ids),
            as_of=as_of or timezone.now(),
        )
        enqueue(START_JOB, {"job_id": job.pk})
    return job


def run_job(job_id) -> BulkJob:
    """Run (or resume after `done`) one job; each ticket commits with the job's progress."""
    job = BulkJob.objects.select_related("actor").get(pk=job_id)
    claimed = BulkJob.objects.filter(
        pk=job.pk, state__in=[BulkJob.State.PENDING, BulkJob.State.FAILED]
    ).update(state=BulkJob.State.RUNNING, failure="")
    if not claimed:
        return job
    actor = job.actor
    outcome = Outcome(
        total=job.total,
        changed=job.changed,
        skipped=Counter(job.skipped),
        examples=list(job.skipped_examples),
    )
    try:
        run = _runner(actor, job.action, job.params)
        for index in range(job.done, job.total):
            ticket_id = job.ticket_ids[index]
            try:
                # The ticket's transaction carries the job's progress: a crash
                # resumes exactly after the last ticket acted on.
                with transaction.atomic():
                    _act(actor, run, ticket_id, job.as_of)
                    _progress(job, index + 1, outcome, changed=outcome.changed + 1)
                outcome.changed += 1
            except SKIPPABLE as exc:
                outcome.skip(ticket_id, _reason(exc))
                _progress(job, index + 1, outcome)
    except Exception as exc:
        BulkJob.objects.filter(pk=job.pk).update(
            state=BulkJob.State.FAILED, failure=type(exc).__name__, finished_at=timezone.now()
        )
        raise
    BulkJob.objects.filter(pk=job.pk).update(state=BulkJob.State.DONE, finished_at=timezone.now())
    job.refresh_from_db()
    return job


def _progress(job, done, outcome, changed=None):
    BulkJob.objects.filter(pk=job.pk).update(
        done=done,
        changed=outcome.changed if changed is None else changed,
        skipped=dict(outcome.skipped),
        skipped_examples=outcome.examples,
        updated_at=timezone.now(),
    )


def job_summary(job) -> dict:
    return {
        "id": job.pk,
        "state": job.state,
        "total": job.total,
        "done": job.done,
        "percent": job.percent,
        "changed": job.changed,
        "skipped": sum(job.skipped.values()),
        "skipped_reasons": job.skipped,
        "skipped_examples": job.skipped_examples,
    }
