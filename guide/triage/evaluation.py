"""Scoring the engine on a labelled JSONL file, against two baselines, plus the
corrections experiment and the tokenizer comparison. Used by `manage.py
triage_eval` and bench/triage_bench.py. scikit-learn and jieba are development
extras, imported only by the functions that need them.
"""

import json
import random
import statistics
import time
from collections import Counter
from dataclasses import replace

from guide.categories import ABSTAIN_CATEGORY, CATEGORY_CODES
from guide.models import Route

from . import engine, normalize
from .knowledge import Example, Knowledge, NgramIndex

FIELDS = ("id", "text", "category", "route")


class DataError(ValueError):
    pass


def load_jsonl(path: str) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8") as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as error:
                raise DataError(f"{path}:{number}: not JSON ({error})") from error
            missing = [f for f in FIELDS if not isinstance(row, dict) or f not in row]
            if missing:
                raise DataError(f"{path}:{number}: missing {', '.join(missing)}")
            if row["category"] not in CATEGORY_CODES or row["route"] not in Route.values:
                raise DataError(f"{path}:{number}: unknown category or route")
            row.setdefault("also", [])
            rows.append(row)
    if not rows:
        raise DataError(f"{path}: no labelled messages")
    return rows


def engine_predictor(kb: Knowledge):
    def predict(text):
        s = engine.suggest_with(text, kb)
        return s.category, s.route, s.also, s.confidence

    return predict


def score(rows: list[dict], predictions: list[tuple]) -> dict:
    n = len(rows)
    cat_ok = route_ok = 0
    abstain_pred = abstain_gold = abstain_hit = 0
    also_gold = also_hit = 0
    confusions = Counter()
    bins = [[0, 0, 0.0] for _ in range(5)]  # count, correct, sum of confidence
    for row, (category, route, also, confidence) in zip(rows, predictions, strict=True):
        cat_ok += category == row["category"]
        route_ok += route == row["route"]
        abstain_pred += category == ABSTAIN_CATEGORY
        abstain_gold += row["category"] == ABSTAIN_CATEGORY
        abstain_hit += category == ABSTAIN_CATEGORY == row["category"]
        also_gold += len(row["also"])
        also_hit += len(set(row["also"]) & set(also or []))
        if category != row["category"]:
            confusions[(row["category"], category)] += 1
        if confidence is not None:
            b = bins[min(int(confidence * 5), 4)]
            b[0] += 1
            b[1] += category == row["category"]
            b[2] += confidence
    ece = sum(abs(b[1] - b[2]) for b in bins if b[0]) / n
    return {
        "n": n,
        "category_accuracy": cat_ok / n,
        "route_accuracy": route_ok / n,
        "abstention_precision": abstain_hit / abstain_pred if abstain_pred else None,
        "abstention_recall": abstain_hit / abstain_gold if abstain_gold else None,
        "also_recall": also_hit / also_gold if also_gold else None,
        "confusions": confusions.most_common(),
        "calibration": [
            (i / 5, (i + 1) / 5, b[0], b[1] / b[0] if b[0] else None, b[2] / b[0] if b[0] else None)
            for i, b in enumerate(bins)
        ],
        "ece": ece if any(p[3] is not None for p in predictions) else None,
    }


