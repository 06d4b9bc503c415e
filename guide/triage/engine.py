"""suggest(text) -> Suggestion: plain Python, no request, no database writes.

1. fold the text (width, case, first MAX_CHARS characters) and scan it for
   concept tags (normalize.Lexicon: synonyms, typos, English, abbreviations);
2. score every category sentence by sentence with its keyword rules
   (knowledge.Rule), so that a keyword of one problem in another sentence does
   not leak into it, and add the votes of the nearest labelled examples
   (desk corrections, seed phrasings);
3. the problem raised first is primary unless another is more than twice as
   strong; the other categories that win a sentence of their own are the
   `also` problems, in the order they are raised;
4. abstain (other/manual) when the best score is weak or the message is out of
   scope; 5. the route from rules.route_for; 6. the reply from the category.
"""

import bisect
import functools
import logging
import math
import re
from dataclasses import asdict, dataclass, field

from guide.categories import ABSTAIN_CATEGORY

from . import knowledge as knowledge_module
from . import model as model_module
from . import normalize, rules, scope
from . import scope as scope_module

log = logging.getLogger(__name__)
_NO_INFO = knowledge_module.CategoryInfo("")

ABSTAIN_BELOW = 1.0  # a rule score below this is no basis for a category
NOTHING_FITS = 2.0  # the score of 'none of these' in the confidence
ALSO_MIN = 2.0  # a further problem must stand on its own sentence this strongly
KNN_WEIGHT = 2.0  # a category's score gains this times the summed similarity of its neighbours
KNN_MIN_SIM = 0.3  # neighbours less similar than this do not vote
KNN_ALONE = 0.3  # votes this strong for a category the desk corrected carry it without a rule
SEED_ALONE = 0.5  # ... and this strong for one known only from its seed phrasings
FIRST_RAISED_SHARE = 0.5  # a problem raised earlier with this share of the top score is primary
OUT_OF_SCOPE = 4.0  # the score of 'other' for a sentence about another system
ADOPT_SIM = 0.8  # a near-duplicate of a desk correction takes its category and route
# a further problem the n-gram model's problems-raised part finds at this
# probability joins `also`. Measured with that part fitted without the batch:
# also recall fresh_n+o 0.80 -> 0.82, fresh_l+m 0.78 -> 0.83, precision the
# same (0.52-0.53); at 0.5 recall rose two points more, but the engine's test
# messages (tests/guide/triage/messages.jsonl) got 54 further problems they
# do not raise (31 at 0.8)
RAISED_AT = 0.8
# ... at this lower probability when the keyword rules scored it somewhere in
# the message (without winning a sentence of its own); and a further problem
# the rules name is dropped when that part finds it raised below
# RULED_OUT_BELOW: a word of another problem told as context, which the
# rules give a sentence of its own. Chosen on fresh_am..as
# (1,820 messages, the part fitted without each batch): also recall 0.945 ->
# 0.953, precision 0.644 -> 0.708; on the six held-out batches (shipped model)
# recall 0.858 -> 0.867, precision 0.598 -> 0.694
RAISED_SCORED_AT = 0.6
RULED_OUT_BELOW = 0.02
# below this calibrated confidence a suggestion carries needs_review (请核对);
# chosen by measurement: a threshold that leaves at least 80% of the
# messages unflagged under 5-fold CV of the whole labelled file (`triage_eval
# guide/knowledge/labelled.jsonl --cv` prints it). At 12,460 messages and the
# certainty of FEATURES_VERSION 6: 0.93 leaves 82.6% unflagged, both right
# 0.985; 0.94, the highest, 80.1% (0.986), with nothing to spare for unseen
# batches, whose coverage runs lower (fresh_p 70.8%, fresh_q 83.1% at 0.93).
# Calibrated on the sureness (model.sureness_inputs), 0.93 left 83.6% of the
# 1,610 messages of fresh_l..o, r, t unflagged (fitted without them), both
# right 0.967; 0.95 75.8%. At 16,775 examples, on the five held-out batches
# fresh_s, u, v, x, ak (1,380 messages): 0.93 leaves 77.3% unflagged, both
# right 0.983; 0.91 82.8%, 0.972 (the curve's steps lie between).
# The default: an admin sets the threshold in force (Thresholds below);
# settings.TRIAGE_REVIEW_BELOW, when set, replaces this default for a
# deployment (guide.models.default_review_below).
REVIEW_BELOW = 0.93
# how close the model's best label of another category must come to its
# first for the problem raised first to win (_first_raised_when_torn):
# measured with the model fitted without the batches (both right), fresh_l..ae
# (4,210 messages) 0.934 -> 0.936 at 0.6 (0.935 at 0.8, 0.936 at 0.4), and
# fresh_af..aj (1,300) 0.933 -> 0.938 (0.937 at 0.8); calibrated, the same
# 72.3 % unflagged at REVIEW_BELOW (both right 0.983), AUROC 0.886 -> 0.879
TORN_RATIO = 0.6


