from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from guide.triage import suggest
from imports import importing
from imports.models import STALL_AFTER, ImportJob, ImportRowError, JobStatus
from tickets.models import EventKind, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
ROWS = [
    [
        "企业微信收不到验证码，手机号是对的",
        "QQ",
        "106147000000001",
        "sice",
        "13812345678",
        "2026-03-20 14:05",
    ],
    [
        "统一身份认证忘记密码了怎么办",
        "企业微信",
        "106147000000002",
        "计算机科学与工程学院（网络空间安全学院）",
        "cand@example.com",
        "2026/3/21 9:00",
    ],
    ["鸿蒙手机关注不了电子科技大学企业号", "邮件", "", "", "", ""],
]


def errors_by_row(job):
    return {(e.row_number, e.column): e.reason for e in ImportRowError.objects.filter(job=job)}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_each_encoding_lands_the_chinese_text_intact(write_csv, run_file, encoding):
    job = run_file(write_csv(ROWS, encoding=encoding))

    assert job.status == JobStatus.DONE
    assert job.created_count == 3
    assert set(Ticket.objects.values_list("text", flat=True)) == {row[0] for row in ROWS}
    assert job.encoding == encoding


def test_chinese_headers_are_recognised(write_csv, run_file):
    job = run_file(write_csv(ROWS, header=["内容", "渠道", "考生号", "学院", "联系方式", "时间"]))

    ticket = Ticket.objects.get(candidate_number="106147000000001")
    assert job.created_count == 3
    assert ticket.channel == "qq"
    assert ticket.college.code == "sice"
    assert ticket.contact_phone == "13812345678"
    assert ticket.created_at == datetime(2026, 3, 20, 14, 5, tzinfo=SHANGHAI)


def test_xlsx_with_date_cells_and_numeric_candidate_numbers(write_xlsx, run_file):
    rows = [
        [
            "微信换绑怎么弄",
            "微信",
            106147000000009,
            "数学科学学院",
            13900001111,
            datetime(2026, 3, 22, 10, 30),
        ]
    ]
    job = run_file(
        write_xlsx(rows, header=["考生原话", "来源", "考生号", "报考学院", "手机号", "提交时间"])
    )

    ticket = Ticket.objects.get()
    assert job.file_format == "xlsx"
    assert (ticket.candidate_number, ticket.college.code, ticket.contact_phone) == (
        "106147000000009",
        "math",
        "13900001111",
    )
    assert ticket.created_at == datetime(2026, 3, 22, 10, 30, tzinfo=SHANGHAI)


def test_every_row_is_triaged_and_logged_with_a_created_event(write_csv, run_file):
    run_file(write_csv(ROWS))

    for ticket in Ticket.objects.all():
        expected = suggest(ticket.text)
        assert (ticket.suggested_category, ticket.suggested_route) == (
            expected.category,
            expected.route,
        )
        assert (ticket.category, ticket.route) == (expected.category, expected.route)
        event = TicketEvent.objects.get(ticket=ticket)
        assert event.kind == EventKind.CREATED
        assert event.data["suggestion"]["category"] == expected.category


def test_bad_rows_are_reported_by_row_number_and_good_rows_still_land(write_csv, run_file):
    rows = [
        ROWS[0],  # row 2: good
        ["", "QQ", "", "", "", ""],  # row 3: empty text
        ["登不上企业微信", "QQ", "", "火星学院", "", ""],  # row 4: unknown college
        ["登不上企业微信", "QQ", "", "", "", "2026-02-30"],  # row 5: bad date
        ["x" * 1_048_576, "QQ", "", "", "", ""],  # row 6: a 1 MB cell
        ["登不上企业微信", "QQ", "", "", "abc" * 400_000, ""],  # row 7: a 1 MB contact
        ["登不上企业微信", "飞鸽传书", "123", "", "", ""],  # row 8: channel, number
        ROWS[1],  # row 9: good
    ]
    job = run_file(write_csv(rows))

    errors = errors_by_row(job)
    assert job.status == JobStatus.DONE
    assert (job.created_count, job.error_count) == (2, 6)
    assert "为空" in errors[(3, "text")]
    assert "未知学院" in errors[(4, "college")]
    assert "时间" in errors[(5, "created_at")]
    assert "过长" in errors[(6, "text")]
    assert "过长" in errors[(7, "contact")]
    assert (8, "channel") in errors and (8, "candidate_number") in errors
    assert ImportRowError.objects.get(job=job, row_number=6).value.endswith("…")
    assert set(Ticket.objects.values_list("text", flat=True)) == {ROWS[0][0], ROWS[1][0]}


