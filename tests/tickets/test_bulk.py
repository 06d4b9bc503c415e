from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from macros.models import CannedReply
from tickets import actions, bulk, tasks
from tickets.models import BulkJob, Status, Ticket

TEXT = "企业号激活第三步一直收不到手机验证码"


@pytest.fixture
def three(make_ticket):
    return [make_ticket(TEXT, candidate_number=f"10614600000020{i}") for i in range(3)]


@pytest.fixture
def reply(three):
    return CannedReply.objects.create(
        name="重发", category=three[0].category, body="{candidate_number} 请重新获取验证码"
    )


@pytest.fixture
def api(desk):
    client = APIClient()
    client.force_authenticate(desk)
    return client


@pytest.fixture(autouse=True)
def _no_thread(monkeypatch):
    monkeypatch.setattr(tasks, "BULK_THREAD_WHEN_EAGER", False)


@pytest.mark.django_db
def test_answer_with_a_canned_reply_and_resolve_one_event_each_skips_explained(three, reply, desk):
    done, closed, changed = three
    actions.perform("close", actor=desk, ticket=closed)
    as_of = timezone.now()
    Ticket.objects.filter(pk=changed.pk).update(updated_at=as_of + timedelta(seconds=1))
    outcome = bulk.apply(
        actor=desk,
        ticket_ids=[t.pk for t in three],
        action="answer",
        params={"reply_id": reply.pk, "resolve": True},
        as_of=as_of,
    )
    assert (outcome.total, outcome.changed) == (3, 1)
    assert outcome.skipped["工单已被他人更新"] == 1
    assert any("已关闭" in reason for reason in outcome.skipped)
    done.refresh_from_db()
    assert done.status == Status.RESOLVED
    assert done.reply_text == f"{done.candidate_number} 请重新获取验证码"
    kinds = list(done.events.values_list("kind", flat=True))
    assert kinds == ["created", "answered", "resolved"]
    assert Ticket.objects.get(pk=changed.pk).status == Status.NEW


@pytest.mark.django_db
def test_assign_correct_and_refer(three, desk, college_a):
    from tests.base import make_user

    other = make_user("desk2", "desk")
    ids = [t.pk for t in three]
    assert (
        bulk.apply(
            actor=desk, ticket_ids=ids, action="assign", params={"assignee": "desk2"}
        ).changed
        == 3
    )
    assert set(Ticket.objects.values_list("assignee", flat=True)) == {other.pk}
    outcome = bulk.apply(
        actor=desk,
        ticket_ids=ids,
        action="correct",
        params={"category": "harmonyos", "route": "manual"},
    )
    assert outcome.changed == 3
    assert set(Ticket.objects.values_list("category", flat=True)) == {"harmonyos"}
    Ticket.objects.filter(pk=ids[0]).update(college=college_a)
    outcome = bulk.apply(actor=desk, ticket_ids=ids, action="refer", params={})
    assert outcome.changed == 1 and sum(outcome.skipped.values()) == 2  # no college


@pytest.mark.django_db
def test_a_teacher_cannot_run_bulk_actions(three, teacher_a):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        bulk.apply(actor=teacher_a, ticket_ids=[three[0].pk], action="close", params={})


@pytest.mark.django_db
def test_api_small_selection_runs_at_once(api, three, reply):
    response = api.post(
        "/api/tickets/bulk/",
        {"ids": [t.pk for t in three], "action": "answer", "reply_id": str(reply.pk)},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["changed"] == 3
    assert set(Ticket.objects.values_list("status", flat=True)) == {Status.ANSWERED}


@pytest.mark.django_db
def test_api_filter_over_the_limit_is_a_job_with_progress(
    api, three, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(bulk, "SYNC_LIMIT", 2)
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/tickets/bulk/",
            {"filter": {"status": "open", "category": three[0].category}, "action": "resolve"},
            format="json",
        )
    assert response.status_code == 202
    job_id = response.json()["job"]
    progress = api.get(f"/api/tickets/bulk/{job_id}/").json()
    assert progress | {"skipped_reasons": {}} == progress | {
        "state": "done",
        "total": 3,
        "done": 3,
        "percent": 100,
        "changed": 3,
        "skipped": 0,
    }
    assert set(Ticket.objects.values_list("status", flat=True)) == {Status.RESOLVED}


@pytest.mark.django_db
def test_a_job_resumes_after_the_last_committed_ticket(three, desk):
    job = BulkJob.objects.create(
        actor=desk,
        action="close",
        params={"note": ""},
        ticket_ids=[t.pk for t in three],
        total=3,
        done=1,
        changed=1,
        state=BulkJob.State.FAILED,
        as_of=timezone.now(),
    )
    bulk.run_job(job.pk)
    job.refresh_from_db()
    assert (job.state, job.done, job.changed) == ("done", 3, 3)
    statuses = dict(Ticket.objects.values_list("pk", "status"))
    assert statuses[three[0].pk] == Status.NEW  # counted before the crash, not redone
    assert statuses[three[2].pk] == Status.CLOSED


@pytest.mark.django_db
def test_api_refuses_unknown_action_and_teacher(api, three, teacher_a):
    assert (
        api.post("/api/tickets/bulk/", {"ids": [1], "action": "x"}, format="json").status_code
        == 400
    )
    teacher = APIClient()
    teacher.force_authenticate(teacher_a)
    response = teacher.post("/api/tickets/bulk/", {"ids": [1], "action": "close"}, format="json")
    assert response.status_code == 403


@pytest.mark.django_db
def test_endpoints_are_in_the_schema(client, desk):
    client.force_login(desk)  # the schema is for signed-in callers
    schema = client.get("/api/schema/?format=json").json()
    assert {"/api/tickets/bulk/", "/api/tickets/bulk/{id}/", "/api/tickets/{id}/merge/"} <= set(
        schema["paths"]
    )
