"""Scoring the triage engine on labelled JSONL, outside the runtime package:
the figures of issue 10, every learned figure under cross-validation or on a
file never trained on, two baselines, a learning curve. Used by `manage.py
triage_eval` and bench/triage_bench.py. scikit-learn and jieba (development
extras for the baselines) are imported only by the functions that need them.
"""

import json
import random
import statistics
import time
from collections import Counter
from typing import Any

from guide import training
from guide.categories import ABSTAIN_CATEGORY
from guide.triage import engine, files, knowledge, routes

FIELDS = ("id", "text", "category", "route")


class DataError(ValueError):
    pass


def load_jsonl(path: str) -> list[dict]:
    known = set(files.SHIPPED.categories) | {ABSTAIN_CATEGORY}
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
            if row["category"] not in known or row["route"] not in routes.ROUTES:
                raise DataError(f"{path}:{number}: unknown category or route")
            row.setdefault("also", [])
            rows.append(row)
    if not rows:
        raise DataError(f"{path}: no labelled messages")
    return rows


def engine_predictor(kb):
    def predict(text):
        s = engine.suggest_with(text, kb)
        return s.category, s.route, s.also, s.confidence, s.needs_review

    return predict


def auroc(scores: list[float], positives: list[bool]) -> float | None:
    """Probability that a right suggestion has a higher confidence than a wrong one."""
    pos = [s for s, p in zip(scores, positives, strict=True) if p]
    neg = [s for s, p in zip(scores, positives, strict=True) if not p]
    if not pos or not neg:
        return None
    ranked = sorted((s, i) for i, s in enumerate(scores))
    ranks = [0.0] * len(scores)
    i = 0
    while i < len(ranked):
        j = i
        while j + 1 < len(ranked) and ranked[j + 1][0] == ranked[i][0]:
            j += 1
        for k in range(i, j + 1):
            ranks[ranked[k][1]] = (i + j) / 2 + 1
        i = j + 1
    rank_sum = sum(r for r, p in zip(ranks, positives, strict=True) if p)
    return (rank_sum - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg))


def score(rows: list[dict], predictions: list[tuple]) -> dict:
    n = len(rows)
    cat_ok = route_ok = both_ok = 0
    abstain_pred = abstain_gold = abstain_hit = 0
    also_gold = also_hit = 0
    confusions: Counter = Counter()
    confidences, rights, flagged = [], [], []
    for row, prediction in zip(rows, predictions, strict=True):
        category, route, also, confidence = prediction[:4]
        review = prediction[4] if len(prediction) > 4 else None
        right_cat, right_route = category == row["category"], route == row["route"]
        cat_ok += right_cat
        route_ok += right_route
        both_ok += right_cat and right_route
        if not right_cat:
            confusions[(row["category"], category)] += 1
        gold_abstain = row["category"] == ABSTAIN_CATEGORY
        abstain_gold += gold_abstain
        abstain_pred += category == ABSTAIN_CATEGORY
        abstain_hit += gold_abstain and category == ABSTAIN_CATEGORY
        wanted = [c for c in row.get("also", []) if c != row["category"]]
        also_gold += len(wanted)
        also_hit += sum(1 for c in wanted if c in (also or []) or c == category)
        if confidence is not None:
            confidences.append(confidence)
            rights.append(right_cat and right_route)
            flagged.append(review)
    figures: dict[str, Any] = {
        "n": n,
        "category_accuracy": cat_ok / n,
        "route_accuracy": route_ok / n,
        "both_accuracy": both_ok / n,
        "abstention_precision": abstain_hit / abstain_pred if abstain_pred else None,
        "abstention_recall": abstain_hit / abstain_gold if abstain_gold else None,
        "also_recall": also_hit / also_gold if also_gold else None,
        "confusions": confusions.most_common(8),
        "auroc": None,
        "unflagged_accuracy": None,
        "unflagged_coverage": None,
        "ece": None,
        "calibration": [],
    }
    if confidences and len(confidences) == n:
        figures["auroc"] = auroc(confidences, rights)
        if all(f is not None for f in flagged):
            kept = [r for r, f in zip(rights, flagged, strict=True) if not f]
            figures["unflagged_coverage"] = len(kept) / n
            figures["unflagged_accuracy"] = sum(kept) / len(kept) if kept else None
        bins = []
        ece = 0.0
        for b in range(5):
            low, high = b / 5, (b + 1) / 5
            inside = [
                (c, r)
                for c, r in zip(confidences, rights, strict=True)
                if low <= c < high or (b == 4 and c == 1.0)
            ]
            if inside:
                accuracy = sum(r for _c, r in inside) / len(inside)
                mean = sum(c for c, _r in inside) / len(inside)
                ece += len(inside) / n * abs(accuracy - mean)
                bins.append((low, high, len(inside), accuracy, mean))
        figures["ece"] = ece
        figures["calibration"] = bins
    return figures


