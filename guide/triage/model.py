"""The learned layer: a linear model over (category, route) pairs, scored in
plain Python from exported weights, and its companion n-gram model
(NgramModel) whose probabilities are mixed in.

Fitted with scikit-learn at training time (guide/training.py), never here: a
sparse dot product over a message's ~300 features costs a few microseconds,
while a scikit-learn predict call per message costs ~0.5 ms, and importing it
costs ~1 s. The weights travel as JSON (database row `TriageModel`, or the
shipped guide/knowledge/model.json when no database is there).

`confidence(margin, abstained)` maps the model's margin (its chosen label's
probability minus the next one's, `margin()`) to the probability that
category AND route are both right, through an isotonic curve fitted on
held-out folds (separately for abstentions).
"""

import bisect
import functools
import json
import math
import operator
import re
from dataclasses import dataclass, field
from itertools import chain, repeat
from pathlib import Path

import numpy
import orjson

from guide.categories import ABSTAIN_CATEGORY
from guide.triage import files

_NOT_ALNUM = re.compile(r"[\W_]+")  # \w is str.isalnum() plus "_"
SHIPPED_PATH = Path(__file__).resolve().parent.parent / "knowledge" / "model.json"
_PROBABILITY = operator.itemgetter(1)  # sorted(..., reverse=True) keeps the order of equals
TIE_BREAK = 0.01  # share of the model's certainty in the confidence (see confidence())
# Raised whenever features() reads a message differently or the confidence
# reads the model differently. A stored model fitted for other knowledge files
# or another version is not used (the shipped one is, until the refit that
# `migrate` asks for): its weights would be read against features it never
# saw, its calibration against another measure.
# 6: the n-gram text marks durations; the certainty counts other raised problems
# 7: scope reads resolutions further on in English, full stops as clause
# ends, fixes by others, numbers recovered and waits told in English; pinyin
# tone marks fold away
# 8: a change told done ("号码换好了", "reset done") settles its sentence
# 9: a hedged amount ahead ("in about four weeks", "还有大概一个月", "within
# 2 days") is a date, no longer a wait
# 10: a denied term ("不是鸿蒙") is NEGATED in the n-gram text; one negation
# carries over two terms ("不是华为鸿蒙"); 启用 is 激活; the unfollow buttons
# 11: a deadline date today is past is a deadline passed; "today is the 26th"
# is no short wait; English negations before a condition term ("haven't been
# added"); 半个来月
FEATURES_VERSION = 11


def feature_groups(
    folded: str, hits, spans, rule_totals: dict, conditions, unasserted=()
) -> list[tuple[str, dict]]:
    """What the model reads of a message (measured in `triage_eval --features`),
    as (family prefix, key -> value) groups; a feature is named prefix + key
    (named() spells them out):
    - concept tags (t:), and the tags of the first sentence again (f:): the
      primary problem is usually raised first;
    - the keyword rules' score of each category (r:) and which category they
      rank first (top:): the hand knowledge, as evidence the model weighs;
    - each route condition that holds over the message (c:<category>);
    - the tags as scope leaves them (engine.analyse): t:~<tag> a condition
      feared, resolved, negated, reported or in the desk's turn of a chat,
      t:@<tag> a concept of a sentence about another system or campus
      service, t:%<tag> one of a problem told as solved -- never also the
      plain t:<tag>, so that what the model learns of a concept is what
      the writer asserts about our systems now.
    The wording the lexicon does not know is the companion NgramModel's: the
    character 2-3-grams this model also read until FEATURES_VERSION 4 changed
    nothing once the two were mixed (5-fold CV of the 8,614 shipped examples,
    0.9363 with them and 0.9364 without; 2,870 fresh messages, both right
    0.958 either way) and cost a fifth of the engine's time.
    Grouped so that the engine's LinearModel.ranked_groups() looks each family's keys
    up in the family's own index."""
    tags: dict[str, float] = {}
    firsts: dict[str, float] = {}
    for tag in unasserted:
        if tag.startswith("~"):
            tags[tag] = 1.0
    first_end = spans[0][1] if spans else len(folded)
    for tag, start, _end in hits:
        tags[tag] = 1.0
        if start < first_end:
            firsts[tag] = 1.0
    text = _NOT_ALNUM.sub("", folded[:300])  # the letters and digits (str.isalnum)
    scores: dict[str, float] = {}
    top: dict[str, float] = {}
    plain: dict[str, float] = {}
    if rule_totals:
        best = max(rule_totals.values())
        for code, score in rule_totals.items():
            scores[code] = min(score, 10.0) / 5.0
            if score == best:
                top[code] = 1.0
    else:
        plain["norule"] = 1.0
    plain["len"] = min(len(text), 300) / 100.0
    return [
        ("t:", tags),
        ("f:", firsts),
        ("r:", scores),
        ("top:", top),
        ("c:", dict.fromkeys(conditions, 1.0)),
        ("", plain),
    ]


