import pytest
from django.core.management import CommandError, call_command

from imports.models import ImportJob
from tests.imports.samples import MIXED_ROWS as ROWS
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_tickets", *args, stdout=out)
    return out.getvalue()


def test_import_prints_a_summary_and_the_bad_rows(write_csv):
    out = run(str(write_csv(ROWS)))

    assert "created: 2" in out
    assert "bad rows: 2" in out
    assert "row 3: text:" in out
    assert "row 4: college: 未知学院 '火星学院'" in out
    assert Ticket.objects.count() == 2


def test_running_it_twice_adds_nothing_the_second_time(write_csv):
    path = str(write_csv(ROWS))
    run(path)
    out = run(path)

    assert "created: 0, duplicates skipped: 2" in out
    assert Ticket.objects.count() == 2


def test_dry_run_writes_nothing(write_csv):
    out = run(str(write_csv(ROWS)), "--dry-run")

    assert "would create: 2" in out
    assert "row 4: college" in out
    assert Ticket.objects.count() == 0
    assert ImportJob.objects.count() == 0


def test_default_channel_and_user(write_csv, desk):
    run(
        str(write_csv([["登不上企业微信", "", "", "", "", ""]])),
        "--channel",
        "wechat",
        "--user",
        desk.username,
    )

    ticket = Ticket.objects.get()
    assert (ticket.channel, ticket.created_by) == ("wechat", desk)


def test_missing_file_and_unreadable_file_are_clear_errors(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run(str(tmp_path / "nope.csv"))
    bad = tmp_path / "old.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(CommandError, match="xls"):
        run(str(bad))


def test_resume_continues_a_job(write_csv):
    path = write_csv(ROWS)
    job = ImportJob.objects.create(path=str(path), original_name=path.name)

    out = run("--resume", str(job.pk))

    assert "created: 2" in out
