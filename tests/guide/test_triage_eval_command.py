import io
import json

import pytest
from django.core.management import CommandError, call_command

from guide import training

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
    # category, route, both right, abstention precision
    assert engine_line.split()[1:5] == ["1.000", "1.000", "1.000", "1.000"]
    assert "keyword matcher" in text and "tfidf char 1-3 + logreg (3-fold CV)" in text
    assert "messages/s" in text and "confusions" in text and "AUROC" in text
    assert "not flagged 请核对" in text and "targets (category, route >= 0.96" in text


def test_cross_validation_and_the_learning_curve_are_printed_on_request(labelled, monkeypatch):
    # Each fold refits the model: on a tenth of the shipped labelled file the
    # fits are cheap and the printed sections are the same.
    few = training.shipped_rows()[::10]
    monkeypatch.setattr(training, "shipped_rows", lambda: few)
    out = io.StringIO()
    call_command(
        "triage_eval",
        str(labelled),
        "--folds",
        "3",
        "--cv",
        "--no-baselines",
        "--learning-curve",
        stdout=out,
    )
    text = out.getvalue()
    assert "3-fold CV on this file" in text
    assert "learning curve" in text and "taught    0:" in text


def test_a_bad_file_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "1", "text": "x"}\n', encoding="utf-8")
    with pytest.raises(CommandError, match="missing category, route"):
        call_command("triage_eval", str(path))
    with pytest.raises(CommandError):
        call_command("triage_eval", str(tmp_path / "none.jsonl"))


def test_a_file_of_shipped_examples_is_scored_by_a_model_that_never_saw_it(tmp_path, monkeypatch):
    # Scoring the shipped model on its own training messages would flatter it:
    # the command refits without them and says so.
    few = training.shipped_rows()[::20]
    monkeypatch.setattr(training, "shipped_rows", lambda: few)
    path = tmp_path / "seen.jsonl"
    path.write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in few[:12]), encoding="utf-8"
    )
    out = io.StringIO()
    call_command("triage_eval", str(path), "--folds", "3", "--no-baselines", stdout=out)
    text = out.getvalue()
    assert "refitted without this file (12 of its messages are shipped labelled examples)" in text
    assert "none of them from this file" not in text


def test_a_file_the_model_never_learned_is_scored_by_the_shipped_model(tmp_path):
    unseen = [
        ("我那个统一认证的密码啊设了五遍都说太简单，气死", "ids_password", "guide_answer"),
        ("麻烦问下食堂饭卡在哪里充值呢同学们", "other", "manual"),
        ("鸿蒙五点零的华为手机上微信死活关注不上学校那个号", "harmonyos", "guide_answer"),
    ]
    path = tmp_path / "unseen.jsonl"
    path.write_text(
        "".join(
            json.dumps({"id": str(i), "text": t, "category": c, "route": r}, ensure_ascii=False)
            + "\n"
            for i, (t, c, r) in enumerate(unseen)
        ),
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("triage_eval", str(path), "--folds", "3", "--no-baselines", stdout=out)
    assert "none of them from this file" in out.getvalue()


def test_the_review_threshold_rule_picks_the_highest_threshold_that_leaves_80_percent():
    from guide.triage_eval import highest_threshold_covering

    # ten suggestions: eight at 0.93 or more (one of them wrong), two below
    confidences = [0.99, 0.98, 0.97, 0.96, 0.95, 0.95, 0.94, 0.93, 0.70, 0.40]
    rights = [True, True, True, True, True, False, True, True, False, True]
    threshold, coverage, accuracy = highest_threshold_covering(confidences, rights)
    assert threshold == 0.93 and coverage == 0.8 and accuracy == 7 / 8
    assert highest_threshold_covering([0.0, 0.0], [True, True]) is None


def test_the_printed_figures_name_the_threshold_the_rule_would_choose(labelled):
    out = io.StringIO()
    call_command("triage_eval", str(labelled), "--no-baselines", stdout=out)
    assert "the highest threshold leaving >= 80% unflagged: " in out.getvalue()
