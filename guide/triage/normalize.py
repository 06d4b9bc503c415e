"""Folding and the concept lexicon: turns what a candidate typed into concept
tags with their spans, so the rules speak one vocabulary whatever the script.

Why a lexicon and not word segmentation or bare character n-grams: messages are
short, mix Chinese, English and pinyin, and are full of typos and homophones
(验证吗, 激话, 企微, qywx, 统一任证). A longest-match scan over a hand-built list
of variants (plus a second scan by sound, see Lexicon) handles all of these in
one pass and keeps the evidence spans. Measured on the dev set with the same
TF-IDF + logistic regression under 5-fold CV (`triage_eval --tokenizers`):
character 1-3-grams 0.58, jieba words 0.56, these concept tags 0.90 category
accuracy; jieba would also still need the synonym table and splits typos
unpredictably. Character n-grams remain, as a second feature, in the learned
part (knowledge.NgramIndex) to recognise near-duplicates of corrected messages.
"""

import functools
import operator
import re
import unicodedata
from typing import Any

import ahocorasick

from . import files, traditional

MAX_CHARS = 2000  # the engine reads no further: a 1 MB paste stays as fast as a tweet

# The lexicon (tags, variants, patterns, tags found by sound, negatable tags)
# is data: guide/knowledge/lexicon.toml, loaded and validated by files.py.
LEXICON = files.SHIPPED.lexicon
PATTERNS = files.SHIPPED.patterns

# Traditional characters of the domain's words (candidates from Hong Kong,
# Macau, Taiwan), folded to simplified so one lexicon serves both.
_DOMAIN_TRADITIONAL = (
    "驗證碼號碼認統帳戶啟動關註銷機羣學業訊鴻試復圖書館網門確絡機碼條態簡單"
    "裡這個們為麼還沒來說話請問時間後綁換舊郵箱設置識別處理須電話聯繫辦應"
    "僅權與從無當對開發雲際麥錯誤體驗驚讀過實選項頁鎖憑擊遲進幫續決兩週禮備註冊試",
    "验证码号码认统账户启动关注销机群学业讯鸿试复图书馆网门确络机码条态简单"
    "里这个们为么还没来说话请问时间后绑换旧邮箱设置识别处理须电话联系办应"
    "仅权与从无当对开发云际麦错误体验惊读过实选项页锁凭击迟进帮续决两周礼备注册试",
)
# ... and every other traditional character (traditional.py, generated)
_TRADITIONAL = str.maketrans(
    _DOMAIN_TRADITIONAL[0]
    + "".join(ch for ch in traditional.TRADITIONAL if ch not in _DOMAIN_TRADITIONAL[0]),
    _DOMAIN_TRADITIONAL[1]
    + "".join(
        new
        for ch, new in zip(traditional.TRADITIONAL, traditional.SIMPLIFIED, strict=True)
        if ch not in _DOMAIN_TRADITIONAL[0]
    ),
)

# circled numbers list problems: each starts a sentence
_CIRCLED = {codepoint: ";" for codepoint in range(0x2460, 0x2474)}

SENTENCE_BREAK = re.compile(
    r"[。！？!?；;\n]+|还有[，,]?|另外[，,]?|顺便|顺带|顺道|此外|以及|再问|然后想问"
    r"|also[,，]?|btw|by the way|\.\s+"
    # numbered lists of problems: "1. ... 2. ...", "①...②", "问题二："
    r"|(?:^|\s)\d{1,2}\s*[.、)）:：]|问题[一二三四五12345]\s*[:：]?|[（(]\d[)）]"
)


# words that join two problems inside one sentence; only `also` reads the
# clauses they delimit (a joined noun, "考生号和身份证", stays one problem
# because both halves score for the same category)
CLAUSE_JOIN = re.compile(
    r"和|跟|以及|并且|而且|同时|还(?=想|要|有|问|没|不)|再(?=问)|\band\b|\bplus\b|as well as"
)  # not commas: measured, a comma mostly joins the context of one problem
# ("手机号停机了，密码忘了" is ids_password alone): also recall 0.95 but 4x the
# wrong further problems on fresh_a/fresh_b