# A character is its code point plus one in 21 bits (never 0), so that a
# 1-, 2- or 3-gram is one int64 and different grams never share a code
_BITS = 21


def _code_points(text: str):
    """Each character's code point plus one, as int64."""
    points = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), numpy.uint32)
    return points.astype(numpy.int64) + 1


def _gram_codes(points, doc=None):
    """The codes of the character 1-3-grams of `points` (_code_points()),
    computed in numpy: no string per gram to build and hash (measured in the
    engine, a Counter of the gram strings and their dictionary lookups cost a
    fifth more). With `doc` (the text of each point, texts joined end to
    end): also the text of each gram, none across two texts."""
    pairs = (points[:-1] << _BITS) | points[1:]
    triples = (pairs[:-1] << _BITS) | points[2:]
    if doc is None:
        return numpy.concatenate((points, pairs, triples)), None
    in_pair = doc[:-1] == doc[1:]
    in_triple = doc[:-2] == doc[2:]
    return (
        numpy.concatenate((points, pairs[in_pair], triples[in_triple])),
        numpy.concatenate((doc, doc[:-1][in_pair], doc[:-2][in_triple])),
    )


def _counted(keys):
    """The distinct values of the sorted array `keys` and how often each
    occurs, as floats: numpy.unique(..., return_counts=True) by hand, a
    quarter of its cost on a message's ~100 grams."""
    first = numpy.ones(len(keys), dtype=bool)
    numpy.not_equal(keys[1:], keys[:-1], out=first[1:])
    counts = numpy.diff(numpy.append(numpy.flatnonzero(first), len(keys))).astype(float)
    return keys[first], counts


def _codes_of_grams(grams: list[str]):
    """The code of each gram (as _gram_codes() computes it), -1 for a string
    of other than 1-3 characters: in numpy, one pass over the vocabulary
    (a Python loop over its ~60k grams was ~0.1 s of the engine's ~0.9 s
    start)."""
    lengths = numpy.fromiter(map(len, grams), numpy.intp, len(grams))
    points = _code_points("".join(grams))
    last = numpy.cumsum(lengths) - 1
    codes = numpy.zeros(len(grams), dtype=numpy.int64)
    for back in range(3):  # a gram's last character, the one before, ...
        has = lengths > back
        codes[has] |= points[last[has] - back] << (_BITS * back)
    codes[(lengths < 1) | (lengths > 3)] = -1
    return codes


class CodeIndex:
    """Rows of grams by code: a sorted array searched in numpy."""

    def __init__(self, rows_by_gram: dict[str, int]):
        codes = _codes_of_grams(list(rows_by_gram))
        rows = numpy.fromiter(rows_by_gram.values(), numpy.intp, len(rows_by_gram))
        known = codes >= 0
        order = numpy.argsort(codes[known])
        self.codes = codes[known][order]
        self.rows = rows[known][order]

    def rows_of(self, codes, unknown: int):
        """The row of each code, `unknown` for a code not indexed."""
        if not len(self.codes):
            return numpy.full(len(codes), unknown, dtype=numpy.intp)
        at = self.codes.searchsorted(codes)
        numpy.minimum(at, len(self.codes) - 1, out=at)
        return numpy.where(self.codes[at] == codes, self.rows[at], unknown)


