import io
import json

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

MESSAGES = [
    ("统一认证密码忘了怎么找回", "ids_password", "guide_answer"),
    ("统一认证的密码记不得了", "ids_password", "guide_answer"),
    ("设置密码总提示强度不够", "ids_password", "guide_answer"),
    ("企微验证码收不到", "sms_code", "guide_answer"),
    ("第三步验证码提示错误", "sms_code", "guide_answer"),
    ("第三步填哪个手机号", "sms_code", "guide_answer"),
    ("复试分数线什么时候出", "other", "manual"),
    ("宿舍怎么申请", "other", "manual"),
    ("在吗", "other", "manual"),
    ("鸿蒙next关注不了企业号", "harmonyos", "guide_answer"),
    ("纯血鸿蒙的微信找不到企业号", "harmonyos", "guide_answer"),
    ("华为鸿蒙NEXT怎么激活", "harmonyos", "guide_answer"),
]


@pytest.fixture
def labelled(tmp_path):
    path = tmp_path / "labelled.jsonl"
    path.write_text(
        "".join(
            json.dumps(
                {"id": f"x{i}", "text": t, "category": c, "route": r, "also": []},
                ensure_ascii=False,
            )
            + "\n"
            for i, (t, c, r) in enumerate(MESSAGES)
        ),
        encoding="utf-8",
    )
    return path


def test_figures_baselines_confusions_and_throughput_are_printed(labelled):
    out = io.StringIO()
    call_command("triage_eval", str(labelled), "--folds", "3", stdout=out)
    text = out.getvalue()
    engine_line = next(line for line in text.splitlines() if line.startswith("engine "))
    assert engine_line.split()[1:4] == [
        "1.000",
        "1.000",
        "1.000",
    ]  # category, route, abstention precision
    assert "keyword matcher" in text and "tfidf char 1-3 + logreg (3-fold CV)" in text
    assert "messages/s" in text and "confusions" in text
    assert "targets (category >= 0.95" in text


def test_the_corrections_measurement_is_printed_on_request(labelled):
    out = io.StringIO()
    call_command(
        "triage_eval", str(labelled), "--folds", "3", "--corrections", "--no-baselines", stdout=out
    )
    assert "learning from corrections" in out.getvalue()
    assert "no keyword rules" in out.getvalue()


def test_a_bad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "1", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="missing category, route"):
        call_command("triage_eval", str(path))
    with pytest.raises(CommandError):
        call_command("triage_eval", str(tmp_path / "none.jsonl"))


def test_corrections_fed_from_another_file_are_measured_on_this_one(labelled, tmp_path):
    other = tmp_path / "other.jsonl"
    other.write_text(
        json.dumps({"id": "o1", "text": "学信网登不上", "category": "other", "route": "manual"})
        + "\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("triage_eval", str(labelled), "--no-baselines", "--feed", str(other), stdout=out)
    assert "after feeding 1 corrections" in out.getvalue()
    assert "engine + corrections" in out.getvalue()
