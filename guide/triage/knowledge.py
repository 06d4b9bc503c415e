"""Builds the engine's in-memory index from the guide's categories (their
keywords, example phrasings and answers, editable in the admin) and from the
desk's labelled examples. Keywords and phrasings come from guide.content
until a person edits them in the admin (see from_database).

Keyword syntax, one rule a line in FaqCategory.keywords:
    统一认证 + 激活 *3      all terms in one sentence -> +3 for the category
    验证码 + 没收到 + !邮箱   "!" = the term must be absent (hard negatives)
A term is a concept tag of normalize.LEXICON (so every spelling, typo and
language of it counts) or any other word, matched literally.

Pick-up across processes: `current()` compares a cheap version of the
knowledge in the database (latest FaqCategory history id, latest id and count
of LabelledExample) with the one its index was built from, at most once every
RECHECK_SECONDS per process, and rebuilds when it changed. A desk correction or
an admin edit saved in any web or worker process therefore reaches every
engine within RECHECK_SECONDS, with no signal, task or restart.
"""

import math
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from guide.categories import ABSTAIN_CATEGORY, answer_for

from . import normalize

RECHECK_SECONDS = 2.0
MAX_EXAMPLES = 10000  # most recent labelled examples kept in memory (rebuild ~1 s)


@dataclass(frozen=True)
class Rule:
    required: tuple[str, ...]
    forbidden: tuple[str, ...]
    weight: float


@dataclass
class CategoryInfo:
    code: str
    default_route: str = "guide_answer"
    other_route: str = ""
    answer: str = ""
    other_route_answer: str = ""
    rules: list[Rule] = field(default_factory=list)

    def answer_for(self, route: str) -> str:
        return answer_for(
            route=route,
            answer=self.answer,
            other_route=self.other_route,
            other_route_answer=self.other_route_answer,
        )


@dataclass(frozen=True)
class Example:
    text: str
    category: str
    route: str
    weight: float  # a desk correction counts more than a seed phrasing


def parse_rule(line: str) -> Rule | None:
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    weight = 1.0
    if "*" in line:
        line, _, raw = line.rpartition("*")
        try:
            weight = float(raw)
        except ValueError:
            weight = 1.0
    terms = [normalize.fold(t).strip() for t in line.split("+")]
    required = tuple(t for t in terms if t and not t.startswith("!"))
    forbidden = tuple(t[1:].strip() for t in terms if t.startswith("!") and t[1:].strip())
    return Rule(required, forbidden, weight) if required else None


