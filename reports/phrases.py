"""The most frequent phrases in tickets the engine could not place ("other").

A new FAQ shows up here first: when HarmonyOS NEXT phones could not install
WeCom, "鸿蒙" filled this list weeks before it had a category. Chinese has no
spaces, so phrases are character n-grams (2 to 4 characters) of CJK runs plus
whole Latin words; each ticket counts once per phrase; overlapping windows of
one longer phrase are joined back into it, and a short phrase that only ever
appears inside a longer one (same count) gives way to it.
A report does not read the texts: each ticket suggested "other" keeps its
phrases from when it was written (`candidates`, Ticket.other_phrases), the
database counts them and the worker ranks the most frequent
(`other_phrases`). Only when a ticket has none does it count the texts
(some 10 µs a text), kept in the cache under a digest of the texts
themselves (`cached_top_phrases`): the same texts give the same phrases,
whichever process asks.
"""

import functools
import hashlib
import re
from collections import Counter
from itertools import chain

from reports.shared_cache import remembered

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,30}")

# Words every message has, whatever its problem: a phrase made of nothing else
# (or a piece of one of them) is not shown.
STOP_NGRAMS = frozenset(
    """
    老师 你好 您好 请问 我的 我是 一下 怎么 怎么办 什么 为什么 没有 不了 不能 可以 一直 已经 还是
    现在 然后 但是 就是 这个 那个 如何 显示 谢谢 麻烦 问题 时候 是不是 能不能 不到 的时 了一 了怎
    是什么 我已 我在 在哪 一个 因为 所以 需要 应该 如果 请帮 帮忙 帮我 我们 他们 您看 看一 下我
    """.split()
    # Alone, the desk's everyday nouns say nothing new (inside a longer phrase they stay).
    + "企业 微信 企业号 企业微信 激活 账号 手机 认证 身份 登录 绑定".split()
    + "学校 学院 同学 考生 知道 收到".split()
)
NGRAM_SIZES = (2, 3, 4)
PARTICLES = ("的", "了", "吗", "呢", "吧", "啊")
_PARTICLE = re.compile("[" + "".join(PARTICLES) + "]")


@functools.lru_cache(maxsize=8192)  # a pure function of the phrase (the stop words are constants)
def is_filler(phrase: str) -> bool:
    """Nothing but everyday words, or a piece of one ("么办" of "怎么办")."""
    if any(phrase in stop for stop in STOP_NGRAMS):
        return True
    rest = phrase
    for stop in _STOPS_LONGEST_FIRST:
        rest = rest.replace(stop, "")
    return len(rest) < 2


_STOPS_LONGEST_FIRST = sorted(STOP_NGRAMS, key=len, reverse=True)


STOP_WORDS = frozenset(
    "the and app ok hi hello please my is to of in it for can not how what cannot me you an "
    "on at do does my with this that am are be".split()
)


def ngrams_of(text: str, sizes=NGRAM_SIZES) -> set[str]:
    # A gram with a particle in it is never a phrase: take the windows of the
    # stretches between particles (the same grams, none to test).
    grams = {
        part[i : i + size]
        for run in _CJK_RUN.findall(text or "")
        for part in _PARTICLE.split(run)
        for size in sizes
        for i in range(len(part) - size + 1)
    }
    grams.update(_words(text))
    return grams


def _words(text: str) -> set[str]:
    """The Latin words of `text` that may be phrases, lower-cased."""
    words = set()
    for word in _WORD.findall(text or ""):
        word = word.strip(".-+")
        if len(word) >= 2 and word.lower() not in STOP_WORDS:
            words.add(word.lower())
    return words


def _joined_windows(frequent: dict[str, int], size: int) -> dict[str, int]:
    """Join overlapping windows of one longer phrase ("手机怎么", "机怎么激", ...
    -> "手机怎么激活企业号"): follow a window to the next one that shares all but
    one character, while exactly one such window is at least as frequent."""
    windows = [g for g in frequent if len(g) == size and _CJK_RUN.fullmatch(g)]
    by_prefix: dict[str, list[str]] = {}
    by_suffix: dict[str, list[str]] = {}
    for gram in windows:
        by_prefix.setdefault(gram[:-1], []).append(gram)
        by_suffix.setdefault(gram[1:], []).append(gram)
    phrases = dict(frequent)
    for gram in windows:
        n = frequent[gram]
        if any(frequent[p] >= n for p in by_suffix.get(gram[:-1], ()) if p != gram):
            continue  # the middle of a chain that starts earlier
        phrase, current, chain = gram, gram, [gram]
        while True:
            following = [h for h in by_prefix.get(current[1:], ()) if frequent[h] >= n]
            if len(following) != 1 or following[0] in chain:
                break
            current = following[0]
            chain.append(current)
            phrase += current[-1]
        if len(chain) > 1:
            for window in chain:
                if frequent[window] == n:
                    phrases.pop(window, None)
            phrases[phrase] = n
    return phrases