@dataclass(frozen=True)
class Thresholds:
    """The thresholds an admin sets (guide.models.TriageSettings), carried by
    the knowledge like its rules so that every process picks a change up with
    it; these defaults without Django."""

    waited_long_days: float = scope.WAITED_LONG_DAYS
    deadline_near_days: float = scope.DEADLINE_NEAR_DAYS
    review_below: float = REVIEW_BELOW


_DEFAULT_THRESHOLDS = Thresholds()


def thresholds(kb=None) -> Thresholds:
    """The thresholds of `kb` (the current knowledge by default)."""
    kb = knowledge_module.current() if kb is None else kb
    return getattr(kb, "thresholds", None) or _DEFAULT_THRESHOLDS


@dataclass(frozen=True)
class Suggestion:
    category: str
    route: str
    confidence: float
    also: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    reply: str = ""
    ranked: list[tuple[str, float]] = field(default_factory=list)
    needs_review: bool = False  # below review_below: the desk should check it (请核对)

    def as_dict(self) -> dict:
        return asdict(self)


def suggest(text) -> Suggestion:
    text = text if isinstance(text, str) else str(text or "")
    return _answered(text, functools.partial(_suggest, text, knowledge_module.current()))


def suggest_many(texts, kb=None) -> list[Suggestion]:
    """suggest() of each text (against `kb`, the current knowledge by
    default), the n-gram model scored for all of them at once: a bulk
    import's batch (bench/triage_bench.py measures both ways)."""
    texts = [text if isinstance(text, str) else str(text or "") for text in texts]
    kb = knowledge_module.current() if kb is None else kb
    try:
        analysed = [analyse(text, kb) for text in texts]
        of_texts = (
            kb.model.texts_scores([a.readable for a in analysed])
            if kb.model is not None
            else [None] * len(texts)
        )
    except Exception:  # one text the analysis fails on: each its own answer
        return [_answered(text, functools.partial(_suggest, text, kb)) for text in texts]
    return [
        _answered(text, functools.partial(_decided, a, kb, of_text))
        for text, a, of_text in zip(texts, analysed, of_texts, strict=True)
    ]


def _answered(text: str, decide) -> Suggestion:
    """decide()'s suggestion for `text`; when the engine fails on it, the desk
    must still get an answer: a person takes over."""
    try:
        return decide()
    except Exception as error:
        log.exception("triage failed on a text of %d characters: %r", len(text), error)
        return Suggestion(
            category=ABSTAIN_CATEGORY, route="manual", confidence=0.0, needs_review=True
        )


def suggest_with(text: str, kb) -> Suggestion:
    """The same, against an explicit knowledge (evaluation, cross-validation)."""
    return _suggest(text, kb)


@dataclass
class Analysis:
    """What the rules make of a message: the model's input and the evidence."""

    original: str
    folded: str
    hits: list
    spans: list
    totals: dict
    first_at: dict
    per_sentence: list
    evidence_spans: dict  # category -> [(a sentence's hits, the tags of a rule that fired there)]
    tags: set  # the asserted ones ("~tag" for a condition tag out of scope)
    conditions: dict  # category -> deciding tags, for every category whose condition holds
    scoped: list  # the hits as the route conditions see them ("~tag": not asserted)
    aside: frozenset = frozenset()  # categories raised only after "另外"/"顺便"/"btw" (_aside_only)
    # the categories the writer calls the main one ("主要是…", _marked_main)
    main: frozenset = frozenset()
    # what the n-gram model reads: the folded message without its sentences
    # about another system or told as solved. Grams know words, not whose
    # account they name nor what is over
    # ("重庆大学的统一认证怎么激活" is no question about ours), which the scope
    # analysis has read; each duration told with a number as the thresholds'
    # verdict on it (_readable); empty when nothing else is left (the rule
    # features then decide alone)
    readable: str = ""
    # some sentence is about another system and no other raises a problem of
    # ours ("学生邮箱登不上。我是在读本科生": who writes is no problem)
    elsewhere: bool = False


