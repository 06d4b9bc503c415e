import io
import json

import openpyxl
import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse

from reports.models import WeeklyReport

pytestmark = pytest.mark.django_db


def run_to_file(tmp_path, *args) -> bytes:
    target = tmp_path / "out"
    call_command("weekly_report", *args, "--output", str(target), stderr=io.StringIO())
    return target.read_bytes()


def test_json_has_the_documented_keys_and_stores_the_week(tmp_path, week47):
    data = json.loads(run_to_file(tmp_path, "--week", "2026-W47"))
    assert set(data) >= {
        "schema",
        "period",
        "scope",
        "generated_at",
        "as_of",
        "totals",
        "previous",
        "change",
        "by_category",
        "by_route",
        "by_channel",
        "by_college",
        "by_status",
        "by_day",
        "open_escalations",
        "triage",
        "other_phrases",
    }
    assert data["period"]["iso_week"] == "2026-W47" and data["totals"]["new"] == 5
    assert WeeklyReport.objects.get(college=None).data == data


def test_json_equals_what_the_page_shows(tmp_path, client, viewer, week47):
    data = json.loads(run_to_file(tmp_path, "--week", "2026-W47"))
    client.force_login(viewer)
    shown = client.get(reverse("reports:report"), {"week": "2026-W47"}).context["data"]
    for key in ("totals", "change", "by_day", "other_phrases", "previous"):
        assert shown[key] == data[key]
    for key in ("by_category", "by_college", "triage"):
        assert [{k: v for k, v in row.items() if k != "label"} for row in shown[key]] == [
            {k: v for k, v in row.items() if k != "label"} for row in data[key]
        ]


def test_running_twice_leaves_one_report(tmp_path, week47):
    run_to_file(tmp_path, "--week", "2026-W47")
    run_to_file(tmp_path, "--week", "2026-W47")
    assert WeeklyReport.objects.count() == 1


def test_college_version(tmp_path, week47):
    data = json.loads(run_to_file(tmp_path, "--week", "2026-W47", "--college", "sice"))
    assert data["scope"]["college"]["code"] == "sice" and data["totals"]["new"] == 2
    assert WeeklyReport.objects.get().college.code == "sice"


def test_csv_xlsx_html(tmp_path, week47):
    assert "新建工单,5,2,3" in run_to_file(
        tmp_path, "--week", "2026-W47", "--format", "csv"
    ).decode("utf-8-sig")
    book = openpyxl.load_workbook(
        io.BytesIO(run_to_file(tmp_path, "--week", "2026-W47", "--format", "xlsx"))
    )
    assert "按学院" in book.sheetnames
    html = run_to_file(tmp_path, "--week", "2026-W47", "--format", "html").decode()
    assert html.startswith("<!doctype html>") and "鸿蒙" in html


def test_send_mails_even_if_sent_before(
    tmp_path, settings, week47, django_capture_on_commit_callbacks
):
    settings.REPORT_RECIPIENTS = ["lead@uestc.edu.cn"]
    with django_capture_on_commit_callbacks(execute=True):
        run_to_file(tmp_path, "--week", "2026-W47", "--send")
        run_to_file(tmp_path, "--week", "2026-W47", "--send")
    assert len(mail.outbox) == 2


def test_date_range_is_printed_not_stored(tmp_path, week47):
    data = json.loads(run_to_file(tmp_path, "--from", "2026-11-18", "--to", "2026-11-19"))
    assert data["period"]["iso_week"] is None and data["totals"]["new"] == 2
    assert not WeeklyReport.objects.exists()
    with pytest.raises(CommandError, match="--send"):
        run_to_file(tmp_path, "--from", "2026-11-18", "--to", "2026-11-19", "--send")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--week", "2026-47"], "不是 ISO 周"),
        (["--week", "2027-W53"], "2027 年没有第 53 周"),
        (["--week", "2026-W47", "--college", "nope"], "no college with code 'nope'"),
        (["--from", "2026-11-19", "--to", "2026-11-18"], "早于"),
    ],
)
def test_bad_input_is_a_one_line_error(tmp_path, db, args, message):
    with pytest.raises(CommandError, match=message):
        run_to_file(tmp_path, *args)
    assert not WeeklyReport.objects.exists()