def _softmax_of(scores: list[float]) -> list[float]:
    # 19 labels: cheaper in lists than in numpy's calls
    exps = list(map(math.exp, map(operator.sub, scores, repeat(max(scores)))))
    total = sum(exps)
    return list(map(operator.truediv, exps, repeat(total)))


def _dense(weights: dict, rows, height: int, width: int):
    """The sparse `weights` (key -> [(label index, weight)]) as a height x
    width matrix, the i-th key's weights in row rows[i], built in numpy."""
    matrix = numpy.zeros((height, width))
    sizes = numpy.fromiter(map(len, weights.values()), numpy.intp, len(weights))
    cells = numpy.array(list(chain.from_iterable(weights.values())), dtype=float)
    if len(cells):
        at = numpy.repeat(numpy.fromiter(rows, numpy.intp, len(weights)), sizes)
        matrix[at, cells[:, 0].astype(numpy.intp)] = cells[:, 1]
    return matrix


def margin(ranked: list[tuple[str, float]], chosen: tuple[str, float] | None = None) -> float:
    """How sure the model is of `chosen` (its first label by default): that
    label's probability minus the best other one's. When the engine chose
    another label than the model's first (the message's order decided
    between the two, engine._before_the_aside), the two count together
    against the rest. Of the figures tried it ranks right above wrong best
    (AUROC of both right on 2,870 fresh messages: the top probability 0.884
    and 0.846 on two groups of batches, the margin 0.894 and 0.862, the
    entropy 0.837 and 0.799)."""
    first = ranked[0]
    chosen = chosen or first
    sure = first[1] if chosen[0] == first[0] else first[1] + chosen[1]
    together = (first[0], chosen[0])
    # the ranking is by probability after its first label (engine: the
    # first may have been put there by its category), so the best of the
    # rest is the first one left
    rest = next((p for label, p in ranked if label not in together), 0.0)
    return sure - rest


# how much another problem the message raises lowers the certainty: of 1,090
# messages of four fresh batches (the model fitted without them), 0.951 were
# both right when its problems-raised part found no further category at 0.5,
# 0.851 with one, 0.625 with two; AUROC of the margin 0.848, of the certainty
# 0.859 (0.2: 0.858, 0.4: 0.858)
RAISED_DOUBT = 0.3


def certainty(
    ranked: list[tuple[str, float]],
    chosen: tuple[str, float] | None = None,
    raised: dict[str, float] | None = None,
) -> float:
    """What the confidence is calibrated on: margin(), lowered by the
    n-gram model's highest probability that the message raises a category
    other than the chosen label's (TextScores.raised): with another problem
    in the message, which one is primary is less sure."""
    chosen = chosen or ranked[0]
    return margin(ranked, chosen) * (1.0 - RAISED_DOUBT * _doubt(chosen, raised))


def _doubt(chosen: tuple[str, float], raised: dict[str, float] | None) -> float:
    """The highest probability that the message raises another category than
    the chosen label's (not counting other)."""
    if not raised:
        return 0.0
    code = chosen[0].split("/", 1)[0]
    return max((p for c, p in raised.items() if c != code and c != ABSTAIN_CATEGORY), default=0.0)


def sureness_inputs(
    ranked: list[tuple[str, float]],
    chosen: tuple[str, float],
    raised: dict[str, float] | None,
    text_probability: float | None,
    share: float,
    length: int,
) -> list[float]:
    """What the sureness regression reads of a suggestion (LinearModel.sureness):
    certainty(); the chosen label's probability from each of the two models
    mixed (the rule-feature model's, recovered from the mixture, and the
    n-gram model's, `text_probability`: None when it read nothing) and
    their product; the doubt of another problem raised; the length read.
    When the two models disagree, the mixture's margin can still be wide:
    on 1,610 fresh messages (fresh_l..o, r, t; the model fitted without
    them) the confidence ranked right above wrong at AUROC 0.858 calibrated
    on the certainty, 0.877 on this regression."""
    if text_probability is None or not share or share >= 1.0:
        rule_probability = text_probability = chosen[1]
    else:
        rule_probability = (chosen[1] - share * text_probability) / (1.0 - share)
        rule_probability = min(max(rule_probability, 0.0), 1.0)
    doubt = _doubt(chosen, raised)
    return [
        margin(ranked, chosen) * (1.0 - RAISED_DOUBT * doubt),
        rule_probability,
        text_probability,
        rule_probability * text_probability,
        doubt,
        math.log1p(length),
    ]