def top_phrases(texts, limit: int = 15, min_count: int = 2) -> list[dict]:
    counts: Counter[str] = Counter()
    spelling: dict[str, dict[str, int]] = {}  # lower-cased word -> {as written: times}
    once: list[set[str]] = []
    # The same message sent by many candidates is read once, counted as often.
    for text, times in Counter(texts).items():
        grams = ngrams_of(text)
        if times == 1:
            once.append(grams)
        else:
            for gram in grams:
                counts[gram] += times
        for word in _written_words(text):
            written = spelling.setdefault(word.lower(), {})
            written[word] = written.get(word, 0) + times
    # Counting an iterable runs in C: a third of the time of a dict per text.
    counts.update(chain.from_iterable(once))
    frequent = {gram: n for gram, n in counts.items() if n >= min_count}
    return _ranked(frequent, spelling, limit)


def _written_words(text: str) -> list[str]:
    """Every Latin word of `text` as written, in order (for its commonest spelling)."""
    return [word.strip(".-+") for word in _WORD.findall(text or "")]


def _ranked(frequent: dict[str, int], spelling: dict[str, dict[str, int]], limit: int):
    """The list shown, from the phrases counted at least `min_count` times.

    It reads only phrases as frequent as the last one it lists, and the
    phrases those join or contain (never a rarer one): given every phrase
    counted at least T times, it lists the same as given all of them, as long
    as the list fills up with phrases counted at least T times
    (`_counted_in_database` relies on that)."""
    phrases = _joined_windows(frequent, max(NGRAM_SIZES))
    # Keep the longest form: drop a phrase contained in a longer one seen as
    # often. Ranked by count, then length, every phrase that could contain a
    # phrase as often comes before it: the pieces of those already passed are
    # all that is asked, and only until the list is full.
    ranked = sorted(phrases.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    inside_passed: set[str] = set()
    top = []
    for gram, n in ranked:
        dominated = gram in inside_passed
        for size in range(2, len(gram)):
            inside_passed.update(gram[i : i + size] for i in range(len(gram) - size + 1))
        if dominated or (gram not in spelling and is_filler(gram)):
            continue
        top.append(
            {
                # the commonest spelling; the first seen of equals, as most_common(1)
                "phrase": max(spelling[gram].items(), key=lambda item: item[1])[0]
                if gram in spelling
                else gram,
                "count": n,
            }
        )
        if len(top) == limit:
            break
    return top


# Raised whenever top_phrases would give another answer for the same texts.
PHRASES_VERSION = 1
PHRASES_CACHE_SECONDS = 7 * 24 * 3600


def cached_top_phrases(texts, limit: int = 15, min_count: int = 2) -> list[dict]:
    texts = list(texts)
    digest = hashlib.blake2b(digest_size=20)
    for text in texts:
        data = (text or "").encode("utf-8")
        digest.update(len(data).to_bytes(4, "little"))
        digest.update(data)
    key = f"report-phrases:{PHRASES_VERSION}:{limit}:{min_count}:{len(texts)}:{digest.hexdigest()}"
    return remembered(
        key, PHRASES_CACHE_SECONDS, lambda: top_phrases(texts, limit=limit, min_count=min_count)
    )


# What a ticket the engine could not place contributes to the list, worked out
# once when the ticket is written (tickets.validation.ticket_values) and kept
# in Ticket.other_phrases, so that a report never reads a text: at a million
# tickets a week has ~2,000 such texts, and finding their phrases in Python
# took 12 of the ~20 ms of worker CPU the list cost a report for a range never
# asked (counting them another 5). Now the database counts the kept phrases
# (`_counted_in_database`) and the worker ranks the few hundred most frequent.
# "v" is PHRASES_VERSION: a ticket kept under another version, or none (a row
# written straight into the table), sends the report back to the texts.
# Texts are never edited; a migration that rewrote them (or changed this
# rule) must fill it again, as tickets/migrations/0014_other_phrases.py did.
def candidates(text: str) -> dict:
    """{"v": version, "g": the ticket's phrases, "w": its Latin words as written}."""
    return {"v": PHRASES_VERSION, "g": sorted(ngrams_of(text)), "w": _written_words(text)}


# How many of the most frequent phrases the database sends: enough for the
# list nearly always (at a million tickets, 13 weeks of the year for everyone
# and for one college: 100 were too few 6 times in 26, 150 always enough);
# when they are not, the query runs again without the limit.
FREQUENT_SENT = 200

_VENDOR_JSON = {
    # (the elements of a JSON array as rows "value" [, "idx"], a key as text)
    "postgresql": (
        "jsonb_array_elements_text(t.other_phrases -> '{key}') "
        "WITH ORDINALITY AS {alias}(value, idx)",
        "(t.other_phrases ->> 'v')",
    ),
    "sqlite": (
        "json_each(t.other_phrases, '$.{key}') AS {alias}",
        "json_extract(t.other_phrases, '$.v')",
    ),
}

_COUNT_SQL = """
WITH t AS (
    SELECT other_phrases, ROW_NUMBER() OVER (ORDER BY created_at DESC, id DESC) AS pos
    FROM tickets_ticket
    WHERE created_at >= %s AND created_at < %s AND suggested_category = 'other'{scope}
    ORDER BY created_at DESC, id DESC
    LIMIT %s
)
SELECT 'stale' AS kind, '' AS phrase, COUNT(*) AS n, 0 AS first FROM t
WHERE t.other_phrases IS NULL OR COALESCE(CAST({version} AS INTEGER), 0) <> %s
UNION ALL
SELECT * FROM (
    SELECT 'gram', g.value, COUNT(*), 0 FROM t, {grams}
    GROUP BY g.value HAVING COUNT(*) >= %s ORDER BY COUNT(*) DESC{limit}
) frequent
UNION ALL
SELECT 'word', w.value, COUNT(*), MIN(t.pos * 1000000 + {word_index}) FROM t, {words}
GROUP BY w.value
"""


def other_phrases(start, end, college, *, texts_limit: int, limit: int = 15, min_count: int = 2):
    """The list for tickets created in [start, end) (of `college`, or all)
    suggested "other", the newest `texts_limit` of them: what
    top_phrases(their texts) gives, counted from their kept candidates in the
    database; from the texts themselves when one has none."""
    found = _counted_in_database(start, end, college, texts_limit, limit, min_count, FREQUENT_SENT)
    if found is _NOT_FULL:
        found = _counted_in_database(start, end, college, texts_limit, limit, min_count, None)
    if isinstance(found, list):
        return found
    from tickets.models import Ticket

    tickets = Ticket.objects.filter(
        created_at__gte=start, created_at__lt=end, suggested_category="other"
    )
    if college is not None:
        tickets = tickets.filter(college=college)
    texts = tickets.order_by("-created_at", "-id").values_list("text", flat=True)[:texts_limit]
    return cached_top_phrases(texts, limit=limit, min_count=min_count)


_STALE = "a ticket has no candidates of this version"
_NOT_FULL = "the phrases sent did not fill the list"


def _counted_in_database(start, end, college, texts_limit, limit, min_count, sent):
    """The list from the kept candidates (`sent`: the most frequent this many
    phrases, None: all); _STALE or _NOT_FULL when it cannot be told from them."""
    from django.db import connection

    elements, version = _VENDOR_JSON[connection.vendor]
    sql = _COUNT_SQL.format(
        scope=" AND college_id = %s" if college is not None else "",
        version=version,
        grams=elements.format(key="g", alias="g"),
        words=elements.format(key="w", alias="w"),
        word_index="w.idx" if connection.vendor == "postgresql" else "w.key",
        limit=" LIMIT %s" if sent is not None else "",
    )
    params = [
        connection.ops.adapt_datetimefield_value(start),
        connection.ops.adapt_datetimefield_value(end),
        *([college.pk] if college is not None else []),
        texts_limit,
        PHRASES_VERSION,
        min_count,
        *([sent] if sent is not None else []),
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frequent, words = {}, []
    for row in rows:
        kind, phrase, n, _ = row
        if kind == "gram":
            frequent[phrase] = n
        elif kind == "word":
            words.append(row)
        elif n:
            return _STALE
    # Every phrase counted more often than the last one sent was sent; of
    # those counted exactly as often, maybe not all.
    floor = min_count
    if sent is not None and len(frequent) >= sent:
        floor = min(frequent.values()) + 1
        frequent = {phrase: n for phrase, n in frequent.items() if n >= floor}
    # {lower-cased word: {as written: times}}, the spellings in the order first
    # seen (the newest text first, then left to right), as top_phrases has them.
    spelling: dict[str, dict[str, int]] = {}
    for _, written, n, _ in sorted(words, key=lambda r: r[3]):
        spelling.setdefault(written.lower(), {})[written] = n
    top = _ranked(frequent, spelling, limit)
    if len(top) < limit and floor > min_count:
        return _NOT_FULL  # the list might go on with phrases counted less often
    return top