# what turns to a further problem ("另外", "顺便问下", "对了", "btw"): the
# problem the writer is blocked on now comes before it. Measured on the
# labelled files and fresh_a/b/c: of the 118 messages with one of these, the
# primary is raised before it in 111 and only after it in 3; "还有" opening a
# clause (not 还有没有/还有点: "still") in 58 of the 4,478 labelled messages
# raises a problem only after it, and the primary is before it in all 58.
ASIDE = re.compile(
    r"另外|顺便|顺带|顺道|对了|此外|还想问|还要问|再问|还有(?:个|一个|件)(?:问题|事)|"
    r"(?:^|(?<=[,.;!?\s]))还有(?!没有|点|些|人|别的|什么|啥)|"
    r"\bbtw\b|by the way|\bp\.?s\.?(?=[\s:：,，])|(?:^|[,.;!?，。；！？]\s*|\band\s+)also\b"
)


# what names the problem the writer is blocked on among several ("主要是…",
# "最急的是…", "mainly", "most urgent is…", "现在卡在…", "but now…"): the
# problem raised in the words after it is the primary, wherever it stands in
# the message (fresh_am..as, models fitted without each batch: +11 right,
# -1). Not a cause ("主要是因为", "mainly because"): that explains the
# problem, it is not one
MAIN = re.compile(
    r"主要(?:是|就是|还是|想|问|的问题|的事)(?!因为|由于)|"
    r"最(?:着急|急|紧急|要紧|重要|关键)(?:的(?:是|问题|事)?)?|更急的是|关键是|重点是|当务之急|"
    # "先问个简单的…然后正事：…", "真正想问的是…", "the real question is…"
    r"(?<!耽误)(?<!耽搁)正事|言归正传|真正(?:的问题|想问|要问|的事)|"
    r"\b(?:the )?(?:real|actual) (?:question|issue|problem)\b|"
    r"\bmainly\b(?!\s+(?:because|due))|\bprimarily\b(?!\s+(?:because|due))|"
    r"\bmain (?:question|issue|problem|thing|concern)\b|"
    r"\b(?:most|more) (?:urgent|important|pressing)\b|\bbiggest (?:issue|problem)\b|"
    # what blocks the writer now, after something that went through
    r"现在(?:又)?卡在|现在的问题是|\bbut now\b|\bnow (?:i'?m |im )?stuck\b|"
    r"\b(?:the )?problem now is\b"
)


def fold(text: str) -> str:
    """Width and case folding (全角→半角, Ａ→a), traditional to simplified
    characters of the domain, control characters to spaces,
    runs of blanks collapsed; only the first MAX_CHARS characters are read."""
    text = str(text)[: MAX_CHARS * 2]
    # str.translate costs a dict lookup per character: only when one is there
    if _HAS_WIDE.search(text):
        # circled numbers before NFKC turns ① into 1; the full-width forms
        # (，？：) to what NFKC makes of them, so that NFKC finds the text
        # already normal and returns it: NFKC's own pass was ~1,000
        # instructions a character (1,217 of 1,220 bench messages are normal
        # after this, 453 before)
        text = _HAS_WIDE.sub(_unwide, text)
    text = unicodedata.normalize("NFKC", text)[:MAX_CHARS].lower()
    if _HAS_TONE.search(text):
        text = text.translate(_TONELESS)
    if _HAS_TRADITIONAL.search(text):
        text = text.translate(_TRADITIONAL)
    return _BLANKS.sub(" ", text)


# NFKD of a full-width form (U+FF01-FF5E) or of the ideographic space is one
# ASCII character: NFKC of the text is the same with or without this step
_WIDE = {
    codepoint: unicodedata.normalize("NFKD", chr(codepoint))
    for codepoint in [*range(0xFF01, 0xFF5F), 0x3000]
} | _CIRCLED
_HAS_WIDE = re.compile("[" + "".join(map(chr, _WIDE)) + "]")
_UNWIDE = {chr(codepoint): new for codepoint, new in _WIDE.items()}