def analyse(text: str, kb) -> Analysis:
    original = str(text)[: normalize.MAX_CHARS]
    folded = normalize.fold(text)
    limits = thresholds(kb)
    scoped = scope.apply(
        folded, kb.lexicon.scan(folded), limits.waited_long_days, limits.deadline_near_days
    )
    # the rules see every concept; the route conditions only what is asserted
    hits = [(tag.lstrip("~"), start, end) for tag, start, end in scoped]
    spans = normalize.sentences(folded) or [(0, len(folded))]
    totals, first_at, per_sentence, evidence_spans, outside, settled = _score_sentences(
        kb, hits, spans, folded
    )
    if outside:
        # a sentence about another system asserts nothing about ours: its
        # condition words ("信息不符" of a bank's app) decide no route, and the
        # model reads its concepts apart ("@密码": another system's password)
        scoped = [
            (
                ("~" if h[0] in scope.CONDITION_TAGS else "@") + h[0].lstrip("~"),
                h[1],
                h[2],
            )
            if any(spans[i][0] <= h[1] < spans[i][1] for i in outside)
            else h
            for h in scoped
        ]
    if settled:
        scoped = [
            ("%" + h[0].lstrip("~"), h[1], h[2])
            if any(spans[i][0] <= h[1] < spans[i][1] for i in settled)
            else h
            for h in scoped
        ]
    unread = set(outside) | set(settled)
    readable = _readable(folded, spans, unread, limits, hits)
    tags = {h[0] for h in scoped}
    conditions = {}
    for code, condition, needs in kb.conditions:
        if needs is None or not needs.isdisjoint(tags):
            decided = rules.holds(condition, tags)
            if decided:
                conditions[code] = decided
    return Analysis(
        original,
        folded,
        hits,
        spans,
        totals,
        first_at,
        per_sentence,
        evidence_spans,
        tags,
        conditions,
        scoped,
        _aside_only(kb, folded, hits, spans, per_sentence, totals),
        _marked_main(kb, folded, hits, spans, outside, totals),
        readable,
        bool(outside) and _says_only_who(kb, hits, spans, unread),
    )


def _says_only_who(kb, hits, spans, unread) -> bool:
    """Whether every sentence not in `unread` names nothing a rule needs but
    who is writing and how they ask ("学生邮箱登不上。我是在读本科生，找不到入口",
    "I'm a sophomore")."""
    scope = kb.scope
    who = scope.get("current_member", frozenset()) | scope.get("asking", frozenset())
    terms = kb.rule_terms
    starts = [start for start, _end in spans]
    for tag, start, _end in hits:
        index = max(bisect.bisect_right(starts, start) - 1, 0)
        if index not in unread and tag in terms and tag not in who:
            return False
    return True


# what the n-gram model reads for each duration the writer tells with a
# number ("五天", "两个礼拜", "10 days"): the admin's thresholds' verdict on
# it, never the grams of the number. Whether a wait is long is theirs to
# decide; with the fresh batches among the examples, the grams of "五天" made
# "激活五天了还没进群" refer_college at the 7-day threshold. A vague amount
# ("好几天") stays words (scope.VAGUE_AMOUNT)
LONG_WAIT, SHORT_WAIT, NEAR_DATE, FAR_DATE = "\ue8f0", "\ue8f1", "\ue8f2", "\ue8f3"
_TOLD_MARKS = frozenset({LONG_WAIT, SHORT_WAIT, NEAR_DATE, FAR_DATE})
# a term the writer denies ("我的手机不是鸿蒙"): its grams would say the opposite
NEGATED = "\ue8f4"


def _readable(folded: str, spans, unread: set[int], limits, hits) -> str:
    """The text the n-gram model reads (Analysis.readable): the sentences not
    in `unread`, each told duration as the mark of its verdict, each term
    denied ("不是鸿蒙", "not HarmonyOS") as NEGATED (a term told fine, "手机号
    没问题", keeps its words: the number is still what the message is about)."""
    marks = sorted(
        [
            (start, end, _duration_mark(days, kind, limits))
            for days, start, end, kind in scope.durations(folded)
            if not scope.VAGUE_AMOUNT.search(folded, start, end)
        ]
        + [
            (start, end, NEGATED)
            for tag, start, end in hits
            if tag.startswith("not:") and tag[4:] in normalize.NEGATED_BEFORE
        ]
    )
    if not unread:
        return _marked(folded, 0, len(folded), marks)
    kept = (
        _marked(folded, start, end, marks)
        for i, (start, end) in enumerate(spans)
        if i not in unread
    )
    return " ".join(kept).strip()