def throughput(predict, texts: list[str], repeats: int = 5, minimum_messages: int = 2000) -> float:
    """Median messages/s over `repeats` runs (one process, one thread)."""
    rounds = max(1, minimum_messages // max(len(texts), 1))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(rounds):
            for text in texts:
                predict(text)
        rates.append(rounds * len(texts) / (time.perf_counter() - start))
    return statistics.median(rates)


# --- baselines ---------------------------------------------------------------


def keyword_predictor(kb: Knowledge):
    """Plain keyword matcher: the words of each category's keyword rules,
    matched literally (no synonyms, typos, sentences, negation or route
    conditions); the category with most hits, its default route."""
    words = {
        code: {t for rule in info.rules for t in rule.required}
        for code, info in kb.categories.items()
    }

    def predict(text):
        folded = normalize.fold(text)
        counts = {code: sum(w in folded for w in ws) for code, ws in words.items()}
        best = max(counts, key=lambda c: counts[c]) if counts else ABSTAIN_CATEGORY
        if not counts or counts[best] == 0:
            return ABSTAIN_CATEGORY, Route.MANUAL.value, [], None
        return best, kb.categories[best].default_route, [], None

    return predict


def folds_of(rows: list[dict], k: int = 5, seed: int = 7) -> list[int]:
    """A stratified fold number per row (by category), reproducible."""
    rng = random.Random(seed)
    fold = [0] * len(rows)
    by_category: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_category.setdefault(row["category"], []).append(i)
    offset = 0
    for indices in by_category.values():
        rng.shuffle(indices)
        for j, i in enumerate(indices):
            fold[i] = (j + offset) % k
        offset += len(indices)
    return fold


def tfidf_lr_cv(rows: list[dict], k: int = 5, analyzer="char", ngram_range=(1, 3)) -> list[tuple]:
    """scikit-learn TF-IDF + logistic regression under k-fold cross-validation;
    the label is category/route, so the route is learned too."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    texts = [normalize.fold(r["text"]) for r in rows]
    labels = [f"{r['category']}/{r['route']}" for r in rows]
    fold = folds_of(rows, k)
    predictions: list[tuple] = [None] * len(rows)  # type: ignore[list-item]
    for f in range(k):
        train = [i for i in range(len(rows)) if fold[i] != f]
        test = [i for i in range(len(rows)) if fold[i] == f]
        vectorizer = (
            TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range, sublinear_tf=True)
            if isinstance(analyzer, str)
            else TfidfVectorizer(analyzer=analyzer, sublinear_tf=True)
        )
        model = make_pipeline(vectorizer, LogisticRegression(max_iter=2000, C=10.0))
        model.fit([texts[i] for i in train], [labels[i] for i in train])
        probabilities = model.predict_proba([texts[i] for i in test])
        for i, p in zip(test, probabilities, strict=True):
            best = p.argmax()
            category, route = model.classes_[best].split("/")
            predictions[i] = (category, route, [], float(p[best]))
    return predictions


# --- learning from corrections ------------------------------------------------


def with_examples(kb: Knowledge, rows: list[dict], learned_only: bool = False) -> Knowledge:
    """`kb` plus `rows` fed as desk corrections; with learned_only, the keyword
    rules and seed phrasings are dropped so only the corrections teach."""
    if learned_only:
        categories = {c: replace(i, rules=[]) for c, i in kb.categories.items()}
        examples = []
    else:
        categories, examples = kb.categories, list(kb.examples.examples)
    corrections = [Example(r["text"], r["category"], r["route"], 1.0) for r in rows]
    return Knowledge(categories, examples + corrections, version=None)


def corrections_experiment(
    rows: list[dict], kb: Knowledge, k: int = 5, fractions=(0.0, 0.25, 0.5, 1.0)
) -> list[dict]:
    """k-fold: a fraction of the other folds is fed as desk corrections and the
    held-out fold measured, so no measured message was ever fed."""
    fold = folds_of(rows, k)
    results = []
    for learned_only in (False, True):
        for fraction in fractions:
            rng = random.Random(11)
            predictions: list[tuple] = [None] * len(rows)  # type: ignore[list-item]
            for f in range(k):
                train = [rows[i] for i in range(len(rows)) if fold[i] != f]
                rng.shuffle(train)
                fed = train[: int(len(train) * fraction)]
                predict = engine_predictor(with_examples(kb, fed, learned_only=learned_only))
                for i in range(len(rows)):
                    if fold[i] == f:
                        predictions[i] = predict(rows[i]["text"])
            figures = score(rows, predictions)
            results.append({"learned_only": learned_only, "fed_fraction": fraction, **figures})
    return results


# --- tokenizers --------------------------------------------------------------


def tokenizer_comparison(rows: list[dict], kb: Knowledge, k: int = 5) -> list[tuple[str, float]]:
    """The same TF-IDF + logistic regression under CV, fed different units of
    Chinese text: which representation carries the categories best."""

    def concepts(text):
        return [tag for tag, _s, _e in kb.lexicon.scan(text)]

    def jieba_words(text):
        import jieba

        jieba.setLogLevel(60)
        return [w for w in jieba.lcut(text) if w.strip()]

    options = [
        ("char 1-gram", "char", (1, 1)),
        ("char 1-2-grams", "char", (1, 2)),
        ("char 2-3-grams", "char", (2, 3)),
        ("char 1-3-grams", "char", (1, 3)),
        ("jieba words", jieba_words, None),
        ("lexicon concepts", concepts, None),
    ]
    out = []
    for name, analyzer, ngram_range in options:
        try:
            predictions = tfidf_lr_cv(rows, k, analyzer=analyzer, ngram_range=ngram_range)
        except ImportError:
            out.append((name, None))
            continue
        out.append((name, score(rows, predictions)["category_accuracy"]))
    return out


def ready_time() -> float:
    """Seconds from importing the engine (Django already set up) to its first
    suggestion, in a fresh interpreter, so the index is built from scratch."""
    import subprocess
    import sys

    code = (
        "import time,os;import django;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE','supportdesk.settings');django.setup();"
        "t=time.perf_counter();from guide.triage import suggest;suggest('验证码收不到');"
        "print(time.perf_counter()-t)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def index_without_corrections(kb: Knowledge) -> Knowledge:
    """`kb` with its seed phrasings but without the desk's labelled examples,
    so that a message of the evaluated file fed earlier cannot be recalled."""
    seeds = [e for e in kb.examples.examples if e.weight < 1.0]
    return Knowledge(kb.categories, seeds, version=None)


__all__ = [
    "DataError",
    "load_jsonl",
    "engine_predictor",
    "score",
    "throughput",
    "keyword_predictor",
    "tfidf_lr_cv",
    "corrections_experiment",
    "tokenizer_comparison",
    "ready_time",
    "NgramIndex",
]
