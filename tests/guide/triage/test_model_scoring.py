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