def _duration_mark(days: float, kind: str, limits) -> str:
    if kind == "future":
        return NEAR_DATE if days <= limits.deadline_near_days else FAR_DATE
    return LONG_WAIT if days >= limits.waited_long_days else SHORT_WAIT


def _marked(folded: str, start: int, end: int, marks) -> str:
    """folded[start:end] with each duration inside it as its mark."""
    pieces: list[str] = []
    at = start
    for mark_start, mark_end, mark in marks:
        if mark_start >= at and mark_end <= end:
            pieces += (folded[at:mark_start], mark)
            at = mark_end
    pieces.append(folded[at:end])
    return "".join(pieces)


def _aside_only(kb, folded, hits, spans, per_sentence, totals) -> frozenset[str]:
    """The categories raised only after the writer turns to a further problem
    ("另外", "顺便问下", "对了", "btw"), when something was raised before it:
    the problem the writer is blocked on now comes first (normalize.ASIDE)."""
    found = normalize.ASIDE.search(folded) if totals else None
    if found is None:
        return frozenset()
    cut = found.start()
    before: dict[str, float] = {}
    for (start, end), scores in zip(spans, per_sentence, strict=True):
        if end <= cut:
            before.update(scores)
        elif start < cut:  # the turn inside a sentence: its words before the turn
            before.update(_rule_scores(kb, {h[0] for h in hits if start <= h[1] < cut}))
    if not before:
        return frozenset()  # nothing raised before the turn: the aside is all there is
    return frozenset(code for code in totals if code not in before)


def _marked_main(kb, folded, hits, spans, outside, totals) -> frozenset[str]:
    """The categories raised right after the words that name the main
    problem ("主要是…", "最急的是…", "mainly", normalize.MAIN), up to the end
    of their sentence (not the next one: "鸿蒙手机现在卡在关注这步。另外验证码…"
    names no problem after "卡在" and then turns to a further one); "other"
    when that sentence is about another system. Only when the message raises
    more than one problem: the writer then says which one blocks them."""
    found = normalize.MAIN.search(folded) if len(totals) > 1 else None
    if found is None:
        return frozenset()
    index = max(bisect.bisect_right([start for start, _end in spans], found.start()) - 1, 0)
    if index in outside:
        return frozenset((ABSTAIN_CATEGORY,))
    end = spans[index][1]
    return frozenset(_rule_scores(kb, {h[0] for h in hits if found.end() <= h[1] < end}))


def model_groups(a: Analysis) -> list[tuple[str, dict]]:
    # the concepts as the route conditions see them: a feared, resolved,
    # negated or reported condition is "t:~<tag>", never "t:<tag>" (measured:
    # route 0.916 -> 0.938 on fresh_c, 0.950 -> 0.965 on fresh_a, CV unchanged);
    # a sentence about another system ("Sichuan University's unified identity
    # account") is read through its tags "t:@...", and the n-gram model reads
    # only a.readable: its words are no activation question of ours
    return model_module.feature_groups(
        a.readable, a.scoped, a.spans, a.totals, a.conditions, unasserted=a.tags
    )


def model_features(a: Analysis) -> dict[str, float]:
    """The model's features of `a` by name (what training fits on)."""
    return model_module.named(model_groups(a))


def _suggest(text: str, kb) -> Suggestion:
    return _decided(analyse(text, kb), kb)


