import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports import forms
from imports.models import ImportJob, JobStatus
from tests.imports.samples import MIXED_ROWS as ROWS
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def csv_upload(rows=ROWS, name="messages.csv", encoding="utf-8-sig"):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["内容", "渠道", "考生号", "学院", "联系方式", "时间"])
    writer.writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def upload(client, inline_tasks, file, **data):
    with inline_tasks(execute=True):
        return client.post(reverse("imports:index"), {"file": file, **data})


def test_upload_then_summary_with_bad_rows(client, desk, inline_tasks):
    client.force_login(desk)
    response = upload(client, inline_tasks, csv_upload())

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("imports:job", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.created_by == desk
    assert Ticket.objects.count() == 2
    page = client.get(response.url).content.decode()
    assert "已完成" in page
    assert "火星学院" in page and "未知学院" in page
    assert "<td>3</td>" in page and "<td>4</td>" in page  # the bad rows by number


def test_progress_endpoint_reports_counts(client, desk, inline_tasks):
    client.force_login(desk)
    upload(client, inline_tasks, csv_upload())
    job = ImportJob.objects.get()

    data = client.get(reverse("imports:progress", args=[job.pk])).json()

    assert data["status"] == "done" and data["finished"] is True
    assert (data["rows_done"], data["rows_total"], data["percent"]) == (4, 4, 100)
    assert (data["created"], data["errors"], data["duplicates"]) == (2, 2, 0)


def test_a_running_job_page_carries_the_progress_bar_script(client, desk):
    client.force_login(desk)
    job = ImportJob.objects.create(
        original_name="x.csv", status=JobStatus.RUNNING, rows_total=200, rows_done=50
    )

    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()

    assert 'value="25"' in page
    assert reverse("imports:progress", args=[job.pk]) in page
    assert 'data-finished="0"' in page


def test_uploading_the_same_file_twice_adds_nothing(client, desk, inline_tasks):
    client.force_login(desk)
    upload(client, inline_tasks, csv_upload())
    upload(client, inline_tasks, csv_upload(encoding="gb18030"))

    second = ImportJob.objects.first()
    assert (second.created_count, second.duplicate_count) == (0, 2)
    assert Ticket.objects.count() == 2


@pytest.mark.parametrize(
    "file,message",
    [
        (SimpleUploadedFile("a.pdf", b"%PDF-1.4"), ".csv"),
        (SimpleUploadedFile("a.xls", b"\xd0\xcf\x11\xe0"), ".xls"),
        (SimpleUploadedFile("a.xlsx", b"text,channel\n"), "扩展名"),
        (SimpleUploadedFile("a.csv", b""), ""),
    ],
)
def test_wrong_files_are_refused_with_a_reason(client, desk, inline_tasks, file, message):
    client.force_login(desk)
    response = upload(client, inline_tasks, file)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert 'class="errorlist"' in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(client, desk, inline_tasks, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", 100)
    client.force_login(desk)
    response = upload(client, inline_tasks, csv_upload())

    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert ImportJob.objects.count() == 0


def test_default_channel_from_the_form(client, desk, inline_tasks):
    client.force_login(desk)
    upload(
        client,
        inline_tasks,
        csv_upload([["登不上企业微信", "", "", "", "", ""]]),
        default_channel="email",
    )

    assert Ticket.objects.get().channel == "email"


def test_errors_csv_lists_every_bad_row(client, desk, inline_tasks):
    client.force_login(desk)
    upload(client, inline_tasks, csv_upload())
    job = ImportJob.objects.get()

    response = client.get(reverse("imports:errors_csv", args=[job.pk]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    rows = list(csv.reader(io.StringIO(body)))
    assert [row[0] for row in rows[1:]] == ["3", "4"]
    assert rows[2][1:3] == ["学院", "未知学院"]  # the header of the uploaded file


def test_a_failed_job_can_be_resumed(client, desk, inline_tasks, tmp_path):
    client.force_login(desk)
    path = tmp_path / "m.csv"
    path.write_bytes(csv_upload().read())
    job = ImportJob.objects.create(
        path=str(path), original_name="m.csv", status=JobStatus.FAILED, failure="导入中断"
    )
    assert "继续导入" in client.get(reverse("imports:job", args=[job.pk])).content.decode()

    with inline_tasks(execute=True):
        response = client.post(reverse("imports:resume", args=[job.pk]))

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == JobStatus.DONE
    assert Ticket.objects.count() == 2


def test_only_desk_staff_import(client, teacher_a):
    client.force_login(teacher_a)
    job = ImportJob.objects.create(original_name="x.csv")

    assert client.get(reverse("imports:index")).status_code == 403
    assert client.get(reverse("imports:progress", args=[job.pk])).status_code == 403
    assert "批量导入" not in client.get("/").content.decode()


def test_anonymous_users_are_sent_to_login(client):
    response = client.get(reverse("imports:index"))

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_desk_staff_see_the_nav_link_and_recent_jobs(client, desk):
    client.force_login(desk)
    ImportJob.objects.create(original_name="三月QQ群.xlsx", status=JobStatus.DONE, created_count=12)

    page = client.get(reverse("imports:index")).content.decode()

    assert f'href="{reverse("imports:index")}"' in page
    assert "三月QQ群.xlsx" in page


def test_a_job_that_never_started_says_why(client, desk):
    from django.utils import timezone

    from imports.models import STALL_AFTER

    client.force_login(desk)
    job = ImportJob.objects.create(original_name="x.csv")
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - STALL_AFTER * 2)

    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()

    assert "celery worker" in page
    assert "继续导入" in page


def test_errors_csv_never_holds_a_live_formula(client, desk, inline_tasks):
    client.force_login(desk)
    rows = [["=1+2 鸿蒙装不了", "电话", "106146000000011", '=HYPERLINK("x")', "", ""]]
    upload(client, inline_tasks, csv_upload(rows))
    job = ImportJob.objects.get()

    response = client.get(reverse("imports:errors_csv", args=[job.pk]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    cells = [cell for row in csv.reader(io.StringIO(body)) for cell in row]
    assert '\'=HYPERLINK("x")' in cells
    assert not any(cell.startswith("=") for cell in cells)


def test_row_errors_name_columns_as_the_file_did(client, desk, inline_tasks):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["咨询内容", "来源", "考号"])
    writer.writerow(["验证码收不到", "QQ", "12345"])
    file = SimpleUploadedFile("m.csv", out.getvalue().encode("utf-8"), content_type="text/csv")
    client.force_login(desk)
    upload(client, inline_tasks, file)
    job = ImportJob.objects.get()
    page = client.get(reverse("imports:job", args=[job.pk])).content.decode()
    table = page.split("<tbody>")[1].split("</tbody>")[0]
    assert "<td>考号</td>" in table and "candidate_number" not in table
    response = client.get(reverse("imports:errors_csv", args=[job.pk]))
    lines = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "考号" in lines and "candidate_number" not in lines