class NgramIndex:
    """What the labelled examples teach: TF-IDF vectors of their concept tags
    (weight 4: a correction teaches every spelling of its words) and character
    2-3-grams (weight 1: the exact wording), one centroid per category for
    voting, and an index of the corrections' rarer character grams to find a
    near-duplicate of a corrected message. Tags alone beat character n-grams by
    far under cross-validation (see `triage_eval --tokenizers`). A query costs
    the same whatever the number of examples."""

    TAG_WEIGHT = 4
    RARE_DF = 10  # a gram in more corrections than this does not point at near-duplicates
    CANDIDATES = 3
    CENTROID_MIN = 0.02

    def __init__(self, examples: list[Example], lexicon=None):
        self.examples = examples
        self.lexicon = lexicon
        docs = [self.features(normalize.fold(e.text)) for e in examples]
        df = Counter(g for doc in docs for g in doc)
        n = len(docs) + 1
        self.idf = {g: math.log(n / c) + 1.0 for g, c in df.items()}
        sums: dict[str, Counter] = defaultdict(Counter)
        for i, doc in enumerate(docs):
            for g, v in self._unit({g: tf * self.idf[g] for g, tf in doc.items()}).items():
                sums[examples[i].category][g] += v * examples[i].weight
        # centroids inverted (feature -> [(category, weight)]) so that a query
        # only touches the features it has
        self.centroid_postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for code, total in sums.items():
            for g, v in self._unit(total).items():
                if v >= self.CENTROID_MIN:  # the long tail changes no decision, only costs time
                    self.centroid_postings[g].append((code, v))
        self.corrections = [i for i, e in enumerate(examples) if e.weight >= 1.0]
        # categories the desk has taught by correcting: only their votes may
        # carry a message that no keyword rule recognises
        self.corrected = {examples[i].category for i in self.corrections}
        correction_df = Counter(g for i in self.corrections for g in docs[i] if g[0] != "#")
        # corrections' vectors, computed when first needed
        self._vectors: dict[int, dict[str, float]] = {}
        self.rare: dict[str, list[int]] = defaultdict(list)
        for i in self.corrections:
            for g in docs[i]:
                if g[0] != "#" and correction_df[g] <= self.RARE_DF:
                    self.rare[g].append(i)

    @staticmethod
    def _unit(vec) -> dict[str, float]:
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        return {g: v / norm for g, v in vec.items()}

    def features(self, folded: str, hits=None) -> Counter:
        text = "".join(ch for ch in folded[:300] if ch.isalnum())
        grams = Counter(text[i : i + 2] for i in range(len(text) - 1))
        grams.update(text[i : i + 3] for i in range(len(text) - 2))
        if hits is None and self.lexicon is not None:
            hits = self.lexicon.scan(folded)
        for tag, _start, _end in hits or ():
            grams["#" + tag] += self.TAG_WEIGHT
        return grams

    def _vector(self, folded: str, hits=None) -> dict[str, float]:
        doc = self.features(folded, hits)
        return self._unit({g: tf * self.idf[g] for g, tf in doc.items() if g in self.idf})

    def similarities(
        self, folded: str, hits=None
    ) -> tuple[dict[str, float], tuple[float, Example] | None]:
        """(cosine to each category's centroid, the nearest desk correction
        among those sharing rare grams with the message)."""
        if not self.examples:
            return {}, None
        vec = self._vector(folded, hits)
        if not vec:
            return {}, None
        votes: dict[str, float] = defaultdict(float)
        for g, v in vec.items():
            for code, w in self.centroid_postings.get(g, ()):
                votes[code] += v * w
        return dict(votes), self._nearest_correction(folded, vec)

    def _nearest_correction(self, folded: str, vec) -> tuple[float, Example] | None:
        if not self.rare:
            return None
        overlap: Counter = Counter()
        for g, v in vec.items():
            for i in self.rare.get(g, ()):
                overlap[i] += v
        best = None
        for i, _score in overlap.most_common(self.CANDIDATES):
            example = self.examples[i]
            other = self._vectors.get(i)
            if other is None:
                other = self._vectors[i] = self._vector(normalize.fold(example.text))
            small, large = (vec, other) if len(vec) <= len(other) else (other, vec)
            sim = sum(v * large.get(g, 0.0) for g, v in small.items())
            if best is None or sim > best[0]:
                best = (sim, example)
        return best


class Knowledge:
    def __init__(self, categories: dict[str, CategoryInfo], examples: list[Example], version=None):
        self.categories = categories
        self.version = version
        extra = {}
        for info in categories.values():
            for rule in info.rules:
                for term in rule.required + rule.forbidden:
                    if term not in normalize.LEXICON:
                        extra[term] = (term,)
        self.lexicon = normalize.Lexicon({**normalize.LEXICON, **extra})
        self.examples = NgramIndex(examples, self.lexicon)
        # the guide's order (ties go to the category listed first)
        self.codes = list(categories)
        # each rule filed under its first required term: a sentence only tries
        # the rules whose first term it contains
        self.rules_by_term: dict[str, list[tuple[str, Rule]]] = defaultdict(list)
        for code in self.codes:
            for rule in categories[code].rules:
                self.rules_by_term[rule.required[0]].append((code, rule))


def from_content() -> Knowledge:
    """The knowledge as shipped in guide.content, without a database."""
    from guide import content

    categories = {}
    examples = []
    for (
        code,
        _order,
        _t,
        _te,
        _s,
        _a,
        answer,
        default_route,
        other_route,
        _c,
        other_answer,
    ) in content.CATEGORIES:
        knowledge = content.KNOWLEDGE.get(code, {})
        categories[code] = _info(
            code, default_route, other_route, answer, other_answer, knowledge.get("keywords", "")
        )
        examples += _seed_examples(code, default_route, knowledge.get("example_phrasings", ""))
    return Knowledge(categories, examples, version="content")