def _decided(a: Analysis, kb, of_text=None) -> Suggestion:
    """The suggestion for the analysed message (`of_text`: the n-gram model's
    scores of a.readable when suggest_many computed them)."""
    order = kb.order  # ties go to the guide's order
    totals, first_at = dict(a.totals), dict(a.first_at)

    rule_best = max(totals.values(), default=0.0)
    if kb.model is not None:
        # the model has learned the labelled examples: only a near-duplicate
        # of a desk correction still matters (the centroid votes cost ~40 us)
        similarity, nearest = {}, kb.examples.nearest(a.folded, a.hits)
    else:
        similarity, nearest = kb.examples.similarities(a.folded, a.hits)
    votes = {code: sim for code, sim in similarity.items() if sim >= KNN_MIN_SIM}
    adopted = None
    if nearest and nearest[0] >= ADOPT_SIM and nearest[1].weight >= 1.0:
        adopted = nearest[1]  # the desk already labelled (nearly) this very message
    for code, vote in votes.items():
        totals[code] = totals.get(code, 0.0) + KNN_WEIGHT * vote
        first_at.setdefault(code, len(a.spans))

    ranked = sorted(
        totals.items(),
        key=lambda item: (-item[1], first_at.get(item[0], 99), order.get(item[0], 99)),
    )
    taught = max((v for c, v in votes.items() if c in kb.examples.corrected), default=0.0)
    seeded = max(votes.values(), default=0.0)
    grounded = rule_best >= ABSTAIN_BELOW or taught >= KNN_ALONE or seeded >= SEED_ALONE
    decided: list[str] = []
    learned = None
    if adopted is not None:
        primary, route = adopted.category, adopted.route
    elif kb.model is not None:
        if of_text is None:
            of_text = kb.model.text_scores(a.readable)
        ranked_by_model = kb.model.ranked_groups(model_groups(a), a.readable, of_text)
        if a.elsewhere:
            # every sentence is about another system's account or a campus
            # service, or told as solved: categories.md's other/manual. The
            # model reads such sentences through their "t:@" tags, but learned
            # those also from in-scope messages that name another school
            # (75 of 76 such messages of the fresh batches are other; the
            # model alone had 74)
            ranked_by_model = sorted(
                ranked_by_model, key=lambda item: not item[0].startswith(ABSTAIN_CATEGORY + "/")
            )
        learned = _by_the_thresholds(
            kb,
            a,
            _the_main_one(
                _first_raised_when_torn(
                    _before_the_aside(ranked_by_model, a.aside, a.totals), a.totals, a.first_at
                ),
                a.main,
            ),
        )
        # when the model hesitated between the aside and the problem before
        # it, the order of the message decides between the two (right for
        # 111 of 118 labelled messages with an aside): sure of either
        sureness = kb.model.sureness(ranked_by_model, learned[0], of_text, len(a.readable))
        primary, route = learned[0][0].split("/", 1)
        if primary not in kb.categories and primary != ABSTAIN_CATEGORY:
            primary, route = ABSTAIN_CATEGORY, "manual"
        decided = (
            a.conditions.get(primary, [])
            if route != kb.categories.get(primary, _NO_INFO).default_route
            else []
        )
    else:
        primary, route = _rule_decision(kb, ranked, first_at, grounded, a.tags, a.main)
        decided = (
            a.conditions.get(primary, [])
            if route != kb.categories.get(primary, _NO_INFO).default_route
            else []
        )
    if primary == ABSTAIN_CATEGORY and adopted is None:
        route = "manual"

    also = _further_problems(_units(kb, a), primary, order)
    if learned is not None and of_text is not None:
        also = _with_raised(also, of_text.raised, primary, a.first_at, a.totals)

    if learned is not None:
        confidence = kb.model.confidence(sureness, primary == ABSTAIN_CATEGORY)
    elif adopted is not None:
        confidence = round(min(0.99, nearest[0]), 3)
    else:
        confidence = _confidence(ranked, primary)
    phrases = _phrases(
        a.original,
        a.folded,
        [
            (h[1], h[2])
            for local, req in a.evidence_spans.get(primary, ())
            for h in local
            if h[0] in req
        ]
        + [(h[1], h[2]) for h in a.hits if h[0] in decided],
    )
    info = kb.categories.get(primary)
    reply = info.answer_for(route) if info else ""
    return Suggestion(
        category=primary,
        route=route,
        confidence=confidence,
        also=also,
        evidence=phrases,
        reply=reply,
        ranked=[(code, round(score, 2)) for code, score in ranked[:5]],
        needs_review=confidence < thresholds(kb).review_below,
    )


def _promoted(learned, position):
    """The ranking `learned` with its label at `position` moved first, the
    others in their order."""
    return [learned[position], *learned[:position], *learned[position + 1 :]]