def _unwide(match: re.Match[str]) -> str:
    # a substitution per such character: str.translate pays a failed dict
    # lookup (a KeyError raised and caught) for every other character
    return _UNWIDE[match.group()]
_HAS_TRADITIONAL = re.compile("[" + "".join(map(chr, _TRADITIONAL)) + "]")
# pinyin typed with its tone marks ("huàn bǎng wēi xìn") reads as toneless
# pinyin, which the lexicon's sounds match (ü as pypinyin's u: "lue")
_TONE_MARKED = {
    "a": "āáǎà",
    "e": "ēéěèê",
    "i": "īíǐì",
    "o": "ōóǒò",
    "u": "ūúǔùǖǘǚǜü",
}
_TONELESS = {ord(marked): plain for plain, marks in _TONE_MARKED.items() for marked in marks}
_HAS_TONE = re.compile("[" + "".join(_TONE_MARKED.values()) + "]")
_BLANKS = re.compile(r"[\x00-\x1f\x7f\s]+")


class Lexicon:
    """Leftmost-longest scanner over the literal variants (plus PATTERNS).

    The variants go into one Aho-Corasick automaton (_Words), so the scan is
    one pass in C whatever the size of the lexicon (the regular expression
    shaped as a trie it replaces tried the branches of a position one by one:
    a third of the engine's regex time); an ASCII word only matches whole
    ('code' not inside 'qrcode'). A second automaton over the same words
    spelled as toneless pinyin catches the homophones of pinyin input methods
    and voice input (统一任证, 姬活, 二为码, 关住) where the exact scan found
    nothing longer."""

    def __init__(self, entries: dict[str, tuple[str, ...]], patterns=PATTERNS, sound_tags=None):
        sound_tags = SOUND_TAGS if sound_tags is None else sound_tags
        self._tags: dict[str, list[str]] = {}
        for tag, variants in entries.items():
            for variant in variants:
                variant = fold(variant).strip()
                if variant and tag not in self._tags.setdefault(variant, []):
                    self._tags[variant].append(tag)
        self._words = _Words(self._tags, inflect=True) if self._tags else None  # -> tags
        self._patterns = [(re.compile(p), tag, triggers) for p, tag, triggers in patterns]
        # every pattern's triggers in one automaton: one pass over the text
        # finds every trigger there (also one inside another), hence the
        # patterns worth running (a substring test per trigger was ~10 us)
        self._runs_on: dict[str, list[int]] = {}
        for index, (_p, _tag, triggers) in enumerate(patterns):
            for trigger in triggers:
                self._runs_on.setdefault(fold(trigger), []).append(index)
        self._always = sorted(set(self._runs_on.pop("", ())))  # an empty trigger is everywhere
        self._triggers = None
        if self._runs_on:
            self._triggers = ahocorasick.Automaton()
            for trigger, indices in self._runs_on.items():
                self._triggers.add_word(trigger, indices)
            self._triggers.make_automaton()
        self._sound_tags: dict[str, list[str]] = {}
        self._sound_words: dict[str, list[str]] = {}  # the variants of each sound
        sounds = _sounds()
        if sounds:
            for variant, tags in self._tags.items():
                wanted = [t for t in tags if t in sound_tags]
                if wanted and len(variant) >= 2 and all(ord(ch) in sounds for ch in variant):
                    key = variant.translate(sounds)
                    self._sound_tags.setdefault(key, []).extend(wanted)
                    self._sound_words.setdefault(key, []).append(variant)
        self._sound_regex = (  # -> (tags, variants) of the sound
            _Words({key: (tags, self._sound_words[key]) for key, tags in self._sound_tags.items()})
            if self._sound_tags
            else None
        )
        # typed in toneless pinyin ("ji huo wan le hai mei jin qun"): every
        # Chinese variant of two or more characters, by its syllables
        # (a character of two readings spelled either way: 用不了 as "yong bu
        # le" or "yong bu liao", 重置 as "chong zhi")
        self._pinyin_tags: dict[str, list[str]] = {}
        if sounds:
            alternates = _alternates()
            for variant, tags in self._tags.items():
                if len(variant) >= 2 and all(ord(ch) in sounds for ch in variant):
                    key = variant.translate(sounds)
                    keys = [key] + [
                        key[:i] + alternates[ord(ch)] + key[i + 1 :]
                        for i, ch in enumerate(variant)
                        if ord(ch) in alternates
                    ]
                    for key in keys:
                        known = self._pinyin_tags.setdefault(key, [])
                        known += [t for t in tags if t not in known]
        self._pinyin_regex = _Words(self._pinyin_tags) if self._pinyin_tags else None

    def scan(self, folded: str) -> list[tuple[str, int, int]]:
        """(tag, start, end) of every concept found, left to right."""
        hits = []
        if self._words is not None:
            negatable = _NEGATABLE
            negated_to = None  # where the last term a negation turned around ends
            for start, end, found in self._words.spans(folded):
                if start and folded[start] in _ASCII_WORD and folded[start - 1] in _ASCII_WORD:
                    continue  # the tail of a longer ASCII word
                for tag in found:
                    if tag in negatable:
                        tag = _negated(tag, folded, start, end, negated_to)
                        if tag.startswith("not:"):
                            negated_to = end
                    hits.append((tag, start, end))
        if self._sound_regex is not None:
            hits = self._homophones(folded, hits)
        if self._pinyin_regex is not None and _PINYIN_HINT.search(folded):
            hits = self._pinyin(folded, hits)
        if self._triggers is not None or self._always:
            wanted = set(self._always)
            if self._triggers is not None:
                for _end, indices in self._triggers.iter(folded):
                    wanted.update(indices)
            for index in sorted(wanted):
                pattern, tag, _triggers = self._patterns[index]
                hits.extend((tag, m.start(), m.end()) for m in pattern.finditer(folded))
        return hits

    def _homophones(self, folded, hits):
        if folded.isascii():
            return hits  # no Chinese character to hear (isascii: a flag, not a scan)
        sounded = folded.translate(_sounds())
        if sounded == folded:
            return hits
        changed = False
        for start, end, (tags, variants) in self._sound_regex.spans(sounded):
            if folded[start:end] in self._tags:
                continue  # spelled right: the exact scan has it
            if end - start == 2 and not any(
                word[0] == folded[start] or word[1] == folded[start + 1] for word in variants
            ):
                continue  # a two-character typo keeps one character (姬活, 关住; not 角是)
            inside = [h for h in hits if h[1] < end and h[2] > start]
            if all(start <= h[1] and h[2] <= end and h[2] - h[1] < end - start for h in inside):
                hits = [h for h in hits if h not in inside]
                hits.extend((tag, start, end) for tag in tags)
                changed = True
        if changed:  # the exact scan's hits come in order already
            hits.sort(key=_START)
        return hits

    def _pinyin(self, folded, hits):
        keys, starts, ends = pinyin_keys(folded)
        if len(keys) < 3:
            return hits
        covered = [(h[1], h[2]) for h in hits]
        before = len(hits)
        for key_start, key_end, tags in self._pinyin_regex.spans(keys):
            start, end = starts[key_start], ends[key_end - 1]
            if any(s < end and e > start for s, e in covered):
                continue
            hits.extend((tag, start, end) for tag in tags)
        if len(hits) != before:
            hits.sort(key=_START)
        return hits


