import io

import pytest
from django.core.management import CommandError, call_command

from guide.models import LabelledExample

pytestmark = pytest.mark.django_db

GOOD = (
    '{"id": "a", "text": "验证码收不到", "category": "sms_code", "route": "guide_answer"}\n'
    '{"id": "b", "text": "旧号停机了想换号", "category": "phone_change", "route": "escalate"}\n'
)


def test_labelled_lines_are_loaded_and_duplicates_skipped(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text(GOOD + GOOD.splitlines(keepends=True)[0], encoding="utf-8")
    out = io.StringIO()
    call_command("triage_teach", str(path), "--no-retrain", stdout=out)
    assert LabelledExample.objects.count() == 2
    assert "loaded 2 labelled example(s), skipped 1 duplicate(s)" in out.getvalue()
    call_command("triage_teach", str(path), "--no-retrain", stdout=out)
    assert LabelledExample.objects.count() == 2


def test_a_csv_with_chinese_headers_is_read(tmp_path):
    path = tmp_path / "history.csv"
    path.write_text("考生原话,问题分类,处理方式\n验证码收不到,sms_code,guide_answer\n", "utf-8")
    call_command("triage_teach", str(path), "--no-retrain", stdout=io.StringIO())
    assert LabelledExample.objects.get().category == "sms_code"


def test_bad_lines_are_reported_with_number_and_reason_and_nothing_is_loaded(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text(
        GOOD
        + "not json\n"
        + '{"text": "x", "category": "nope", "route": "manual"}\n'
        + '{"text": "y", "category": "sms_code", "route": "later"}\n',
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 bad line"):
        call_command("triage_teach", str(path), stderr=err, stdout=io.StringIO())
    report = err.getvalue()
    assert "line 3: not a JSON object" in report
    assert "line 4: unknown category 'nope'" in report
    assert "line 5: unknown route 'later'" in report
    assert not LabelledExample.objects.exists()


def test_a_dry_run_loads_nothing(tmp_path):
    path = tmp_path / "history.jsonl"
    path.write_text(GOOD, encoding="utf-8")
    out = io.StringIO()
    call_command("triage_teach", str(path), "--dry-run", stdout=out)
    assert "would load 2" in out.getvalue() and not LabelledExample.objects.exists()