def _before_the_aside(learned, aside, raised):
    """The model's ranking with its best label of a problem raised before an
    aside ("另外", "顺便", "btw") first, when it ranked a problem raised only
    as the aside highest: the writer is blocked on the one raised first
    (normalize.ASIDE). Only a problem the message raises is promoted, never
    "other" or a category nobody mentioned."""
    if not aside or learned[0][0].split("/", 1)[0] not in aside:
        return learned
    for position, (label, _probability) in enumerate(learned):
        code = label.split("/", 1)[0]
        if code in raised and code not in aside:
            return _promoted(learned, position)
    return learned


def _first_raised_when_torn(learned, raised, first_at):
    """The model's ranking with the best label of another category first
    when the model hesitated between the two (its probability at least
    TORN_RATIO of the first's) and the message raised that one earlier: of
    two problems asked together, the writer is blocked on the first
    (categories.md: also lists the others in the order raised). Only a
    problem the keyword rules found (`raised`) is promoted."""
    top_code = learned[0][0].split("/", 1)[0]
    if top_code not in raised:
        return learned
    for position, (label, probability) in enumerate(learned[1:], 1):
        code = label.split("/", 1)[0]
        if code == top_code:
            continue  # the same problem by another route
        if (
            probability >= TORN_RATIO * learned[0][1]
            and code in raised
            and first_at.get(code, 99) < first_at.get(top_code, 99)
        ):
            return _promoted(learned, position)
        return learned
    return learned


def _the_main_one(learned, main):
    """The model's ranking with its best label of a problem the writer calls
    the main one (Analysis.main) first: the writer's own word on which
    problem blocks them outranks the order the problems were raised in."""
    if not main or learned[0][0].split("/", 1)[0] in main:
        return learned
    for position, (label, _probability) in enumerate(learned):
        if label.split("/", 1)[0] in main:
            return _promoted(learned, position)
    return learned


def _by_the_thresholds(kb, a: Analysis, learned):
    """The model's ranking with its category's default route first when the
    model chose the condition's route though the condition does not hold and
    every wait or date the message tells with a number is one the admin's
    thresholds call short or far (SHORT_WAIT, FAR_DATE): whether a told wait
    is long is theirs to decide (issue 10: "compared with a threshold an admin
    sets"), and the examples' writers judged "five days" either way. Only for
    a category whose condition a wait decides (group_wait's, not sms_code's
    "tried for three days")."""
    code, route = learned[0][0].split("/", 1)
    info = kb.categories.get(code)
    if (
        info is None
        or route == info.default_route
        or code in a.conditions
        or info.condition is None
        or not any(scope.DURATION_TAGS.intersection(rule.required) for rule in info.condition.when)
    ):
        return learned
    told = _TOLD_MARKS.intersection(a.readable)
    if not told or told & {LONG_WAIT, NEAR_DATE}:
        return learned
    wanted = f"{code}/{info.default_route}"
    for position, (label, _probability) in enumerate(learned):
        if label == wanted:
            return _promoted(learned, position)
    return learned


def _rule_decision(kb, ranked, first_at, grounded, tags, main) -> tuple[str, str]:
    """What the keyword rules alone decide: the problem the writer calls the
    main one (Analysis.main), else the problem raised first, unless clearly
    outweighed; its route from its condition."""
    if not ranked or not grounded:
        return ABSTAIN_CATEGORY, "manual"
    contenders = [code for code, _total in ranked if code in main] or [
        code for code, total in ranked if total >= FIRST_RAISED_SHARE * ranked[0][1]
    ]
    primary = min(contenders, key=lambda code: first_at.get(code, 99))
    route, _decided = rules.route_for(kb.categories.get(primary), tags)
    return primary, route


