"""The engine's in-memory knowledge: categories with their keyword rules and
route conditions, the lexicon, the labelled examples' index and the learned
model. Plain Python: where it comes from is a *source*, set at start-up.

- Without Django (plain Python, evaluation, tests of the core) the source is
  the shipped data: guide/knowledge/*.toml (validated, see files.py), the
  answers of guide/content.py and the shipped model guide/knowledge/model.json.
- Under Django, guide.apps installs guide.knowledge_store as the source: the
  categories table with the admin's local overrides, the desk's labelled
  examples and the latest fitted model row.

Pick-up across processes: `current()` compares the source's cheap version with
the one its index was built from, at most once every RECHECK_SECONDS per
process, and rebuilds when it changed. A desk correction, an admin edit or a
retrained model saved in any process therefore reaches every engine within
RECHECK_SECONDS, with no signal and no restart.
"""

import logging
import math
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from guide.categories import answer_for

from . import files, normalize
from . import model as model_module
from .files import Condition, Rule, parse_rule  # noqa: F401 -- the rule type of the knowledge

log = logging.getLogger(__name__)

RECHECK_SECONDS = 2.0
MAX_EXAMPLES = 10000  # most recent labelled examples kept in memory (rebuild ~1 s)


@dataclass
class CategoryInfo:
    code: str
    default_route: str = "guide_answer"
    other_route: str = ""
    answer: str = ""
    other_route_answer: str = ""
    rules: list[Rule] = field(default_factory=list)
    condition: Condition | None = None

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
        sums: dict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
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

    def nearest(self, folded: str, hits=None) -> tuple[float, Example] | None:
        """The nearest desk correction alone (None when the desk corrected nothing)."""
        if not self.rare:
            return None
        vec = self._vector(folded, hits)
        return self._nearest_correction(folded, vec) if vec else None

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
    def __init__(
        self,
        categories: dict[str, CategoryInfo],
        examples: list[Example],
        version=None,
        model=None,
        shipped: files.Shipped | None = None,
        thresholds=None,
    ):
        shipped = shipped or files.SHIPPED
        self.categories = categories
        self.version = version
        self.model = model
        self.thresholds = thresholds  # engine.Thresholds; None: the defaults
        self.lexicon = normalize.lexicon_of(shipped)
        self.scope = shipped.scope
        self.examples = NgramIndex(examples, self.lexicon)
        # the guide's order (ties go to the category listed first)
        self.codes = list(categories)
        self.order = {code: i for i, code in enumerate(self.codes)}
        # the route conditions and the tags one of which each needs: a message
        # with none of them skips the condition (None: it may hold on any tags)
        self.conditions: list[tuple[str, Condition, frozenset[str] | None]] = []
        for code in self.codes:
            condition = categories[code].condition
            if condition is not None:
                firsts = [rule.required[:1] for rule in condition.when]
                needs = None if any(not f for f in firsts) else frozenset(f[0] for f in firsts)
                self.conditions.append((code, condition, needs))
        # each rule filed under its first required term: a sentence only tries
        # the rules whose first term it contains
        # (code, weight, required, forbidden): the sets make a rule's test two
        # set operations in C
        self.rules_by_term: dict[str, list[tuple[str, float, frozenset[str], frozenset[str]]]] = (
            defaultdict(list)
        )
        for code in self.codes:
            for rule in categories[code].rules:
                self.rules_by_term[rule.required[0]].append(
                    (code, rule.weight, frozenset(rule.required), frozenset(rule.forbidden))
                )
        # every term some rule needs: what a sentence must name to raise a problem
        self.rule_terms = frozenset(
            tag for rules in self.rules_by_term.values() for rule in rules for tag in rule[2]
        )

    def without_learning(self) -> "Knowledge":
        """The same rules and seed phrasings, with no desk examples and no model."""
        seeds = [e for e in self.examples.examples if e.weight < 1.0]
        return Knowledge(
            self.categories, seeds, version=None, model=None, thresholds=self.thresholds
        )


def shipped_categories(answers=None) -> tuple[dict[str, CategoryInfo], list[Example]]:
    """The categories of the shipped knowledge files, with the answers of
    guide.content (or `answers`: code -> (answer, other_route, other_answer))."""
    if answers is None:
        from guide import content

        answers = {row[0]: (row[6], row[8], row[10]) for row in content.CATEGORIES}
    categories, examples = {}, []
    for code, spec in files.SHIPPED.categories.items():
        answer, other_route, other_answer = answers.get(code, ("", "", ""))
        categories[code] = CategoryInfo(
            code,
            spec.default_route,
            other_route or (spec.condition.route if spec.condition else ""),
            answer,
            other_answer,
            [parse_rule(r, files.SHIPPED.tags) for r in spec.rules],
            spec.condition,
        )
        examples += seed_examples(code, spec.default_route, spec.phrasings)
    return categories, examples


def from_files() -> Knowledge:
    """The knowledge as shipped, without a database."""
    categories, examples = shipped_categories()
    return Knowledge(categories, examples, version="files", model=model_module.shipped())


def seed_examples(code, route, phrasings) -> list[Example]:
    return [Example(line.strip(), code, route, 0.5) for line in phrasings if line.strip()]


class _Holder:
    """The per-process cached knowledge, checked against the source's version."""

    def __init__(self):
        self.knowledge: Knowledge | None = None
        self.checked_at = float("-inf")
        self.lock = threading.Lock()
        self.override: Knowledge | None = None  # set by evaluation and tests
        self.shipped: Knowledge | None = None
        self.load = None  # source: () -> Knowledge
        self.version = None  # source: () -> hashable

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
                if self.load is None:
                    raise LookupError("no knowledge source configured")
                version = self.version()
                if self.knowledge is None or self.knowledge.version != version:
                    self.knowledge = self.load()
            except Exception as error:  # no database (tables not migrated, DB down)
                if self.load is not None:
                    log.warning("triage knowledge: using the shipped files (%r)", error)
                if self.shipped is None:
                    self.shipped = from_files()
                self.knowledge = self.shipped
            self.checked_at = now
            return self.knowledge

    def recheck(self):
        self.checked_at = float("-inf")

    def invalidate(self):
        self.knowledge = None
        self.checked_at = float("-inf")


_holder = _Holder()


def configure(load, version) -> None:
    """Install the knowledge source (guide.apps does, with the database)."""
    _holder.load, _holder.version = load, version
    _holder.invalidate()


def current() -> Knowledge:
    return _holder.get()


def invalidate() -> None:
    """Forget the cached index: the next call rebuilds it."""
    _holder.invalidate()


def recheck() -> None:
    """Compare with the source's version on the next call (this process saw a change)."""
    _holder.recheck()


def use(knowledge: Knowledge | None) -> None:
    """Pin the engine to `knowledge` (None = back to the source), for evaluation."""
    _holder.override = knowledge
