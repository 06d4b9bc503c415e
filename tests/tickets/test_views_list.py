import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests.base import make_user
from tickets import actions, roles

URL = "/tickets/"


@pytest.mark.django_db
class TestWhoSeesWhat:
    def test_teacher_lists_and_exports_only_their_college(
        self, client, make_ticket, teacher_a, college_a, college_b
    ):
        mine = make_ticket(
            text="A学院考生：激活后一直没进群",
            college=college_a,
            candidate_number="106146000000011",
        )
        make_ticket(
            text="B学院考生：激活后一直没进群",
            college=college_b,
            candidate_number="106146000000022",
        )
        client.force_login(teacher_a)
        page = client.get(URL + "?status=").content.decode()
        assert f'href="/tickets/{mine.pk}/"' in page and "106146000000022" not in page
        rows = list(
            csv.reader(io.StringIO(client.get(URL + "?export=csv").getvalue().decode("utf-8-sig")))
        )
        assert [r[3] for r in rows[1:]] == ["106146000000011"]
        wb = load_workbook(io.BytesIO(client.get(URL + "?export=xlsx").getvalue()))
        numbers = [row[3] for row in wb.active.iter_rows(min_row=2, values_only=True)]
        assert numbers == ["106146000000011"]

    def test_teacher_starts_on_what_was_referred_to_them(
        self, client, make_ticket, desk, teacher_a, college_a
    ):
        referred = actions.perform("refer", actor=desk, ticket=make_ticket(college=college_a))
        waiting = make_ticket(college=college_a)
        client.force_login(teacher_a)
        page = client.get(URL).content.decode()
        assert f'"/tickets/{referred.pk}/"' in page and f'"/tickets/{waiting.pk}/"' not in page

    def test_report_viewer_sees_no_tickets(self, client, make_ticket, viewer, college_a):
        make_ticket(college=college_a, candidate_number="106146000000011")
        client.force_login(viewer)
        assert "106146000000011" not in client.get(URL + "?status=").content.decode()

    def test_report_viewer_starts_on_the_weekly_report(self, client, viewer):
        client.force_login(viewer)
        assert client.get(URL)["Location"] == "/reports/"

    def test_anonymous_is_sent_to_login(self, client):
        response = client.get(URL)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
class TestDeskList:
    def test_default_view_is_my_open_tickets(self, client, make_ticket, desk):
        other = make_user("dora", roles.DESK)
        mine = make_ticket(text="我的工单", assignee=desk)
        theirs = make_ticket(text="别人的工单", assignee=other)
        done = make_ticket(text="已关闭的工单", assignee=desk)
        actions.perform("close", actor=desk, ticket=done)
        client.force_login(desk)
        page = client.get(URL).content.decode()
        assert f'"/tickets/{mine.pk}/"' in page
        assert f'"/tickets/{theirs.pk}/"' not in page and f'"/tickets/{done.pk}/"' not in page
        everything = client.get(URL + "?status=").content.decode()
        assert all(f'"/tickets/{t.pk}/"' in everything for t in (mine, theirs, done))

    def test_phones_are_masked_in_the_list_and_exports(self, client, make_ticket, desk):
        make_ticket(contact_phone="13812345678", assignee=desk)
        client.force_login(desk)
        page = client.get(URL + "?status=").content.decode()
        assert "138****5678" in page and "13812345678" not in page
        assert "13812345678" not in client.get(URL + "?status=&export=csv").getvalue().decode(
            "utf-8-sig"
        )

    def test_filters_and_search(self, client, make_ticket, desk, college_a):
        a = make_ticket(
            text="鸿蒙手机关注不了企业号",
            college=college_a,
            channel="qq",
            candidate_number="106146000000033",
        )
        b = make_ticket(text="密码忘了怎么办", channel="email")
        client.force_login(desk)

        def ids(query):
            page = client.get(URL + query).content.decode()
            return {t.pk for t in (a, b) if f'"/tickets/{t.pk}/"' in page}

        assert ids("?status=&college=sice") == {a.pk}
        assert ids("?status=&channel=email") == {b.pk}
        assert ids("?status=&q=鸿蒙") == {a.pk}
        assert ids("?status=&q=106146000000033") == {a.pk}
        assert ids("?status=&q=0000033") == {a.pk}
        assert ids("?status=new&created_from=2000-01-01") == {a.pk, b.pk}
        assert ids("?status=&created_to=2000-01-01") == set()

    def test_query_count_does_not_grow_with_rows(self, client, make_ticket, desk, college_a):
        client.force_login(desk)
        make_ticket(college=college_a, assignee=desk)
        client.get(URL + "?status=")  # warm caches (session, content types)
        with CaptureQueriesContext(connection) as few:
            client.get(URL + "?status=")
        for i in range(30):
            make_ticket(college=college_a, assignee=desk, candidate_number=f"1061460000001{i:02d}")
        with CaptureQueriesContext(connection) as many:
            response = client.get(URL + "?status=")
        assert response.status_code == 200
        assert len(many) == len(few)
        assert not any("COUNT(" in q["sql"].upper() for q in many.captured_queries)
        # 8, the bulk bar's capped match ids and canned replies, the header's unread count
        assert len(many) <= 11


@pytest.mark.django_db
def test_search_is_case_insensitive_and_literal(client, make_ticket, desk):
    a = make_ticket(text="HarmonyOS Next 手机关注不了企业号")
    b = make_ticket(text="进度100%了但是没反应")
    c = make_ticket(text="进度100了")
    client.force_login(desk)

    def ids(q):
        page = client.get(URL, {"status": "", "q": q}).content.decode()
        return {t.pk for t in (a, b, c) if f'"/tickets/{t.pk}/"' in page}

    assert ids("harmonyos next") == {a.pk}
    assert ids("100%") == {b.pk}


@pytest.mark.django_db
def test_date_range_uses_the_desks_local_days(client, make_ticket, desk):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    late = datetime(2026, 11, 20, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # 15:30 UTC
    t = make_ticket(created_at=late)
    client.force_login(desk)

    def shown(query):
        return f'"/tickets/{t.pk}/"' in client.get(URL + "?status=&" + query).content.decode()

    assert shown("created_from=2026-11-20&created_to=2026-11-20")
    assert not shown("created_from=2026-11-21")
    assert not shown("created_to=2026-11-19")