def _score_sentences(kb, hits, spans, folded=""):
    """Rule scores per category summed over the sentences, the sentence where
    each category is first raised, the scores of each sentence, and the spans
    of the terms that made the rules fire."""
    totals: dict[str, float] = {}
    first_at: dict[str, int] = {}
    per_sentence: list[dict[str, float]] = []
    evidence: dict[str, list[tuple[list, frozenset[str]]]] = {}
    outside: list[int] = []  # the sentences about another system or campus service
    rules_by_term = kb.rules_by_term
    starts = [start for start, _end in spans]
    by_sentence: list[list[tuple[str, int, int]]] = [[] for _ in spans]
    for hit in hits:
        by_sentence[max(bisect.bisect_right(starts, hit[1]) - 1, 0)].append(hit)
    scope = kb.scope
    all_tags = {h[0] for h in hits}
    current_member = bool(all_tags & scope.get("current_member", frozenset())) and not (
        all_tags & scope.get("candidate_account", frozenset())
    )
    other_system = scope.get("other_system")
    # a problem told as solved ("验证码刚开始收不到，后来又好了。") is not the
    # one to answer when another sentence raises one: its sentence scores nothing
    settled: list[int] = []
    if folded and sum(1 for local in by_sentence if local) > 1:
        for index, local in enumerate(by_sentence):
            if local and scope_module.told_solved(
                scope_module.SOLVED, folded, local[0][2], spans[index][1]
            ):
                settled.append(index)
        if settled and not any(
            _rule_scores(kb, {h[0] for h in local})
            for index, local in enumerate(by_sentence)
            if local and index not in settled
        ):
            settled = []  # nothing else raised: the solved one is all there is
    for index, local in enumerate(by_sentence):
        tags = {h[0] for h in local}
        scores: dict[str, float] = {}
        if index in settled:
            per_sentence.append(scores)
            continue
        if ABSTAIN_CATEGORY in kb.categories and (
            (other_system in tags and not _own_systems(local, other_system, scope))
            or (scope.get("other_owner") in tags and _owned_elsewhere(local, folded, scope))
            or (current_member and scope.get("campus_service") in tags)
        ):
            # about another system, or a current student's campus service
            scores[ABSTAIN_CATEGORY] = OUT_OF_SCOPE
            totals[ABSTAIN_CATEGORY] = totals.get(ABSTAIN_CATEGORY, 0.0) + OUT_OF_SCOPE
            first_at.setdefault(ABSTAIN_CATEGORY, index)
            per_sentence.append(scores)
            outside.append(index)
            continue
        for tag in tags:
            for code, weight, required, forbidden in rules_by_term.get(tag, ()):
                if required <= tags and forbidden.isdisjoint(tags):
                    scores[code] = scores.get(code, 0.0) + weight
                    # the spans are worked out for the primary only (_evidence)
                    evidence.setdefault(code, []).append((local, required))
        for code, score in scores.items():
            totals[code] = totals.get(code, 0.0) + score
            first_at.setdefault(code, index)
        per_sentence.append(scores)
    return totals, first_at, per_sentence, evidence, outside, settled


def _own_systems(local, other_system, scope) -> bool:
    """Whether a sentence names one of our systems, not counting a mention
    inside another system's phrase ("公司也用企业微信", "my company's WeCom")
    or right after its name ("支付宝身份验证", "招行的验证码"); or names
    another system only to tell where a phone number was given ("验证码收不到,
    我填的是研招网报名时的手机号": the number is the question, sms_code's)."""
    numbers = [(h[1], h[2]) for h in local if h[0] == scope.get("named_number")]
    others = [(h[1], h[2]) for h in local if h[0] == other_system]
    if numbers and all(any(a <= s and e <= b for a, b in numbers) for s, e in others):
        return True
    return any(
        h[0] in scope["own_systems"] and not any(a <= h[1] <= b + 2 for a, b in others)
        for h in local
    )


# what may stand between an owner and its account: "四川大学的统一身份认证",
# "研究生院官方公众号", "川大那边的企业微信", "本科学校（川大）的统一认证"
# -- not a comma or a verb
_OWNER_GAP = re.compile(r"\s*(?:的|之|那边的?|那个|这边的?|官方的?|微信|'s|[)）])*\s*")
# the owner named before, its account referred to after ("我是西南交大的，他们的
# 企业微信也要这么激活吗", "I'm from SCU, is their IDAS the same?")
_THEIR = re.compile(
    r"(?:他们|她们|它们|那边|对方|那个学校|那所学校)(?:学校)?的?\s*$"
    r"|\b(?:their|that (?:school|university)'s)\s+$"
)