def test_blank_rows_are_skipped_not_errors(write_csv, run_file):
    job = run_file(write_csv([ROWS[0], ["", "", "", "", "", ""], ROWS[1]]))

    assert (job.created_count, job.error_count, job.blank_count) == (2, 0, 1)


def test_repeated_rows_in_one_file_make_one_ticket(write_csv, run_file):
    job = run_file(write_csv([ROWS[0], ROWS[1], ROWS[0], [" " + ROWS[0][0] + " ", *ROWS[0][1:]]]))

    assert (job.created_count, job.duplicate_count) == (2, 2)
    assert Ticket.objects.count() == 2


def test_reimporting_the_same_file_adds_nothing(write_csv, run_file):
    path = write_csv(ROWS)
    run_file(path)
    again = run_file(path)

    assert (again.created_count, again.duplicate_count) == (0, 3)
    assert Ticket.objects.count() == 3
    assert TicketEvent.objects.count() == 3


def test_overlapping_files_and_formats_share_keys(write_csv, write_xlsx, run_file):
    run_file(write_csv(ROWS[:2], name="a.csv", encoding="gb18030"))
    run_file(
        write_xlsx(
            [ROWS[1], ROWS[2]], header=["内容", "渠道", "考生号", "学院", "联系方式", "时间"]
        )
    )

    assert Ticket.objects.count() == 3


def test_empty_channel_takes_the_default_or_is_a_bad_row(write_csv, run_file):
    rows = [["登不上企业微信", "", "", "", "", ""]]
    job = run_file(write_csv(rows))
    assert job.error_count == 1
    assert "渠道为空" in errors_by_row(job)[(2, "channel")]

    job = run_file(write_csv(rows, name="b.csv"), default_channel="wechat")
    assert job.created_count == 1
    assert Ticket.objects.get().channel == "wechat"


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "空"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ".xls"),
        (b"PK\x03\x04 not really a zip", "XLSX"),
        ("渠道,考生号\nQQ,1\n".encode(), "text"),
        (b"text,channel\n\xff\xfe\xfa\x80\x81 abc,QQ\n" * 3, "编码"),
    ],
)
def test_an_unreadable_file_fails_with_a_reason_and_writes_nothing(
    tmp_path, run_file, content, message
):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    job = run_file(path)

    assert job.status == JobStatus.FAILED
    assert message in job.failure
    assert Ticket.objects.count() == 0


def test_dry_run_reports_but_writes_nothing(write_csv):
    path = write_csv([ROWS[0], ROWS[0], ["", "QQ", "", "", "", ""], ROWS[1]])
    summary = importing.dry_run(path)

    assert (summary.created, summary.duplicates, summary.errors) == (2, 1, 1)
    assert [p.number for p in summary.problems] == [4]
    assert Ticket.objects.count() == 0


