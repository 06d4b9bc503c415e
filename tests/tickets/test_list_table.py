"""The list table: its rows as django-tables2 would write them but without its
per-cell introspection, the 时长/处理时长 columns, sort direction in the headers,
the filter panel, and the navigation's queries."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tables2 import RequestConfig

from tickets import actions, selectors
from tickets.models import Ticket
from tickets.tables import TicketTable

URL = "/tickets/"


def _tbody(html):
    body = re.search(r"<tbody[^>]*>(.*)</tbody>", html, re.S).group(1)
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", body)).strip()


@pytest.mark.django_db
def test_rows_are_the_html_django_tables2_writes(make_ticket, desk, college_a):
    from django.template import Context, Template

    make_ticket(
        college=college_a, assignee=desk, contact_phone="13812345678", candidate_name="张<三>"
    )
    done = make_ticket(text="鸿蒙手机装不了企业微信")
    actions.perform("close", actor=desk, ticket=done)
    make_ticket(text="<b>不是标签</b>", channel="qq")
    request = RequestFactory().get(URL, {"status": ""})
    request.user = desk

    def render(template_name):
        table = TicketTable(
            selectors.ticket_list(desk), category_titles=selectors.category_titles()
        )
        table.template_name = template_name
        RequestConfig(request, paginate={"per_page": 50}).configure(table)
        return Template("{% load django_tables2 %}{% render_table table %}").render(
            Context({"table": table, "request": request})
        )

    stock = _tbody(render("django_tables2/table.html"))
    ours = _tbody(render("tickets/ticket_table.html"))
    assert stock.count("<tr") == 3
    assert ours == stock


@pytest.mark.django_db
def test_a_page_of_rows_inspects_no_signature_per_cell(client, make_ticket, desk, monkeypatch):
    import django_tables2.utils as utils

    for i in range(20):
        make_ticket(candidate_number=f"1061460000001{i:02d}")
    calls = []
    real = utils.signature
    monkeypatch.setattr(utils, "signature", lambda fn: calls.append(fn) or real(fn))
    client.force_login(desk)
    page = client.get(URL, {"status": ""}).content.decode()
    assert page.count('<tr data-status="new"') == 20
    # A few per page (headers, paginator), none per cell.
    assert len(calls) < 20


@pytest.mark.django_db
def test_age_for_open_tickets_handling_time_for_resolved(client, make_ticket, desk):
    now = timezone.now()
    waiting = make_ticket(text="等待中的工单", created_at=now - timedelta(days=3))
    done = make_ticket(text="已解决的工单", created_at=now - timedelta(days=10))
    actions.perform("resolve", actor=desk, ticket=done)
    Ticket.objects.filter(pk=done.pk).update(resolved_at=now - timedelta(days=8))
    client.force_login(desk)
    page = client.get(URL, {"status": ""}).content.decode()
    assert "处理时长" in page

    def cells(ticket):
        row = re.search(
            # the desk's rows open with the bulk bar's checkbox
            rf"<tr[^>]*>(?:\s*<td[^>]*><input[^>]*/></td>)?"
            rf'\s*<td[^>]*><a href="/tickets/{ticket.pk}/">.*?</tr>',
            page,
            re.S,
        )
        return re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)

    assert cells(waiting)[-2:] == ["3\xa0日", "—"]
    assert cells(done)[-2:] == ["—", "2\xa0日"]


@pytest.mark.django_db
def test_sorting_by_handling_time_orders_resolved_tickets_by_it(client, make_ticket, desk):
    now = timezone.now()
    fast = make_ticket(text="很快解决", created_at=now - timedelta(days=30))
    slow = make_ticket(text="很久才解决", created_at=now - timedelta(days=20))
    still_open = make_ticket(text="还没解决")
    for t in (fast, slow):
        actions.perform("resolve", actor=desk, ticket=t)
    Ticket.objects.filter(pk=fast.pk).update(resolved_at=now - timedelta(days=29))
    Ticket.objects.filter(pk=slow.pk).update(resolved_at=now - timedelta(days=10))
    client.force_login(desk)

    def order(sort):
        page = client.get(URL, {"status": "", "sort": sort}).content.decode()
        ids = [int(i) for i in re.findall(r'<td[^>]*><a href="/tickets/(\d+)/">', page)]
        return [i for i in ids if i in (fast.pk, slow.pk, still_open.pk)]

    assert order("handling") == [fast.pk, slow.pk, still_open.pk]
    assert order("-handling") == [slow.pk, fast.pk, still_open.pk]


@pytest.mark.django_db
def test_sorted_column_header_shows_its_direction(client, make_ticket, desk):
    make_ticket()
    client.force_login(desk)
    page = client.get(URL, {"status": "", "sort": "status"}).content.decode()
    th = re.search(r'<th[^>]*aria-sort="ascending"[^>]*>.*?</th>', page, re.S).group(0)
    assert "状态" in th and "▲" in th
    page = client.get(URL, {"status": "", "sort": "-status"}).content.decode()
    th = re.search(r'<th[^>]*aria-sort="descending"[^>]*>.*?</th>', page, re.S).group(0)
    assert "状态" in th and "▼" in th
    assert page.count("aria-sort=") == 1


@pytest.mark.django_db
def test_filter_panel_starts_collapsed_on_all_tickets_without_a_filter(client, desk):
    client.force_login(desk)

    def panel_open(query):
        page = client.get(URL, query).content.decode()
        return bool(re.search(r'<details class="card filters" open>', page))

    assert not panel_open({"status": ""})  # 全部工单
    assert not panel_open({"status": "open"})  # 全部未结
    assert not panel_open({})  # 我的未结
    assert panel_open({"status": "", "q": "鸿蒙"})
    assert panel_open({"status": "resolved"})


@pytest.mark.django_db
def test_navigation_checks_roles_without_permission_queries(client, desk):
    client.force_login(desk)
    client.get(URL)  # warm the session and content types
    with CaptureQueriesContext(connection) as captured:
        page = client.get(URL, {"status": ""}).content.decode()
    assert 'href="/tickets/new/"' in page
    sql = [q["sql"] for q in captured.captured_queries]
    assert not any("auth_permission" in q for q in sql)
    # The user's groups are read once for the whole page, navigation included.
    assert sum('"auth_group"' in q for q in sql) == 1


@pytest.mark.django_db
def test_the_list_page_asks_nothing_twice(client, make_ticket, desk):
    # The bulk bar's categories are the filter's; the header's unread counter
    # is counted once although {% render_table %} runs the context processors again.
    make_ticket()
    client.force_login(desk)
    client.get(URL)
    for query in ({}, {"status": ""}):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, query).status_code == 200
        sql = [q["sql"] for q in captured.captured_queries]
        repeated = {q for q in sql if sql.count(q) > 1}
        assert not repeated, repeated


def test_ages_are_what_timesince_writes():
    # The rows count the largest whole unit directly under four weeks; at and
    # beyond, timesince's calendar arithmetic (months, years) decides.
    import datetime as dt
    import random

    from django.utils.html import escape
    from django.utils.timesince import timesince
    from django.utils.translation import override

    from tickets.tables import _Durations

    rng = random.Random(16)
    seconds = [-86400, -1, 0, 0.5, 59.9, 60, 3599.9, 3600, 86400, 604800, 2419199.9, 2419200]
    seconds += [rng.uniform(-1e4, 4e6) for _ in range(400)]
    table = TicketTable([])
    for language in ("zh-hans", "en"):
        with override(language):
            table._durations, table._spans = _Durations(), {}
            for end in (dt.datetime(2026, 3, 1, 8, tzinfo=dt.UTC), timezone.now()):
                for s in seconds:
                    start = end - dt.timedelta(seconds=s)
                    assert table._since(start, end) == escape(timesince(start, end, depth=1))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [
        {"status": ""},
        {"status": "", "sort": "-status"},
        {"status": "", "per_page": 2},
        {"status": "", "per_page": 2, "page": 2},
        {"status": "", "per_page": 1, "page": 3},
        {"status": "", "q": "没有这样的工单"},
    ],
)
def test_the_page_writes_the_table_as_its_template_does(make_ticket, desk, college_a, query):
    from django.template import Context, Template

    from tickets.views import BoundedLazyPaginator

    make_ticket(college=college_a, assignee=desk, candidate_name="张<三>")
    done = make_ticket(text="鸿蒙手机装不了企业微信")
    actions.perform("resolve", actor=desk, ticket=done)
    make_ticket(text="<b>不是标签</b>", channel="qq")
    request = RequestFactory().get(URL, query)
    request.user = desk

    def table(**kwargs):
        from tickets.filters import TicketFilter

        qs = TicketFilter(query, queryset=selectors.ticket_list(desk), request=request).qs
        t = TicketTable(qs, category_titles=selectors.category_titles(), **kwargs)
        paginate = {"per_page": 50, "paginator_class": BoundedLazyPaginator}
        RequestConfig(request, paginate=paginate).configure(t)
        return t

    for kwargs in ({}, {"exclude": ("select",)}):  # the desk's and a teacher's columns
        by_template = Template("{% load django_tables2 %}{% render_table table %}").render(
            Context({"table": table(**kwargs), "request": request})
        )
        assert table(**kwargs).page_html() == by_template


@pytest.mark.django_db
def test_a_row_reads_as_its_ticket(make_ticket, desk, college_a):
    from django.utils.translation import override

    from tickets.tables import ticket_rows

    make_ticket(college=college_a, assignee=desk, contact_phone="13812345678")
    make_ticket(text="鸿蒙手机装不了企业微信", candidate_number="106146000100077")
    tickets = {t.pk: t for t in Ticket.objects.select_related("college", "assignee")}
    rows = list(ticket_rows(Ticket.objects.all()))
    assert len(rows) == 2
    for row in rows:
        ticket = tickets[row.pk]
        for name in ("id", "pk", "created_at", "candidate_name", "candidate_number", "category"):
            assert getattr(row, name) == getattr(ticket, name)
        for name in ("route", "status", "resolved_at", "college_id", "assignee_id"):
            assert getattr(row, name) == getattr(ticket, name)
        assert row.masked_phone == ticket.masked_phone
        assert row.get_absolute_url() == ticket.get_absolute_url()
        for language in ("zh-hans", "en"):
            with override(language):
                assert str(row.college or "") == str(ticket.college or "")
        assert (row.assignee and row.assignee.get_username()) == (
            ticket.assignee and ticket.assignee.get_username()
        )
