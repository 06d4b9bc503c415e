"""The engine scores the model from feature groups (LinearModel.ranked_groups) without
naming a feature; training fits on the named features (model.named). Both
must read a message alike, or the model would be served other inputs than it
was fitted on."""

import json
from pathlib import Path

import pytest

from guide.triage import engine, knowledge
from guide.triage import model as model_module

MESSAGES = Path(__file__).with_name("messages.jsonl")


@pytest.fixture(scope="module")
def shipped():
    return knowledge.from_files()


def test_the_engines_scoring_is_the_models_ranking_of_the_named_features(shipped):
    texts = [json.loads(line)["text"] for line in MESSAGES.read_text("utf-8").splitlines()]
    texts += ["", "   ", "ok", "x" * 5000, "验证码" * 800]
    for text in texts:
        groups = engine.model_groups(engine.analyse(text, shipped))
        fast = shipped.model.ranked_groups(groups)
        ranked = shipped.model.ranked(model_module.named(groups))
        assert [label for label, _p in fast] == [label for label, _p in ranked], text
        assert [p for _l, p in fast] == pytest.approx([p for _l, p in ranked], abs=1e-12), text


def test_a_feature_family_the_model_never_saw_scores_nothing(shipped):
    model = shipped.model
    base = [("t:", {"验证码": 1.0}, 1.0)]
    assert model.ranked_groups(base + [("new:", {"anything": 3.0}, 1.0)]) == model.ranked_groups(
        base
    )
