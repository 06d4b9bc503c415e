from reports.phrases import top_phrases


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