def test_a_crash_mid_file_keeps_whole_batches_and_resumes(write_csv, run_file, monkeypatch):
    rows = [[f"企业微信收不到验证码 第{i}条", "QQ", "", "", "", ""] for i in range(7)]
    rows[4] = ["", "QQ", "", "", "", ""]  # a bad row in the batch that crashes
    path = write_csv(rows)
    real_bulk_create = ImportRowError.objects.bulk_create
    calls = []

    def crash_on_third_batch(objs, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("worker killed")
        return real_bulk_create(objs, *args, **kwargs)

    monkeypatch.setattr(ImportRowError.objects, "bulk_create", crash_on_third_batch)
    with pytest.raises(RuntimeError):
        run_file(path, batch_size=2)

    # Batches 1-2 committed; batch 3 (tickets already inserted when it crashed) rolled back whole.
    job = importing.ImportJob.objects.get()
    assert job.status == JobStatus.FAILED
    assert job.rows_done == 4
    assert Ticket.objects.count() == 4
    assert TicketEvent.objects.count() == 4
    assert ImportRowError.objects.count() == 0

    monkeypatch.setattr(ImportRowError.objects, "bulk_create", real_bulk_create)
    job = importing.run_job(job.pk, batch_size=2)

    assert job.status == JobStatus.DONE
    assert (job.rows_done, job.created_count, job.error_count) == (7, 6, 1)
    assert Ticket.objects.count() == 6
    assert TicketEvent.objects.count() == 6
    assert list(ImportRowError.objects.values_list("row_number", flat=True)) == [6]


def test_resuming_without_the_resume_point_still_adds_nothing_twice(write_csv, run_file):
    path = write_csv(ROWS)
    job = run_file(path)
    # As if the worker died after committing the tickets but the job row was lost.
    importing.ImportJob.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING, rows_done=0, created_count=0
    )

    job = importing.run_job(job.pk, force=True)

    assert job.status == JobStatus.DONE
    assert Ticket.objects.count() == 3
    assert job.duplicate_count == 3


def test_a_job_running_elsewhere_is_not_started_twice(write_csv):
    path = write_csv(ROWS)
    job = ImportJob.objects.create(
        path=str(path), original_name=path.name, status=JobStatus.RUNNING
    )

    job = importing.run_job(job.pk)  # e.g. the task redelivered while the first still runs

    assert job.status == JobStatus.RUNNING
    assert Ticket.objects.count() == 0

    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - STALL_AFTER * 2)
    job = importing.run_job(job.pk)  # but one that went quiet is taken over

    assert job.status == JobStatus.DONE
    assert Ticket.objects.count() == 3


def test_xlsx_saved_without_its_size_still_gets_a_row_total(tmp_path, run_file):
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("messages")
    sheet.append(["text", "channel"])
    for i in range(25):
        sheet.append([f"企业微信收不到验证码 {i}", "QQ"])
    path = tmp_path / "streamed.xlsx"
    workbook.save(path)

    job = run_file(path)

    assert (job.rows_total, job.created_count) == (25, 25)


def test_a_triage_worker_process_gives_the_same_tickets(write_csv, run_file):
    rows = [
        [f"{text} 第{i}条", "QQ", "", "", "", ""] for i, text in enumerate(r[0] for r in ROWS * 5)
    ]
    path = write_csv(rows)
    job = ImportJob.objects.create(path=str(path), original_name=path.name)

    job = importing.run_job(job.pk, batch_size=4, workers=1)

    assert (job.status, job.created_count) == (JobStatus.DONE, 15)
    for ticket in Ticket.objects.all():
        expected = suggest(ticket.text)
        assert (ticket.suggested_category, ticket.suggested_route) == (
            expected.category,
            expected.route,
        )
        assert ticket.suggested_confidence == pytest.approx(expected.confidence)


def test_a_file_that_breaks_off_keeps_the_rows_before_the_break(write_csv, run_file, monkeypatch):
    monkeypatch.setattr(importing, "CSV_FIELD_LIMIT", 1000)
    rows = [[f"企业微信收不到验证码 第{i}条", "QQ", "", "", "", ""] for i in range(5)]
    rows[3][4] = "9" * 2000  # row 5: bigger than the csv module will read
    job = run_file(write_csv(rows), batch_size=2)

    assert job.status == JobStatus.FAILED
    assert "第 5 行" in job.failure
    assert Ticket.objects.count() == 3
    assert job.rows_done == 3
