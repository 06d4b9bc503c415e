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
    base = [("t:", {"验证码": 1.0})]
    assert model.ranked_groups(base + [("new:", {"anything": 3.0})]) == model.ranked_groups(base)


def test_the_ngram_model_reads_a_message_as_scikit_learn_fitted_it():
    # the engine computes the companion model's TF-IDF vector in plain Python:
    # it must be the vector the model was fitted on, or its weights mean nothing
    from sklearn.feature_extraction.text import TfidfVectorizer

    from guide import training
    from guide.triage import normalize

    texts = [json.loads(line)["text"] for line in MESSAGES.read_text("utf-8").splitlines()]
    folded = [normalize.fold(t) for t in texts]
    labels = [f"c{i % 3}/guide_answer" for i in range(len(folded))]
    ngrams, _labels = training._fit_ngrams(folded, labels, [1.0] * len(folded))
    reference = TfidfVectorizer(
        analyzer="char",
        ngram_range=(1, 3),
        sublinear_tf=True,
        min_df=training.NGRAM_MIN_DF,
        lowercase=False,
        preprocessor=lambda text: text[: model_module.MAX_NGRAM_TEXT],
    ).fit(folded)
    names = reference.get_feature_names_out()
    for text in folded + [
        "验证码  收不到\n\n  code",
        "",
        "码",
        "从未见过的字",
        "收不到😀验证码\ud800",
    ]:
        row = reference.transform([text]).tocoo()
        expected = {str(names[j]): v for j, v in zip(row.col, row.data, strict=True)}
        got = ngrams.vector(text)
        assert got.keys() == expected.keys(), text
        assert [got[g] for g in expected] == pytest.approx(list(expected.values()), abs=1e-9)


def test_the_shipped_model_mixes_its_ngram_model_and_keeps_it_through_json(shipped):
    model = shipped.model
    assert model.ngrams is not None and 0 < model.ngram_share < 1
    again = model_module.LinearModel.from_json(model.to_json())
    for text in ["第三步验证码收不到", "how do I unfollow the uestc account", "群还没拉 急"]:
        a = engine.analyse(text, shipped)
        groups = engine.model_groups(a)
        mixed = model.ranked_groups(groups, a.folded)
        reread = again.ranked_groups(groups, a.folded)
        assert [label for label, _p in reread[:3]] == [label for label, _p in mixed[:3]]
        assert [p for _l, p in reread] == pytest.approx([p for _l, p in mixed], abs=1e-3)
        # the mixture is not the rule-feature model alone
        alone = model.ranked_groups(groups)
        assert abs(alone[0][1] - mixed[0][1]) > 1e-6


def test_a_batch_gets_the_suggestions_each_message_gets_alone(shipped):
    # bulk import scores its batches together: the desk must see the same
    # suggestion for a row as for the same message typed in the intake form
    texts = [json.loads(line)["text"] for line in MESSAGES.read_text("utf-8").splitlines()]
    texts += ["", "   ", "码", "验证码" * 900, "收不到😀验证码\ud800", "重庆大学的统一认证怎么激活"]
    alone = [engine.suggest_with(text, shipped) for text in texts]
    together = engine.suggest_many(texts, shipped)
    for text, one, batch in zip(texts, alone, together, strict=True):
        assert (batch.category, batch.route, batch.also, batch.needs_review) == (
            one.category,
            one.route,
            one.also,
            one.needs_review,
        ), text
        assert batch.confidence == pytest.approx(one.confidence, abs=1e-9), text


def test_a_message_the_engine_fails_on_leaves_the_rest_of_its_batch_answered(shipped, monkeypatch):
    decided = engine._decided

    def fails_on_one(a, kb, of_text=None):
        if "爆炸" in a.original:
            raise RuntimeError("boom")
        return decided(a, kb, of_text)

    monkeypatch.setattr(engine, "_decided", fails_on_one)
    first, failed, last = engine.suggest_many(
        ["第三步验证码收不到", "爆炸", "企业号怎么取关"], shipped
    )
    assert (first.category, last.category) == ("sms_code", "unfollow")
    assert (failed.category, failed.route, failed.needs_review) == ("other", "manual", True)