def _owned_elsewhere(local, folded, scope) -> bool:
    """Whether a sentence's accounts all belong to someone else: each of our
    account words in it ("统一身份认证", "企业微信", "公众号") comes right
    after the name of another owner -- another university ("四川大学的统一
    身份认证"), or an office whose public account is not the 电子科技大学
    enterprise account ("研究生院的公众号"). Then its verbs ("激活", "取关")
    are about that account too. An owner named on its own ("我本科是川大的")
    or apart from the account ("川大的，统一认证...") decides nothing."""
    owners = [h[2] for h in local if h[0] == scope["other_owner"]]
    accounts = [h for h in local if h[0] in scope.get("own_accounts", ())]
    if not owners or not accounts or not folded:
        return False
    return all(
        any(
            end <= h[1]
            and (
                _OWNER_GAP.fullmatch(folded, end, h[1])
                or _THEIR.search(folded, max(end, h[1] - 8), h[1])
            )
            for end in owners
        )
        for h in accounts
    )


def _units(kb, a: Analysis) -> list[dict[str, float]]:
    """The rule scores of each sentence, each followed by those of its
    clauses when problems are joined inside it (和, 以及, and, plus, ...):
    "验证码收不到和企业号关注不了" raises two problems in one sentence."""
    units = []
    starts = [start for start, _end in a.spans]
    joined: dict[int, list[re.Match[str]]] = {}
    for m in normalize.CLAUSE_JOIN.finditer(a.folded):
        joined.setdefault(max(bisect.bisect_right(starts, m.start()) - 1, 0), []).append(m)
    for index, scores in enumerate(a.per_sentence):
        units.append(scores)
        if index not in joined:
            continue
        start, end = a.spans[index]
        cuts = [start] + [p for m in joined[index] for p in (m.start(), m.end())] + [end]
        for c_start, c_end in zip(cuts[::2], cuts[1::2], strict=True):
            tags = {h[0] for h in a.hits if c_start <= h[1] < c_end}
            if tags:
                units.append(_rule_scores(kb, tags))
    return units


def _rule_scores(kb, tags: set[str]) -> dict[str, float]:
    scores: dict[str, float] = {}
    for tag in tags:
        for code, weight, required, forbidden in kb.rules_by_term.get(tag, ()):
            if required <= tags and forbidden.isdisjoint(tags):
                scores[code] = scores.get(code, 0.0) + weight
    return scores


def _further_problems(per_sentence, primary, order) -> list[str]:
    """The categories that win a sentence of their own (clearly, and not
    tied with the primary there), in the order they are raised."""
    also: list[str] = []
    for scores in per_sentence:
        if not scores:
            continue
        best = max(scores, key=lambda c: (scores[c], -order.get(c, 99)))
        if scores[best] < ALSO_MIN or scores.get(primary, 0.0) >= scores[best]:
            continue
        if best != primary and best not in also:
            also.append(best)
    return also


def _with_raised(also, raised: dict[str, float], primary, first_at, scored) -> list[str]:
    """`also` as the n-gram model's problems-raised part reads the message:
    without the rules' further problems it finds not raised (RULED_OUT_BELOW),
    with each further category it finds raised (RAISED_AT, or RAISED_SCORED_AT
    for one the rules `scored`), in the order the rules first scored them
    (those they never scored last). A category the part does not know (added
    since it was fitted) keeps the rules' word."""
    if not raised:
        return also
    kept = [code for code in also if raised.get(code, 1.0) >= RULED_OUT_BELOW]
    more = [
        code
        for code, probability in raised.items()
        if code not in (primary, ABSTAIN_CATEGORY)
        and code not in kept
        and (probability >= RAISED_AT or (probability >= RAISED_SCORED_AT and code in scored))
    ]
    if not more:
        return kept
    return sorted(kept + more, key=lambda code: first_at.get(code, 99))


def _confidence(ranked, primary) -> float:
    """Softmax share of the primary against the runner-up and a constant
    'nothing fits' alternative; calibrated on the dev set (see triage_eval)."""
    scores = dict(ranked)
    top = scores.get(primary, 0.0)
    if primary == ABSTAIN_CATEGORY and top == 0.0:
        top = NOTHING_FITS + 1.0 - (ranked[0][1] if ranked else 0.0)
    second = max((s for c, s in ranked if c != primary), default=0.0)
    z = [top, second, NOTHING_FITS]
    m = max(z)
    e = [math.exp(v - m) for v in z]
    return round(e[0] / sum(e), 3)


def _phrases(original: str, folded: str, spans) -> list[str]:
    source = original if len(original) == len(folded) else folded
    seen, out = set(), []
    for start, end in sorted(set(spans)):
        phrase = source[start:end].strip()
        if phrase and phrase.lower() not in seen:
            seen.add(phrase.lower())
            out.append(phrase)
    return out[:8]