def sureness_of(regression: list[float], inputs: list[float]) -> float:
    """The sureness regression's ([weights..., bias]) probability at `inputs`
    (sureness_inputs()); certainty() when there is no regression."""
    if not regression:
        return inputs[0]
    z = regression[-1] + sum(map(operator.mul, regression, inputs))
    return 1.0 / (1.0 + math.exp(-min(max(z, -50.0), 50.0)))


def mix(probabilities: list[float], others: list[float], share: float) -> list[float]:
    """`probabilities` with `others` (the n-gram model's) mixed in at `share`."""
    return [(1.0 - share) * p + share * q for p, q in zip(probabilities, others, strict=True)]


def named(groups) -> dict[str, float]:
    """The features of feature_groups() by name (what training fits on)."""
    return {prefix + key: value for prefix, values in groups for key, value in values.items()}


def _family(name: str) -> tuple[str, str]:
    """("g:", "ab") of the feature "g:ab"; ("", "len") of one without a family."""
    prefix, colon, key = name.partition(":")
    return (prefix + colon, key) if colon else ("", name)


_WHITE_RUNS = re.compile(r"\s\s+")  # as scikit-learn's char analyzer collapses them
MAX_NGRAM_TEXT = 2000  # characters read by the n-gram model (a pasted transcript's head)


