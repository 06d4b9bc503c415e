import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def run(*args, stdin=None, monkeypatch=None):
    out = io.StringIO()
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    call_command("triage", *args, stdout=out)
    return out.getvalue()


def test_one_text_is_printed_readably():
    out = run("第三步验证码收不到，确认是微信绑定的号码，试了好几次")
    assert "category:   sms_code" in out
    assert "route:      escalate" in out
    assert "evidence:" in out and "验证码" in out
    assert "028-61831184" in out  # the escalation reply


def test_jsonl_from_a_file_keeps_input_order(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(
        '{"id": "a", "text": "统一认证密码忘了"}\n{"id": "b", "text": "在吗"}\n\n'
        '{"id": 3, "text": "企微怎么激活"}\n',
        encoding="utf-8",
    )
    lines = [json.loads(line) for line in run("--jsonl", str(path)).splitlines()]
    assert [(r["id"], r["category"], r["route"]) for r in lines] == [
        ("a", "ids_password", "guide_answer"),
        ("b", "other", "manual"),
        (3, "wecom_activate", "guide_answer"),
    ]
    assert set(lines[0]) == {
        "id",
        "category",
        "route",
        "also",
        "confidence",
        "needs_review",
        "evidence",
    }
    assert isinstance(lines[1]["needs_review"], bool)


def test_a_bad_line_gets_an_error_object_the_run_continues_and_the_exit_is_non_zero(monkeypatch):
    stdin = (
        '{"id": "a", "text": "验证码收不到"}\nnot json\n{"id": "c"}\n[1, 2]\n'
        '{"id": "e", "text": "鸿蒙next关注不了企业号"}\n'
    )
    out = io.StringIO()
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    with pytest.raises(CommandError) as raised:
        call_command("triage", "--jsonl", "-", stdout=out)
    assert raised.value.returncode == 1
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line.get("category") or "error" for line in lines] == [
        "sms_code",
        "error",
        "error",
        "error",
        "harmonyos",
    ]
    assert lines[1]["line"] == 2 and "JSON" in lines[1]["error"]
    assert lines[2]["id"] == "c" and "text" in lines[2]["error"]


def test_a_missing_file_or_no_input_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("triage", "--jsonl", str(tmp_path / "missing.jsonl"))
    with pytest.raises(CommandError, match="either a text or --jsonl"):
        call_command("triage")
