"""One row's cells: checked, reported by row and column, keyed so a row lands once."""

from datetime import datetime

import pytest

from imports.models import ImportRowError, JobStatus
from tests.imports.samples import ROWS, SHANGHAI, errors_by_row
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


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


def test_empty_channel_takes_the_default_or_is_a_bad_row(write_csv, run_file):
    rows = [["登不上企业微信", "", "", "", "", ""]]
    job = run_file(write_csv(rows))
    assert job.error_count == 1
    assert "渠道为空" in errors_by_row(job)[(2, "channel")]

    job = run_file(write_csv(rows, name="b.csv"), default_channel="wechat")
    assert job.created_count == 1
    assert Ticket.objects.get().channel == "wechat"


def test_repeated_rows_in_one_file_make_one_ticket(write_csv, run_file):
    job = run_file(write_csv([ROWS[0], ROWS[1], ROWS[0], [" " + ROWS[0][0] + " ", *ROWS[0][1:]]]))

    assert (job.created_count, job.duplicate_count) == (2, 2)
    assert Ticket.objects.count() == 2


def test_overlapping_files_and_formats_share_keys(write_csv, write_xlsx, run_file):
    run_file(write_csv(ROWS[:2], name="a.csv", encoding="gb18030"))
    run_file(
        write_xlsx(
            [ROWS[1], ROWS[2]], header=["内容", "渠道", "考生号", "学院", "联系方式", "时间"]
        )
    )

    assert Ticket.objects.count() == 3


def test_a_row_breaks_the_same_rules_as_a_ticket_entered_by_hand(write_csv, run_file):
    from django.core.exceptions import ValidationError

    from tickets.actions import create_ticket as ticket_create

    number, phone = "10614700000000", "+86-(0)-138-1234-5678"  # 14 digits; too long a phone
    job = run_file(write_csv([["登不上企业微信", "QQ", number, "", phone, ""]]))
    with pytest.raises(ValidationError) as by_hand:
        ticket_create(
            actor=None,
            text="登不上企业微信",
            channel="qq",
            candidate_number=number,
            contact_phone=phone,
        )

    errors, expected = errors_by_row(job), by_hand.value.message_dict
    assert (job.created_count, job.error_count) == (0, 1)
    assert errors[(2, "candidate_number")] == expected["candidate_number"][0]
    assert errors[(2, "contact")] == expected["contact_phone"][0]
    assert Ticket.objects.count() == 0
