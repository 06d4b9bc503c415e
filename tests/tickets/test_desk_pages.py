from datetime import timedelta

import pytest
from django.utils import timezone

from macros.models import CannedReply
from tickets import actions, tasks
from tickets.models import BulkJob, Status, Ticket

TEXT = "企业号激活第三步一直收不到手机验证码"


@pytest.fixture(autouse=True)
def _no_thread(monkeypatch):
    monkeypatch.setattr(tasks, "BULK_THREAD_WHEN_EAGER", False)


@pytest.fixture
def many(make_ticket):
    def make(n, text=TEXT, **kw):
        return [make_ticket(text, candidate_number=f"1061460001{i:05d}", **kw) for i in range(n)]

    return make


@pytest.mark.django_db
def test_list_has_checkboxes_and_the_bulk_bar_for_the_desk_only(client, desk, teacher_a, many):
    many(2)
    client.force_login(desk)
    html = client.get("/tickets/?status=open").content.decode()
    assert 'id="bulk-form"' in html
    assert html.count('type="checkbox" name="ids"') == 2 and 'form="bulk-form"' in html
    assert "选择全部符合筛选的 2 个工单" in html
    client.force_login(teacher_a)
    assert 'id="bulk-form"' not in client.get("/tickets/").content.decode()


@pytest.mark.django_db
def test_ticked_tickets_are_answered_and_resolved_at_once_with_a_summary(client, desk, many):
    tickets = many(3)
    reply = CannedReply.objects.create(name="重发", category=tickets[0].category, body="请重发")
    actions.perform("close", actor=desk, ticket=tickets[2])
    client.force_login(desk)
    response = client.post(
        "/tickets/bulk/",
        {
            "ids": [t.pk for t in tickets],
            "action": "answer",
            "reply_id": reply.pk,
            "resolve": "1",
            "query": "status=open",
            "as_of": timezone.now().isoformat(),
        },
        follow=True,
    )
    html = response.content.decode()
    assert "已处理 2 个工单" in html and "跳过 1 个" in html
    assert list(Ticket.objects.order_by("pk").values_list("status", flat=True)) == [
        Status.RESOLVED,
        Status.RESOLVED,
        Status.CLOSED,
    ]


@pytest.mark.django_db
def test_all_matching_over_the_limit_becomes_a_job_with_a_progress_page(
    client, desk, many, monkeypatch, django_capture_on_commit_callbacks
):
    from tickets import bulk

    monkeypatch.setattr(bulk, "SYNC_LIMIT", 2)
    tickets = many(3)
    client.force_login(desk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/tickets/bulk/",
            {
                "all_matching": "1",
                "query": f"status=open&category={tickets[0].category}",
                "action": "close",
            },
        )
    job = BulkJob.objects.get()
    assert response.url == f"/tickets/bulk/{job.pk}/"
    page = client.get(response.url).content.decode()
    assert 'id="bulk-bar"' in page and "没有跳过的工单" in page
    assert client.get(f"/tickets/bulk/{job.pk}/progress/").json()["percent"] == 100
    assert set(Ticket.objects.values_list("status", flat=True)) == {Status.CLOSED}


@pytest.mark.django_db
def test_similar_groups_largest_first_answered_as_a_group(client, desk, many, make_ticket):
    sms = many(3)
    other = make_ticket("华为鸿蒙手机装不了企业微信")
    client.force_login(desk)
    html = client.get("/tickets/similar/").content.decode()
    largest = html.index(f'id="group-{sms[0].category}-{sms[0].route}"')
    assert largest < html.index(f'id="group-{other.category}-{other.route}"')
    assert "× 3" in html  # the repeated phrasing
    response = client.post(
        "/tickets/bulk/",
        {
            "all_matching": "1",
            "query": f"status=open&category={sms[0].category}&route={sms[0].route}",
            "action": "answer",
            "reply_id": "default",
            "back": "tickets:similar",
        },
    )
    assert response.url.startswith("/tickets/similar/")
    assert Ticket.objects.filter(status=Status.ANSWERED).count() == 3


@pytest.mark.django_db
def test_desk_home_counts_and_overdue_rows(client, desk, make_ticket, settings):
    settings.TICKET_DUE_HOURS = {**settings.TICKET_DUE_HOURS, "escalate": 24}
    old = make_ticket(TEXT)
    actions.perform("escalate", actor=desk, ticket=old)
    Ticket.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    fresh = make_ticket("统一认证密码忘了怎么重置")
    actions.perform("escalate", actor=desk, ticket=fresh)
    make_ticket("华为鸿蒙手机装不了企业微信", actor=None)  # unassigned, new
    client.force_login(desk)
    assert client.get("/").url == "/tickets/home/"
    html = client.get("/tickets/home/").content.decode()
    counts = html.split('id="desk-counts"')[1].split("</ul>")[0]
    assert '<strong class="count">1</strong> 超时未答复的升级' in counts
    assert '<strong class="count">1</strong> 未指派的新工单' in counts
    listing = client.get("/tickets/?status=escalated&due=overdue").content.decode()
    assert f'href="/tickets/{old.pk}/"' in listing and f'href="/tickets/{fresh.pk}/"' not in listing
    assert 'overdue">' in listing


