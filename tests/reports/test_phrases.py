import random

import pytest

from reports.phrases import top_phrases
from tickets.models import Ticket


def test_one_repeated_sentence_comes_back_whole():
    texts = ["老师好，复试通知在哪里看？", "请问复试通知在哪里看", "复试通知在哪里看啊", "激活不了"]
    assert top_phrases(texts)[0] == {"phrase": "复试通知在哪里看", "count": 3}
    assert all(p["phrase"] not in ("复试通", "通知在哪") for p in top_phrases(texts))


def test_new_topic_counts_tickets_not_occurrences():
    texts = ["鸿蒙鸿蒙鸿蒙装不上", "鸿蒙手机不行", "HarmonyOS NEXT 怎么办", "harmonyos next 装不上"]
    phrases = {p["phrase"]: p["count"] for p in top_phrases(texts)}
    assert phrases["鸿蒙"] == 2
    assert phrases["HarmonyOS"] == 2 and phrases["NEXT"] == 2  # one phrase whatever the case


def test_everyday_words_and_single_mentions_are_not_phrases():
    texts = ["老师您好，谢谢老师", "老师您好 企业微信 谢谢", "复试时间"]
    assert top_phrases(texts) == []


def test_the_same_texts_are_counted_once_whichever_process_asks(monkeypatch):
    import uuid

    from reports import phrases

    texts = [f"鸿蒙系统装不了企业微信 {uuid.uuid4().hex}", "鸿蒙系统装不了企业微信", "鸿蒙手机"]
    counted = []
    monkeypatch.setattr(
        phrases, "top_phrases", lambda *a, **k: counted.append(1) or top_phrases(*a, **k)
    )
    first = phrases.cached_top_phrases(texts)
    assert phrases.cached_top_phrases(list(texts)) == first == top_phrases(texts)
    assert len(counted) == 1
    # Other texts, other phrases: the key is the texts themselves.
    assert phrases.cached_top_phrases(texts[:1] + ["群聊"]) != first


# The list from the candidates each ticket keeps, counted by the database:
# the same as top_phrases over the texts, newest first.
PIECES = [
    "鸿蒙",
    "NEXT",
    "next",
    "HarmonyOS",
    "harmonyos",
    "装不了企业微信",
    "复试通知在哪里看",
    "的",
    "吗",
    "群聊",
    "拉我进群",
    "老师您好",
    "谢谢",
    "App",
    "验证码收不到",
    "，",
    " ",
    "VPN",
    "vpn",
]


def _texts(rng, n):
    texts = []
    for _ in range(n):
        if texts and rng.random() < 0.2:
            texts.append(rng.choice(texts))  # the same message again
        else:
            texts.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 7))))
    return texts


@pytest.mark.django_db
@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("sent", [500, 4, 1])
def test_counted_from_kept_candidates_as_from_the_texts(seed, sent, monkeypatch):
    from reports import phrases
    from reports.periods import iso_week
    from tests.reports.conftest import at, make_ticket
    from tickets.models import College

    monkeypatch.setattr(phrases, "FREQUENT_SENT", sent)  # few sent: the list asks again
    rng = random.Random(seed)
    week = iso_week("2026-W47")
    texts = _texts(rng, 120)
    for i, text in enumerate(texts):
        make_ticket(
            created_at=at(2026, 11, 16 + i % 7, 8 + i % 12, i % 60),
            category="other",
            text=text,
            college="sice" if i % 3 else None,
        )
    ordered = list(
        Ticket.objects.filter(suggested_category="other")
        .order_by("-created_at", "-id")
        .values_list("text", "college__code")
    )
    sice = College.objects.get(code="sice")
    for college, limit in ((None, 3000), (None, 50), (sice, 3000)):
        expected = top_phrases(
            [t for t, code in ordered if college is None or code == college.code][:limit]
        )
        shown = phrases.other_phrases(week.start, week.end, college, texts_limit=limit)
        assert shown == expected and expected


@pytest.mark.django_db
def test_a_ticket_without_candidates_sends_the_list_back_to_the_texts():
    from reports import phrases
    from reports.periods import iso_week
    from tests.reports.conftest import at, make_ticket

    week = iso_week("2026-W47")
    texts = ["鸿蒙NEXT装不了", "鸿蒙NEXT装不了", "鸿蒙手机", "群聊进不去", "群聊"]
    tickets = [make_ticket(created_at=at(2026, 11, 17), category="other", text=t) for t in texts]
    Ticket.objects.filter(pk=tickets[0].pk).update(other_phrases=None)  # a row written by hand
    Ticket.objects.filter(pk=tickets[1].pk).update(other_phrases={"v": 0, "g": [], "w": []})
    assert phrases.other_phrases(week.start, week.end, None, texts_limit=3000) == top_phrases(texts)


def test_the_migration_keeps_what_the_report_counts():
    """tickets/migrations/0014 filled the tickets already written with a
    frozen copy of the rule: the same candidates as reports.phrases."""
    from importlib import import_module

    from reports import phrases

    frozen = import_module("tickets.migrations.0014_other_phrases")
    assert frozen.VERSION == phrases.PHRASES_VERSION
    for text in _texts(random.Random(4), 200) + ["a.b-c+ HarmonyOS-NEXT. x", ""]:
        assert frozen.candidates(text) == phrases.candidates(text)


@pytest.mark.django_db
def test_a_new_ticket_suggested_other_keeps_its_candidates():
    from guide.triage import Suggestion
    from reports import phrases
    from tickets.actions.create import create_ticket

    other = create_ticket(
        actor=None,
        text="华为 mate 70 装不了企业号",
        channel="qq",
        suggestion=Suggestion("other", "manual", 0.1),
    )
    placed = create_ticket(
        actor=None,
        text="验证码收不到",
        channel="qq",
        suggestion=Suggestion("sms_code", "guide_answer", 0.9),
    )
    other.refresh_from_db()
    placed.refresh_from_db()
    assert other.other_phrases == phrases.candidates("华为 mate 70 装不了企业号")
    assert "mate" in other.other_phrases["g"] and placed.other_phrases is None
