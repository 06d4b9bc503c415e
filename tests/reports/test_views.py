import io
import json

import openpyxl
import pytest
from django.urls import reverse

from reports.models import WeeklyReport
from reports.periods import iso_week
from reports.services import store_weekly_report

pytestmark = pytest.mark.django_db
URL = reverse("reports:report")


@pytest.fixture
def stored_w47(week47):
    return store_weekly_report(period=iso_week("2026-W47"))


def kpi(html: str, key: str) -> str:
    start = html.index(f'data-key="{key}">') + len(f'data-key="{key}">')
    return html[start : html.index("<", start)].strip()


@pytest.mark.parametrize("who", ["viewer", "desk", "admin"])
def test_whole_university_for_viewers_desk_and_admins(client, request, stored_w47, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(URL, {"week": "2026-W47"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "全校" in html
    assert (
        kpi(html, "new") == "5"
        and kpi(html, "resolved") == "2"
        and kpi(html, "open_escalations") == "2"
    )
    assert "<svg" in html and "收不到身份验证消息" not in html  # only categories that occurred
    assert "其他问题" in html and "鸿蒙" in html
    assert "Noto Sans CJK SC" in html  # charts name a CJK font


def test_page_shows_the_stored_figures(client, viewer, stored_w47):
    stored_w47.data["totals"]["new"] = 4242
    stored_w47.save()
    client.force_login(viewer)
    html = client.get(URL, {"week": "2026-W47"}).content.decode()
    assert kpi(html, "new") == "4242"
    assert "已存档" in html


def test_a_week_never_stored_is_computed_live(client, viewer, week47):
    client.force_login(viewer)
    html = client.get(URL, {"week": "2026-W47"}).content.decode()
    assert kpi(html, "new") == "5" and "实时计算" in html
    assert not WeeklyReport.objects.exists()


def test_teacher_sees_only_their_college(client, teacher_a, week47):
    client.force_login(teacher_a)
    response = client.get(URL, {"week": "2026-W47"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "信息与通信工程学院" in html
    assert kpi(html, "new") == "2" and kpi(html, "open_escalations") == "0"
    assert "鸿蒙" not in html  # another college's (and no college's) ticket text
    assert 'name="college"' not in html  # no scope picker


def test_teacher_asking_for_another_college_gets_404(client, teacher_a, week47):
    client.force_login(teacher_a)
    assert client.get(URL, {"week": "2026-W47", "college": "see"}).status_code == 404
    assert client.get(reverse("reports:export_csv"), {"college": "see"}).status_code == 404
    assert client.get(URL, {"college": "sice"}).status_code == 200


def test_viewer_may_open_any_colleges_version(client, viewer, week47):
    client.force_login(viewer)
    html = client.get(URL, {"week": "2026-W47", "college": "see"}).content.decode()
    assert kpi(html, "new") == "2"
    assert client.get(URL, {"college": "nope"}).status_code == 404


def test_users_without_a_report_role_get_403(client, nobody):
    client.force_login(nobody)
    assert client.get(URL).status_code == 403
    assert client.get(reverse("reports:export_xlsx")).status_code == 403
    assert client.get(reverse("reports:history")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_bad_week_is_a_clear_error(client, viewer):
    client.force_login(viewer)
    response = client.get(URL, {"week": "2026-W60"})
    assert response.status_code == 400
    html = response.content.decode()
    # In the page's language: no English inside the Chinese message.
    assert "2026 年没有第 60 周" in html and "ISO week" not in html
    assert (
        client.get(
            reverse("reports:export_csv"), {"from": "2026-11-20", "to": "2026-11-01"}
        ).status_code
        == 400
    )


def test_date_range(client, viewer, week47):
    client.force_login(viewer)
    html = client.get(URL, {"from": "2026-11-18", "to": "2026-11-19"}).content.decode()
    assert kpi(html, "new") == "2" and "2026-11-18 ~ 2026-11-19" in html


def test_csv_download_has_the_figures(client, viewer, stored_w47):
    client.force_login(viewer)
    response = client.get(reverse("reports:export_csv"), {"week": "2026-W47"})
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="report-2026-W47-all.csv"' in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    assert "新建工单,5,2,3" in text
    assert "other,其他问题,2,0,2" in text


def test_xlsx_download_one_sheet_per_table(client, viewer, stored_w47):
    client.force_login(viewer)
    response = client.get(reverse("reports:export_xlsx"), {"week": "2026-W47"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "按问题分类" in book.sheetnames and "概况" in book.sheetnames
    rows = list(book["概况"].values)
    assert rows[1][:2] == ("新建工单", 5)


def test_email_preview_renders(client, viewer, stored_w47):
    client.force_login(viewer)
    html = client.get(reverse("reports:email_preview"), {"week": "2026-W47"}).content.decode()
    assert "信息中心服务台 · 周报" in html and "其他问题" in html and "<svg" not in html


def test_rebuild_stores_the_week_for_viewers_only(client, teacher_a, viewer, week47):
    client.force_login(teacher_a)
    assert client.post(reverse("reports:rebuild"), {"week": "2026-W47"}).status_code == 403
    client.force_login(viewer)
    response = client.post(reverse("reports:rebuild"), {"week": "2026-W47"})
    assert response.status_code == 302
    assert WeeklyReport.objects.get(college=None).data["totals"]["new"] == 5


def test_history_lists_stored_weeks(client, viewer, stored_w47):
    client.force_login(viewer)
    html = client.get(reverse("reports:history")).content.decode()
    assert "2026-W47" in html


def test_english_labels_via_the_language_switch(client, viewer, stored_w47):
    client.force_login(viewer)
    client.cookies["django_language"] = "en"
    html = client.get(URL, {"week": "2026-W47"}).content.decode()
    assert kpi(html, "new") == "5"
    assert ">Other<" in html or "Other</" in html  # the category's English title
    assert "其他问题" not in html


def test_nav_link_only_for_who_may_see_reports(client, viewer, nobody):
    client.force_login(viewer)
    assert f'href="{URL}"' in client.get(reverse("reports:history")).content.decode()
    client.force_login(nobody)
    assert f'href="{URL}"' not in client.get(reverse("guide:index")).content.decode()


def test_report_page_queries_do_not_grow_with_tickets(
    client, viewer, stored_w47, django_assert_max_num_queries
):
    client.force_login(viewer)
    with django_assert_max_num_queries(15):
        client.get(URL, {"week": "2026-W47"})


def test_page_json_equal(client, viewer, stored_w47):
    """The page renders the very dict the command prints."""
    client.force_login(viewer)
    response = client.get(URL, {"week": "2026-W47"})
    data = response.context["data"]
    assert {k: data["totals"][k] for k in stored_w47.data["totals"]} == stored_w47.data["totals"]
    assert json.loads(json.dumps(stored_w47.data))["by_day"] == data["by_day"]


def test_open_escalations_link_to_the_ticket_for_desk_only(
    client, desk, viewer, stored_w47, week47
):
    ticket_url = reverse("tickets:detail", args=[week47["t5"].id])
    client.force_login(desk)
    assert f'href="{ticket_url}"' in client.get(URL, {"week": "2026-W47"}).content.decode()
    client.force_login(viewer)  # sees reports, not tickets
    assert f'href="{ticket_url}"' not in client.get(URL, {"week": "2026-W47"}).content.decode()


def test_period_errors_follow_the_ui_language(client, viewer):
    client.force_login(viewer)
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = client.get(URL, {"week": "2026-W60"}).content.decode()
    assert "2026 has no ISO week 60" in html and "没有第" not in html


def test_email_preview_count_and_list_agree_with_a_way_back(client, viewer, stored_w47):
    from reports.models import WeeklyReport

    report = WeeklyReport.objects.get(week_start=stored_w47.week_start, college=None)
    sample = {"category": "sms_code", "college": None, "created_at": "2026-11-01", "age_hours": 30}
    report.data["open_escalations"] = [{"id": i, **sample} for i in range(1, 13)]
    report.data["totals"]["open_escalations"] = 12
    report.save()
    client.force_login(viewer)
    html = client.get(reverse("reports:email_preview"), {"week": "2026-W47"}).content.decode()
    more = html.split('id="escalations-more">')[1].split("</td>")[0]
    assert "最早的 10 个，共 12 个" in more and "/tickets/?status=escalated" in more
    back = html.split('id="preview-back" href="')[1].split('"')[0]
    assert back.startswith(reverse("reports:report")) and "2026-W47" in back


def test_the_tables_rows_escape_what_they_show(client, desk, stored_w47, week47):
    """The triage, escalation and category rows are written in Python
    (reports.display.table_rows): labels escaped as the template would."""
    from guide.models import FaqCategory

    FaqCategory.objects.filter(code="other").update(title="其他 <b>&</b>")
    client.force_login(desk)
    html = client.get(URL, {"week": "2026-W47"}).content.decode()
    t5 = week47["t5"].id
    assert (
        f'<tr><td><a href="/tickets/{t5}/">#{t5}</a></td><td>其他 &lt;b&gt;&amp;&lt;/b&gt;</td>'
        in html
    )
    assert '<td>其他 &lt;b&gt;&amp;&lt;/b&gt; <code class="muted">other</code></td>' in html
    assert "<b>&</b>" not in html
    assert '<td class="num weak">0%</td>' in html  # ids_password: suggested once, overridden
