"""The most frequent phrases in tickets the engine could not place ("other").

A new FAQ shows up here first: when HarmonyOS NEXT phones could not install
WeCom, "鸿蒙" filled this list weeks before it had a category. Chinese has no
spaces, so phrases are character n-grams (2 to 4 characters) of CJK runs plus
whole Latin words; each ticket counts once per phrase, and a short phrase that
only ever appears inside a longer one with the same count gives way to it.
This reads only the texts (a single column, at most a few thousand rows).
"""

import re
from collections import Counter

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,30}")

# Words every message has, whatever its problem.
STOP_NGRAMS = frozenset(
    """
    老师 你好 您好 请问 我的 我是 一下 怎么 怎么办 什么 为什么 没有 不了 不能 可以 一直 已经 还是
    现在 然后 但是 就是 这个 那个 如何 显示 谢谢 麻烦 问题 时候 是不是 能不能 不到 的时 了一 了怎
    是什么 我已 我在 在哪 一个 因为 所以 需要 应该 如果 请帮 帮忙 帮我 我们 他们 您看 看一 下我
    """.split()
)
STOP_WORDS = frozenset({"the", "and", "app", "ok", "hi", "hello", "please"})


def ngrams_of(text: str, sizes=(2, 3, 4)) -> set[str]:
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text or ""):
        for size in sizes:
            for i in range(len(run) - size + 1):
                gram = run[i : i + size]
                if gram not in STOP_NGRAMS and not any(
                    stop in gram for stop in ("的", "了", "吗", "呢", "吧")
                ):
                    grams.add(gram)
    for word in _WORD.findall(text or ""):
        word = word.strip(".-+")
        if len(word) >= 2 and word.lower() not in STOP_WORDS:
            grams.add(word.lower() if not word.isupper() else word)
    return grams


def top_phrases(texts, limit: int = 15, min_count: int = 2) -> list[dict]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(ngrams_of(text))
    frequent = {gram: n for gram, n in counts.items() if n >= min_count}
    # Keep the longest form: drop a phrase contained in a longer one seen as often.
    dominated = set()
    for gram, n in frequent.items():
        for size in range(2, len(gram)):
            for i in range(len(gram) - size + 1):
                part = gram[i : i + size]
                if frequent.get(part, 0) and frequent[part] <= n:
                    dominated.add(part)
    kept = {gram: n for gram, n in frequent.items() if gram not in dominated}
    ranked = sorted(kept.items(), key=lambda item: (-item[1], -len(item[0]), item[0]))
    return [{"phrase": gram, "count": n} for gram, n in ranked[:limit]]