def review_thresholds(confidences, rights, steps=(0.5, 0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95)):
    """(threshold, coverage, accuracy of the unflagged) for each candidate threshold."""
    out = []
    for threshold in steps:
        kept = [r for c, r in zip(confidences, rights, strict=True) if c >= threshold]
        out.append((threshold, len(kept) / len(rights), sum(kept) / len(kept) if kept else None))
    return out


def highest_threshold_covering(confidences, rights, coverage=0.80, grid=0.01):
    """(threshold, coverage, accuracy of the unflagged) at the highest
    threshold, on a grid of `grid`, that leaves at least `coverage` of the
    messages unflagged: the rule REVIEW_BELOW is chosen by, under CV of the
    whole labelled file. None when no threshold above 0 leaves that many."""
    steps = [round(k * grid, 6) for k in range(round(1 / grid), 0, -1)]
    for threshold, share, kept in review_thresholds(confidences, rights, steps):
        if share >= coverage:
            return threshold, share, kept
    return None


def throughput(predict, texts: list[str], repeats: int = 5, minimum_messages: int = 2000) -> float:
    """Messages per second in this process, median of `repeats` runs."""
    batch = texts * max(1, minimum_messages // max(1, len(texts)))
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for text in batch:
            predict(text)
        rates.append(len(batch) / (time.perf_counter() - start))
    return statistics.median(rates)


def ready_time() -> float:
    """Seconds from importing the engine (no Django) to its first suggestion,
    in a fresh interpreter."""
    import subprocess
    import sys

    code = (
        "import time;t=time.perf_counter();from guide.triage import suggest;"
        "suggest('验证码收不到');print(time.perf_counter()-t)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


# --- the engine under cross-validation and with taught examples ---------------


def folds_of(rows: list[dict], k: int = 5, seed: int = 7) -> list[int]:
    """A fold per row, stratified by category so every fold sees every category."""
    by_category: dict[str, list[int]] = {}
    for i, row in enumerate(rows):
        by_category.setdefault(row["category"], []).append(i)
    fold = [0] * len(rows)
    rng = random.Random(seed)
    position = 0
    for code in sorted(by_category):
        members = by_category[code]
        rng.shuffle(members)
        for i in members:
            fold[i] = position % k
            position += 1
    return fold


def taught(kb, rows: list[dict], exclude=(), weight=None, calibrate=True, desk=False):
    """The shipped rules and a model fitted on what the engine would know
    without the messages under test -- the seed phrasings and the shipped
    labelled file minus every text in `exclude` -- plus `rows` taught (at
    `weight`, the shipped file's by default). With `desk` the rows are also
    the desk's examples, as knowledge_store.load() gives the engine its
    LabelledExample rows: a near-duplicate of one of them takes its label
    (engine.ADOPT_SIM), as it does in service."""
    base = kb.without_learning()
    weight = training.SHIPPED_WEIGHT if weight is None else weight
    skip = set(exclude) | {r["text"] for r in rows}
    data = [row for row in training.training_rows(base) if row[0] not in skip]
    data += [(r["text"], r["category"], r["route"], weight, tuple(r.get("also", ()))) for r in rows]
    model = training.fit(base, data, calibrate=calibrate)
    examples = list(base.examples.examples)
    if desk:
        examples += [knowledge.Example(r["text"], r["category"], r["route"], 1.0) for r in rows]
    return knowledge.Knowledge(base.categories, examples, model=model, thresholds=base.thresholds)


def engine_cv(rows: list[dict], kb, k: int = 5) -> list[tuple]:
    """Each row predicted by the engine with a model fitted on the other folds."""
    fold = folds_of(rows, k)
    texts = {r["text"] for r in rows}  # none of the file's messages is known beforehand
    predictions: list = [None] * len(rows)
    for f in range(k):
        trained = taught(kb, [rows[i] for i in range(len(rows)) if fold[i] != f], exclude=texts)
        predict = engine_predictor(trained)
        for i in range(len(rows)):
            if fold[i] == f:
                predictions[i] = predict(rows[i]["text"])
    return predictions


def learning_curve(kb, pool: list[dict], test: list[dict], sizes=(0, 100, 150, 200, 400)):
    """(examples taught, both-right accuracy on `test`), teaching the first
    `size` rows of a fixed shuffle of `pool` as the desk does (triage_teach:
    desk weight in the model, and the desk's examples the engine looks a
    near-duplicate up in) to an engine that knows neither `test` nor `pool`;
    0 = that engine untaught. Uncalibrated fits: the decisions do not depend
    on the calibration and each fit is ~6x cheaper."""
    return [(size, right / len(test)) for size, right in _taught_right(kb, pool, test, sizes)]


def _taught_right(kb, pool, test, sizes):
    test_texts = {r["text"] for r in test}
    pool = [r for r in pool if r["text"] not in test_texts]
    random.Random(3).shuffle(pool)
    unknown = test_texts | {r["text"] for r in pool}
    out = []
    for size in sizes:
        if size > len(pool):
            continue
        engine_kb = taught(
            kb,
            pool[:size],
            exclude=unknown,
            weight=training.DESK_WEIGHT,
            calibrate=False,
            desk=True,
        )
        predictions = [engine_predictor(engine_kb)(r["text"]) for r in test]
        out.append((size, round(score(test, predictions)["both_accuracy"] * len(test))))
    return out


def learning_curve_thirds(kb, rows: list[dict], sizes=(0, 100, 150, 200, 400), parts=3):
    """learning_curve() with each of `parts` fixed parts of `rows` measured in
    turn, taught from the others, and the right answers summed: every message
    is measured once per size. One third (100 messages of a 300 batch) moves
    a point per message, and its thirds differed by 3 points of teaching gain
    (fresh_f: +2, 0, -1 for 150 taught); the whole file is the figure to read."""
    fold = folds_of(rows, parts)
    totals: dict[int, int] = {}
    measured: dict[int, int] = {}
    for part in range(parts):
        test = [r for i, r in enumerate(rows) if fold[i] == part]
        pool = [r for i, r in enumerate(rows) if fold[i] != part]
        for size, right in _taught_right(kb, pool, test, sizes):
            totals[size] = totals.get(size, 0) + right
            measured[size] = measured.get(size, 0) + len(test)
    # a size only where every part could teach it: the same messages at each size
    return [(size, totals[size] / len(rows)) for size in sizes if measured.get(size) == len(rows)]


# --- baselines ---------------------------------------------------------------


def keyword_predictor(kb):
    """Baseline 1: the category whose keyword rules match most, default route."""

    def predict(text):
        folded = engine.normalize.fold(text)
        tags = {tag for tag, _s, _e in kb.lexicon.scan(folded)}
        best, best_score = None, 0.0
        for code, info in kb.categories.items():
            total = sum(
                r.weight
                for r in info.rules
                if all(t in tags for t in r.required) and not any(t in tags for t in r.forbidden)
            )
            if total > best_score:
                best, best_score = code, total
        if best is None:
            return ABSTAIN_CATEGORY, routes.MANUAL, [], None
        return best, kb.categories[best].default_route, [], None

    return predict


def tfidf_lr_cv(rows: list[dict], k: int = 5, analyzer="char", ngram_range=(1, 3)) -> list[tuple]:
    """Baseline 2: TF-IDF + logistic regression on (category, route), k-fold CV."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    fold = folds_of(rows, k)
    predictions: list = [None] * len(rows)
    for f in range(k):
        train = [r for i, r in enumerate(rows) if fold[i] != f]
        if callable(analyzer):
            vectorizer = TfidfVectorizer(analyzer=analyzer)
        else:
            vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_range=ngram_range)
        x = vectorizer.fit_transform([engine.normalize.fold(r["text"]) for r in train])
        classifier = LogisticRegression(max_iter=2000, C=10.0)
        classifier.fit(x, [f"{r['category']}/{r['route']}" for r in train])
        for i, row in enumerate(rows):
            if fold[i] == f:
                label = classifier.predict(
                    vectorizer.transform([engine.normalize.fold(row["text"])])
                )
                category, route = str(label[0]).split("/", 1)
                predictions[i] = (category, route, [], None)
    return predictions


def tokenizer_comparison(rows: list[dict], kb, k: int = 5) -> list[tuple[str, float | None]]:
    """The same TF-IDF + logistic regression under CV, fed different units."""

    def concepts(text):
        return [tag for tag, _s, _e in kb.lexicon.scan(text)]

    def jieba_words(text):
        import jieba

        jieba.setLogLevel(60)
        return [w for w in jieba.lcut(text) if w.strip()]

    options = [
        ("char 1-3-grams", "char", (1, 3)),
        ("char 2-3-grams", "char", (2, 3)),
        ("jieba words", jieba_words, None),
        ("lexicon concepts", concepts, None),
    ]
    out: list[tuple[str, float | None]] = []
    for name, analyzer, ngram_range in options:
        try:
            predictions = tfidf_lr_cv(rows, k, analyzer=analyzer, ngram_range=ngram_range)
        except ImportError:
            out.append((name, None))
            continue
        out.append((name, score(rows, predictions)["category_accuracy"]))
    return out