@dataclass
class NgramModel:
    """The companion model: a logistic regression over the TF-IDF weighted
    character 1-3-grams of the folded text (sublinear tf, idf, L2; of the
    sentences engine.Analysis.readable keeps), the plain text classifier that
    knows no concept or rule. Its errors are not the rule-feature model's:
    their mixed probabilities were right more often than either alone on
    every batch measured (training.fit chooses the share under
    cross-validation)."""

    idf: dict[str, float]  # every gram of the vocabulary: the norm counts them all
    bias: list[float]
    weights: dict[str, list[tuple[int, float]]]  # gram -> [(label index, weight)]
    # the problems-raised model on the same vector: one logistic regression a
    # category, whether the message raises it at all (its category or one of
    # its `also`); the engine's further problems beyond those the rules find
    raised_labels: list[str] = field(default_factory=list)
    raised_bias: list[float] = field(default_factory=list)
    raised_weights: dict[str, list[tuple[int, float]]] = field(default_factory=dict)

    def __post_init__(self):
        # one row per gram of the vocabulary (its idf and its weights), the
        # last row for a gram it does not know (idf 0: outside the norm, as
        # in scikit-learn): a message is one gather and one product in numpy
        grams = self._grams = list(self.idf)
        self._row = {gram: row for row, gram in enumerate(grams)}
        self._codes = CodeIndex(self._row)
        self._unknown = len(grams)
        self._idf = numpy.append(numpy.fromiter(self.idf.values(), float, len(grams)), 0.0)
        # KeyError: a weighted gram outside the vocabulary
        rows = [self._row[gram] for gram in self.weights]
        self._matrix = _dense(self.weights, rows, len(grams) + 1, len(self.bias))
        self._bias = numpy.asarray(self.bias, dtype=float)
        if self.raised_labels:
            # its columns beside the labels': one product scores both
            rows = [self._row[gram] for gram in self.raised_weights]
            raised = _dense(self.raised_weights, rows, len(grams) + 1, len(self.raised_labels))
            self._matrix = numpy.hstack((self._matrix, raised))
            self._bias = numpy.concatenate((self._bias, self.raised_bias))

    def _rows_and_values(self, folded: str):
        codes, _docs = _gram_codes(_code_points(_WHITE_RUNS.sub(" ", folded[:MAX_NGRAM_TEXT])))
        codes, counts = _counted(numpy.sort(codes))
        rows = self._codes.rows_of(codes, self._unknown)
        values = (1.0 + numpy.log(counts)) * self._idf[rows]
        norm = math.sqrt(float(values @ values)) or 1.0
        return rows, values / norm

    def vector(self, folded: str) -> dict[str, float]:
        """The message's TF-IDF vector by gram, as scikit-learn's
        TfidfVectorizer(analyzer="char", ngram_range=(1, 3), sublinear_tf=True)
        computes it (what probabilities() multiplies)."""
        rows, values = self._rows_and_values(folded)
        grams = self._grams
        return {grams[r]: float(v) for r, v in zip(rows, values, strict=True) if r != self._unknown}

    def scores(self, folded: str) -> "TextScores":
        rows, values = self._rows_and_values(folded)
        return self._scored((values @ self._matrix.take(rows, axis=0) + self._bias).tolist())

    def probabilities(self, folded: str) -> list[float]:
        return self.scores(folded).probabilities

    def _scored(self, row: list[float]) -> "TextScores":
        width = len(self.bias)
        return TextScores(
            _softmax_of(row[:width]),
            {
                label: 1.0 / (1.0 + math.exp(-score))
                for label, score in zip(self.raised_labels, row[width:], strict=True)
            },
        )

    def scores_many(self, texts: list[str]) -> list["TextScores"]:
        """scores() of each text, all counted, looked up and multiplied
        in one pass of numpy: its fixed cost per call (~40 numpy calls a
        message, and their code out of the cache between two messages: 45 us
        warm, 125 us cold) paid once per batch (~20 us a message)."""
        if not texts:
            return []
        cut = [_WHITE_RUNS.sub(" ", text[:MAX_NGRAM_TEXT]) for text in texts]
        n = len(cut)
        lengths = numpy.fromiter(map(len, cut), numpy.intp, n)
        codes, docs = _gram_codes(
            _code_points("".join(cut)), numpy.repeat(numpy.arange(n), lengths)
        )
        # (text, row) as one sortable key: the unknown grams of a text fall
        # together in the unknown row, whose idf of 0 keeps them out
        height = self._unknown + 1
        keys, counts = _counted(
            numpy.sort(docs * height + self._codes.rows_of(codes, self._unknown))
        )
        docs, rows = keys // height, keys % height
        values = (1.0 + numpy.log(counts)) * self._idf[rows]
        norms = numpy.sqrt(numpy.bincount(docs, weights=values * values, minlength=n))
        norms[norms == 0.0] = 1.0
        values /= norms[docs]
        # one sparse (text x gram) matrix times the weights: scipy's product
        # in C (the dense rows gathered and summed in numpy were 20 us a message)
        from scipy.sparse import csr_matrix

        indptr = numpy.zeros(n + 1, dtype=numpy.intp)
        numpy.cumsum(numpy.bincount(docs, minlength=n), out=indptr[1:])
        scores = csr_matrix((values, rows, indptr), shape=(n, height)) @ self._matrix
        return [self._scored(row) for row in (scores + self._bias).tolist()]


@dataclass(frozen=True)
class TextScores:
    """What the n-gram model reads in one text: each label's probability, and
    each category's probability of being raised at all (NgramModel.raised_*)."""

    probabilities: list[float]
    raised: dict[str, float]