def from_database() -> Knowledge:
    from guide import content
    from guide.models import FaqCategory, LabelledExample

    version = database_version()
    # A category nobody has edited (no history entry with a user) follows the
    # knowledge shipped with the code, so a deployment that loaded an older
    # version still gets the current one; once staff edit it in the admin,
    # the database row rules.
    edited = set(
        FaqCategory.history.filter(history_user__isnull=False).values_list("code", flat=True)
    )
    categories, examples = {}, []
    for row in FaqCategory.objects.in_guide_order():
        shipped = content.KNOWLEDGE.get(row.code)
        if shipped and row.code not in edited:
            keywords, phrasings = shipped["keywords"], shipped["example_phrasings"]
        else:
            keywords, phrasings = row.keywords, row.example_phrasings
        categories[row.code] = _info(
            row.code,
            row.default_route,
            row.other_route,
            row.answer,
            row.other_route_answer,
            keywords,
        )
        examples += _seed_examples(row.code, row.default_route, phrasings)
    rows = LabelledExample.objects.order_by("-id").values_list("text", "category", "route")[
        :MAX_EXAMPLES
    ]
    examples += [
        Example(text, category, route, 1.0)
        for text, category, route in rows
        if category in categories or category == ABSTAIN_CATEGORY
    ]
    if not categories:
        return from_content()
    return Knowledge(categories, examples, version=version)


def database_version() -> tuple:
    from django.db.models import Count, Max

    from guide.models import FaqCategory, LabelledExample

    history = FaqCategory.history.aggregate(m=Max("history_id"))["m"]
    labelled = LabelledExample.objects.aggregate(m=Max("id"), n=Count("id"))
    return (history, labelled["m"], labelled["n"])


def _info(code, default_route, other_route, answer, other_answer, keywords) -> CategoryInfo:
    rules = [rule for rule in map(parse_rule, (keywords or "").splitlines()) if rule]
    return CategoryInfo(code, default_route, other_route or "", answer, other_answer or "", rules)


def _seed_examples(code, route, phrasings) -> list[Example]:
    return [
        Example(line.strip(), code, route, 0.5)
        for line in (phrasings or "").splitlines()
        if line.strip()
    ]


class _Holder:
    """The per-process cached index, checked against the database version."""

    def __init__(self):
        self.knowledge: Knowledge | None = None
        self.checked_at = float("-inf")
        self.lock = threading.Lock()
        self.override: Knowledge | None = None  # set by evaluation and tests
        self.shipped: Knowledge | None = None

    def get(self) -> Knowledge:
        if self.override is not None:
            return self.override
        now = time.monotonic()
        if self.knowledge is not None and now - self.checked_at < RECHECK_SECONDS:
            return self.knowledge
        with self.lock:
            if self.knowledge is not None and now - self.checked_at < RECHECK_SECONDS:
                return self.knowledge
            try:
                version = database_version()
                if self.knowledge is None or self.knowledge.version != version:
                    self.knowledge = from_database()
            except Exception:  # no database (plain Python, tables not migrated)
                # Fall back to the knowledge shipped in guide.content.
                if self.shipped is None:
                    self.shipped = from_content()
                self.knowledge = self.shipped
            self.checked_at = now
            return self.knowledge

    def recheck(self):
        self.checked_at = float("-inf")

    def invalidate(self):
        self.knowledge = None
        self.checked_at = float("-inf")


_holder = _Holder()


def current() -> Knowledge:
    return _holder.get()


def invalidate() -> None:
    """Forget the cached index: the next call rebuilds it."""
    _holder.invalidate()


def recheck() -> None:
    """Compare with the database version on the next call (this process saw a change)."""
    _holder.recheck()


def use(knowledge: Knowledge | None) -> None:
    """Pin the engine to `knowledge` (None = back to the database), for evaluation."""
    _holder.override = knowledge