SOUND_TAGS = files.SHIPPED.sound_tags
_START = operator.itemgetter(1)


_PINYIN_HINT = re.compile(r"[a-z]{1,6} [a-z]{1,6} [a-z]{1,6}|[a-z]{7,}")
_PINYIN_WORD = re.compile(r"[a-z]+")


@functools.cache
def _syllables() -> dict[str, str]:
    """Toneless syllable -> its private-use sound character (as _sounds)."""
    from .sounds import SYLLABLES

    out = {syllable.replace("ü", "v"): chr(0xE000 + i) for i, syllable in enumerate(SYLLABLES)}
    for syllable, key in list(out.items()):
        out.setdefault(syllable.replace("v", "u"), key)
    return out


@functools.cache
def _syllable_run():
    """fullmatch of a word made of syllables: the regex engine rejects an
    English word in one pass, where the backtracking split below tried every
    way to cut it (most of the scan's time on English messages)."""
    return re.compile("(?:" + _trie_pattern(_syllables()) + ")+").fullmatch


def _split_syllables(word: str, table) -> list[str] | None:
    """'jihuo' -> ['ji', 'huo'] (longest syllable first, with backtracking)."""
    if not word:
        return []
    for size in range(min(6, len(word)), 0, -1):
        head = word[:size]
        if head in table:
            rest = _split_syllables(word[size:], table)
            if rest is not None:
                return [head] + rest
    return None