@dataclass
class LinearModel:
    labels: list[str]  # "category/route"
    bias: list[float]
    weights: dict[str, list[tuple[int, float]]]  # feature -> [(label index, weight)]
    # {"answer": [xs, ys], "abstain": [xs, ys], "sureness": [weights..., bias]}
    calibration: dict = field(default_factory=dict)
    meta: dict = field(default_factory=dict)  # trained on, when, fingerprint, CV figures
    ngrams: NgramModel | None = None  # the companion text model, mixed in at ngram_share
    ngram_share: float = 0.0

    def __post_init__(self):
        # the weights as one dense matrix (feature row x label column): a
        # message's scores are one gather and one vector-matrix product in
        # numpy (~10 us) instead of a Python multiply-add per (feature,
        # label) (~120 us, the engine's largest cost)
        self._index = {key: row for row, key in enumerate(self.weights)}
        self._label_index = {label: column for column, label in enumerate(self.labels)}
        self._matrix = _dense(
            self.weights, range(len(self.weights)), len(self.weights) + 1, len(self.labels)
        )
        self._unknown = len(self.weights)
        self._bias = numpy.asarray(self.bias, dtype=float)
        # the same rows by family and key, for feature_groups()
        self._families: dict[str, dict[str, int]] = {}
        for name, row in self._index.items():
            prefix, key = _family(name)
            self._families.setdefault(prefix, {})[key] = row

    def probabilities(self, feats: dict[str, float]) -> list[float]:
        # a feature the model does not know reads the last row, all zeros
        n = len(feats)
        rows = numpy.fromiter(map(self._index.get, feats, repeat(self._unknown)), numpy.intp, n)
        return self._softmax(rows, numpy.fromiter(feats.values(), float, n))

    def _softmax(self, rows, values) -> list[float]:
        return _softmax_of((values @ self._matrix.take(rows, axis=0) + self._bias).tolist())

    def ranked(self, feats) -> list[tuple[str, float]]:
        probs = self.probabilities(feats)
        return sorted(zip(self.labels, probs, strict=True), key=_PROBABILITY, reverse=True)

    def mixed(self, probabilities: list[float], folded: str, of_text=None) -> list[float]:
        """The probabilities with the companion n-gram model's mixed in (its
        scores of `folded`, or `of_text` when they were computed already:
        text_scores(), texts_scores())."""
        if of_text is None:
            of_text = self.text_scores(folded)
        if of_text is None:
            return probabilities  # nothing for it to read (engine.Analysis.readable)
        return mix(probabilities, of_text.probabilities, self.ngram_share)

    def text_scores(self, folded: str) -> TextScores | None:
        """The n-gram model's scores of `folded` (None where mixed() would not read it)."""
        if self.ngrams is None or not self.ngram_share or not folded:
            return None
        return self.ngrams.scores(folded)

    def texts_scores(self, texts: list[str]) -> list[TextScores | None]:
        """text_scores() of each text, computed together (NgramModel.scores_many)."""
        if self.ngrams is None or not self.ngram_share:
            return [None] * len(texts)
        read = [i for i, text in enumerate(texts) if text]
        out: list[TextScores | None] = [None] * len(texts)
        for i, scores in zip(read, self.ngrams.scores_many([texts[i] for i in read]), strict=True):
            out[i] = scores
        return out

    def ranked_groups(
        self, groups, folded: str | None = None, of_text=None
    ) -> list[tuple[str, float]]:
        """ranked(named(groups)) from the feature_groups() of a message,
        without naming its features: each family's keys looked up in its own
        index; with `folded`, the companion n-gram model mixed in (`of_text`:
        its scores of `folded`, already computed)."""
        families, unknown = self._families, self._unknown
        rows: list[int] = []
        values: list[float] = []
        for prefix, group in groups:
            index = families.get(prefix)
            if index is None:
                rows.extend(repeat(unknown, len(group)))
            else:
                rows.extend(map(index.get, group, repeat(unknown)))
            values.extend(group.values())
        row_array = numpy.array(rows, dtype=numpy.intp)
        value_array = numpy.array(values, dtype=float)
        probs = self._softmax(row_array, value_array)
        if folded is not None:
            probs = self.mixed(probs, folded, of_text)
        return sorted(zip(self.labels, probs, strict=True), key=_PROBABILITY, reverse=True)

    def sureness(
        self,
        ranked: list[tuple[str, float]],
        chosen: tuple[str, float],
        of_text: "TextScores | None",
        length: int,
    ) -> float:
        """What the confidence is calibrated on (confidence()): the
        regression on sureness_inputs() fitted on held-out folds
        (training.fit; its weights then bias in calibration["sureness"]),
        certainty() alone for a model fitted without it."""
        raised = of_text.raised if of_text is not None else None
        regression = self.calibration.get("sureness")
        if not regression:
            return certainty(ranked, chosen, raised)
        text_probability = (
            of_text.probabilities[self._label_index[chosen[0]]] if of_text is not None else None
        )
        inputs = sureness_inputs(ranked, chosen, raised, text_probability, self.ngram_share, length)
        return sureness_of(regression, inputs)

    def confidence(self, margin: float, abstained: bool) -> float:
        """The isotonic curve's 'both right' at the model's `sureness()`
        (`margin`), its flat steps ordered by it (TIE_BREAK of the value): a
        step holds hundreds of suggestions, and ranking them by the model's
        own figure separates right from wrong better than a tie (measured,
        AUROC under 5-fold CV of dev + train 0.907 -> 0.934, fresh_a/b/c
        0.783/0.811/0.850 -> 0.806/0.838/0.854), while moving no value by
        more than TIE_BREAK."""
        curve = self.calibration.get("abstain" if abstained else "answer")
        probability = min(max(margin, 0.0), 1.0)
        if not curve:
            return round(probability, 6)
        xs, ys = curve
        i = bisect.bisect_left(xs, probability)
        if i <= 0:
            value = ys[0]
        elif i >= len(xs):
            value = ys[-1]
        else:
            x0, x1, y0, y1 = xs[i - 1], xs[i], ys[i - 1], ys[i]
            share = (probability - x0) / (x1 - x0) if x1 > x0 else 1.0
            value = y0 + share * (y1 - y0)
        return round((1.0 - TIE_BREAK) * value + TIE_BREAK * probability, 6)

    def to_json(self) -> str:
        return json.dumps(
            {
                "labels": self.labels,
                "bias": [round(b, 5) for b in self.bias],
                "weights": {k: [[i, round(w, 5)] for i, w in v] for k, v in self.weights.items()},
                "calibration": self.calibration,
                "meta": self.meta,
                **(
                    {
                        "ngrams": {
                            "share": self.ngram_share,
                            "idf": {g: round(v, 4) for g, v in self.ngrams.idf.items()},
                            "bias": [round(b, 5) for b in self.ngrams.bias],
                            "weights": {
                                k: [[i, round(w, 5)] for i, w in v]
                                for k, v in self.ngrams.weights.items()
                            },
                            "raised": {
                                "labels": self.ngrams.raised_labels,
                                "bias": [round(b, 5) for b in self.ngrams.raised_bias],
                                "weights": {
                                    k: [[i, round(w, 5)] for i, w in v]
                                    for k, v in self.ngrams.raised_weights.items()
                                },
                            },
                        }
                    }
                    if self.ngrams is not None
                    else {}
                ),
            },
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, raw: str) -> "LinearModel":
        data = orjson.loads(raw)
        ngrams = data.get("ngrams")
        raised = (ngrams or {}).get("raised", {})
        return cls(
            labels=data["labels"],
            bias=data["bias"],
            weights=data["weights"],  # [label index, weight] pairs as JSON has them
            calibration=data.get("calibration", {}),
            meta=data.get("meta", {}),
            ngrams=(
                NgramModel(
                    idf=ngrams["idf"],
                    bias=ngrams["bias"],
                    weights=ngrams["weights"],
                    raised_labels=raised.get("labels", []),
                    raised_bias=raised.get("bias", []),
                    raised_weights=raised.get("weights", {}),
                )
                if ngrams
                else None
            ),
            ngram_share=ngrams["share"] if ngrams else 0.0,
        )


def is_current(meta: dict) -> bool:
    """Whether the model of this meta was fitted against the shipped knowledge
    files as they are now and this code's features."""
    return (
        meta.get("fingerprint") == files.fingerprint()
        and meta.get("features", 1) == FEATURES_VERSION
    )


@functools.cache
def shipped() -> LinearModel | None:
    """The model fitted on the shipped data (seed phrasings, dev and train),
    read once per process."""
    try:
        return LinearModel.from_json(SHIPPED_PATH.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