@pytest.mark.django_db
def test_ticket_page_walks_the_current_list(client, desk, many):
    a, b, c = many(3)
    client.force_login(desk)
    client.get("/tickets/?status=open")
    html = client.get(f"/tickets/{b.pk}/").content.decode()
    assert f'id="prev-ticket" href="/tickets/{c.pk}/"' in html  # newest first
    assert f'id="next-ticket" href="/tickets/{a.pk}/"' in html
    assert 'id="shortcut-help"' in html and "shortcuts.js" in html
    actions.perform("close", actor=desk, ticket=c)
    html = client.get(f"/tickets/{b.pk}/").content.decode()
    assert 'id="prev-ticket"' not in html  # closed tickets are not in the open list


@pytest.mark.django_db
def test_the_walk_orders_tickets_created_in_the_same_instant_by_id(client, desk, many):
    a, b, c, newest = many(4)
    same = timezone.now() - timedelta(hours=1)
    Ticket.objects.filter(pk__in=[a.pk, b.pk, c.pk]).update(created_at=same)
    client.force_login(desk)
    client.get("/tickets/?status=open")
    html = client.get(f"/tickets/{b.pk}/").content.decode()
    assert f'id="prev-ticket" href="/tickets/{c.pk}/"' in html
    assert f'id="next-ticket" href="/tickets/{a.pk}/"' in html
    html = client.get(f"/tickets/{c.pk}/").content.decode()
    assert f'id="prev-ticket" href="/tickets/{newest.pk}/"' in html


@pytest.mark.django_db
def test_switching_between_lists_does_not_write_the_session(client, desk, many):
    # The walk's list lives in a signed cookie: a session row written again on
    # every list whose filter differed cost each such page an UPDATE.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    a, b, c = many(3)
    client.force_login(desk)
    client.get("/tickets/?status=open")
    with CaptureQueriesContext(connection) as captured:
        client.get("/tickets/?status=&assignee=me")
        client.get("/tickets/?status=open")
    writes = [q["sql"] for q in captured.captured_queries if "django_session" in q["sql"]]
    assert writes and all(sql.startswith("SELECT") for sql in writes)
    html = client.get(f"/tickets/{b.pk}/").content.decode()
    assert f'id="prev-ticket" href="/tickets/{c.pk}/"' in html  # still the last list's walk


@pytest.mark.django_db
def test_the_walk_belongs_to_the_session_that_saw_the_list(client, desk, many):
    a, b, c = many(3)
    client.force_login(desk)
    client.get("/tickets/?status=open")
    kept = client.cookies["ticket_list"].value
    client.logout()
    client.force_login(desk)  # a new session in the same browser
    client.cookies["ticket_list"] = kept
    html = client.get(f"/tickets/{b.pk}/").content.decode()
    assert 'id="prev-ticket"' not in html and 'id="next-ticket"' not in html
    assert 'href="/tickets/"' in html  # the crumbs lead to the plain list


@pytest.mark.django_db
def test_the_walk_bounds_created_at_so_the_index_can_seek(desk, many):
    # An OR of (created_at > t) and (created_at = t AND id > n) alone is no
    # index bound: PostgreSQL read the created_at index from its end (80 ms at
    # a million tickets). Each neighbour query also says created_at >= t or <= t.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tickets import walk

    a, b, c = many(3)
    with CaptureQueriesContext(connection) as captured:
        assert walk.neighbours(desk, b, "status=open") == (c.pk, a.pk)
    newer, older = (q["sql"] for q in captured.captured_queries[-2:])
    assert '"created_at" >= ' in newer and '"created_at" <= ' in older


@pytest.mark.django_db
def test_the_bulk_bar_offers_the_active_replies_in_their_order(client, desk, many):
    many(1)
    second = CannedReply.objects.create(name="<b>再发</b>", category="sms_code", body="x", order=2)
    first = CannedReply.objects.create(name="重发 & 等待", category="sms_code", body="x", order=1)
    CannedReply.objects.create(name="停用", category="sms_code", body="x", active=False)
    client.force_login(desk)
    html = client.get("/tickets/?status=open").content.decode()
    assert (
        '<select name="reply_id" id="bulk-reply"><option value="default">分类默认答复</option>'
        f'<option value="{first.pk}">重发 &amp; 等待 (sms_code)</option>'
        f'<option value="{second.pk}">&lt;b&gt;再发&lt;/b&gt; (sms_code)</option></select>'
    ) in html