@functools.lru_cache(maxsize=8192)
def _syllables_of(word: str) -> tuple[str, ...] | None:
    """_split_syllables() of a word that is made of syllables, else None:
    per word, as English messages repeat their words (a quarter of the
    scan's time on them was spent rejecting the same words again)."""
    if len(word) > 40 or not _syllable_run()(word):
        return None
    parts = _split_syllables(word, _syllables())
    return tuple(parts) if parts else None


def pinyin_keys(folded: str) -> tuple[str, list[int], list[int]]:
    """The runs of toneless pinyin in `folded` as sound characters, with the
    start and end in `folded` of each; a word that is no pinyin breaks a run."""
    table = _syllables()
    keys, starts, ends = [], [], []
    for m in _PINYIN_WORD.finditer(folded):
        parts = _syllables_of(m.group())
        if not parts:
            keys.append(" ")
            starts.append(m.start())
            ends.append(m.end())
            continue
        position = m.start()
        for part in parts:
            keys.append(table[part])
            starts.append(position)
            ends.append(position + len(part))
            position += len(part)
    return "".join(keys), starts, ends


@functools.cache
def _alternates() -> dict[int, str]:
    """Chinese character -> the sound character of its second reading."""
    from .sounds import alternate_table

    return {codepoint: chr(0xE000 + number) for codepoint, number in alternate_table().items()}


@functools.cache
def _sounds() -> dict[int, str]:
    """Chinese character -> one private-use character per toneless syllable,
    for str.translate (table in sounds.py)."""
    from .sounds import syllable_table

    return {codepoint: chr(0xE000 + number) for codepoint, number in syllable_table().items()}


# Who the candidate is and what they name as fine are facts that a negation
# turns around: "我不是本校学生", "考生号和身份证都没问题". The tag becomes
# "not:<tag>", which no rule asks for.
NEGATED_BEFORE = files.SHIPPED.negated_before
NEGATED_AFTER = files.SHIPPED.negated_after
_NEGATION_BEFORE = re.compile(
    r"(?:(?<!是)不是|并非|并不是|not an?|not|isn't an?|isn't|not on an?|not on)\s*$"
)
# what may stand between two terms one negation turns around ("不是华为鸿蒙",
# "not a huawei harmonyos phone")
_NEGATION_CARRIES = re.compile(r"\s?(?:的|牌)?\s?")
_NEGATION_AFTER = re.compile(
    r"^\s*(?:和[^,。;?!]{1,6})?(?:都|也|是)?"
    r"(?:没问题|没错|正确|对的|都对|no problem|is fine|are fine)"
)


_NEGATABLE = frozenset(NEGATED_BEFORE) | frozenset(NEGATED_AFTER)
_ASCII_WORD = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def _negated(tag: str, folded: str, start: int, end: int, negated_to: int | None = None) -> str:
    """"not:<tag>" when a negation turns the term around: right before it, or
    the one before a term it follows ("不是华为鸿蒙": neither the one nor the
    other; `negated_to`: where the last term a negation turned around ends)."""
    if tag in NEGATED_BEFORE and (
        (negated_to is not None and _NEGATION_CARRIES.fullmatch(folded, negated_to, start))
        or _NEGATION_BEFORE.search(folded, max(0, start - 10), start)
    ):
        return "not:" + tag
    if tag in NEGATED_AFTER and _NEGATION_AFTER.match(folded[end : end + 16]):
        return "not:" + tag
    return tag


class _Words:
    """Leftmost-longest, non-overlapping matches of a set of words, as
    re.finditer would give them for an alternation of the words longest
    first, from one Aho-Corasick pass (pyahocorasick, in C), each with what
    `words` maps its word to. A word ending in an ASCII letter or digit
    matches only before a non-letter (`code` not in `codex`); with `inflect`,
    an English word of four letters or more also matches inflected (retry ->
    retrying, check -> checked, code -> codes), with what its stem maps to."""

    def __init__(self, words: dict, inflect: bool = False):
        self._automaton = ahocorasick.Automaton()
        keys: dict[str, tuple] = {}
        for word, found in words.items():
            keys[word] = (len(word), _is_word(word[-1]), found)
        if inflect:
            for word in words:
                if _ENGLISH_STEM.fullmatch(word):
                    for suffix in _SUFFIXES:
                        inflected = word + suffix
                        if inflected not in keys:
                            found = words[_stem(inflected, words)]
                            keys[inflected] = (len(inflected), True, found)
        for key, value in keys.items():
            self._automaton.add_word(key, value)
        self._automaton.make_automaton()

    def spans(self, text: str) -> list[tuple[int, int, Any]]:
        """(start, end, what the word maps to) of each match, left to right."""
        longest: dict[int, tuple] = {}  # start -> the longest word there
        last = len(text) - 1
        for end, value in self._automaton.iter(text):
            if value[1] and end < last and text[end + 1] in _LOWER:
                continue  # inside a longer English word
            # occurrences come by their end: a later one at a start is longer
            longest[end - value[0] + 1] = value
        spans, position = [], 0
        for start in sorted(longest):
            if start >= position:
                length, _whole, found = longest[start]
                position = start + length
                spans.append((start, position, found))
        return spans


_LOWER = frozenset("abcdefghijklmnopqrstuvwxyz")


def _is_word(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _trie_pattern(words) -> str:
    """One regex over `words` shaped as a trie (a position tries one branch
    per character, not every word)."""
    root: dict = {}
    for word in words:
        node = root
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = True

    def render(node: dict) -> str:
        alternatives = [
            re.escape(ch) + render(child)
            for ch, child in sorted(node.items(), key=lambda kv: kv[0])
            if ch
        ]
        if "" in node:  # a word ends here: tried last, so longer words win
            alternatives.append("")
        if len(alternatives) == 1:
            return alternatives[0]
        return "(?:" + "|".join(alternatives) + ")"

    return render(root)


_SUFFIXES = ("ing", "es", "ed", "s", "d")
_ENGLISH_STEM = re.compile(r"(?:[a-z' -]*[ -])?[a-z]{4,}")


def _stem(word: str, known) -> str:
    """The variant an inflected match was found for."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and word[: -len(suffix)] in known:
            return word[: -len(suffix)]
    return word


def sentences(folded: str) -> list[tuple[int, int]]:
    """Spans of the sentences: a candidate raising several problems usually
    starts a new sentence (or says 还有/另外/also) for each."""
    spans, start = [], 0
    for m in SENTENCE_BREAK.finditer(folded):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(folded):
        spans.append((start, len(folded)))
    return spans


_lexicons: dict[int, Lexicon] = {}


def lexicon_of(shipped) -> Lexicon:
    """The scanner of a knowledge's lexicon, built once per process (~0.3 s)."""
    key = id(shipped)
    if key not in _lexicons:
        _lexicons[key] = Lexicon(shipped.lexicon, shipped.patterns, shipped.sound_tags)
    return _lexicons[key]
