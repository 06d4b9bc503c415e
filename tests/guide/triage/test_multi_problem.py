"""Several problems in one message, and the learning curve's taught engine
(messages written for these tests, not taken from any labelled set)."""

import pytest

from guide import training
from guide.triage import engine, knowledge
from guide.triage import model as model_module
from guide.triage.engine import suggest_with
from guide.triage_eval import taught


@pytest.mark.parametrize(
    "text, primary, further",
    [
        ("第三步验证码一直收不到和鸿蒙手机关注不了企业号的问题", "sms_code", "harmonyos"),
        (
            "I never got the SMS code and my HarmonyOS NEXT phone cannot follow the WeCom account",
            "sms_code",
            "harmonyos",
        ),
    ],
)
def test_problems_joined_inside_one_sentence_are_all_listed(text, primary, further):
    kb = knowledge.from_files()
    result = suggest_with(text, kb)
    # both are listed; which one blocks the writer is the model's call (the
    # labelled data puts either first when both are raised in one breath)
    assert {primary, further} <= {result.category, *result.also}
    # two things of one problem joined the same way stay one problem
    assert suggest_with("考生号和身份证号都对，还是提示信息不符", kb).also == []


def test_a_taught_engine_never_knows_the_messages_it_is_measured_on(monkeypatch):
    rows = training.shipped_rows()[:30]
    monkeypatch.setattr(training, "shipped_rows", lambda: rows)
    kb = knowledge.from_files()
    everything = taught(kb, [], calibrate=False)
    without = taught(kb, [], exclude={rows[0]["text"]}, calibrate=False)
    assert without.model.meta["examples"] == everything.model.meta["examples"] - 1
    desk = [{"text": "企业号里消息中心打不开", "category": "verify_msg", "route": "guide_answer"}]
    assert taught(kb, desk, calibrate=False).model.meta["examples"] == (
        everything.model.meta["examples"] + 1
    )


@pytest.mark.parametrize(
    "text, primary, aside",
    [
        (
            "The WeCom activation QR code will not scan in WeChat. By the way, how do I "
            "unfollow the enterprise account?",
            "wecom_activate",
            "unfollow",
        ),
        ("群一直没进，btw 统一认证密码忘了怎么办", "group_wait", "ids_password"),
        # "还有" opening a clause turns to a further problem too (not 还有没有: "still")
        ("群一直没进，还有企业号怎么取关", "group_wait", "unfollow"),
    ],
)
def test_the_problem_raised_before_an_aside_is_primary(text, primary, aside):
    # "另外 / 顺便 / 对了 / btw / by the way": the writer turns to a further
    # problem; the one blocking them now was raised before the turn
    result = suggest_with(text, knowledge.from_files())
    assert (result.category, result.also) == (primary, [aside])


def test_an_aside_with_nothing_before_it_is_the_problem():
    kb = knowledge.from_files()
    assert suggest_with("另外想问下，统一认证密码忘了怎么办", kb).category == "ids_password"


def test_the_aside_promotes_only_a_problem_the_message_raised_before_it():
    from guide.triage.engine import _before_the_aside

    learned = [
        ("ids_password/guide_answer", 0.5),
        ("other/manual", 0.3),
        ("wechat_change/guide_answer", 0.1),
        ("group_wait/guide_answer", 0.1),
    ]
    raised = {"group_wait": 3.0, "ids_password": 4.0}
    reordered = _before_the_aside(learned, frozenset({"ids_password"}), raised)
    assert [label for label, _p in reordered][:2] == [
        "group_wait/guide_answer",
        "ids_password/guide_answer",
    ]
    # nothing raised before the aside in the ranking: the model's order stands
    assert _before_the_aside(learned[:3], frozenset({"ids_password"}), raised) == learned[:3]


def test_of_two_problems_the_model_hesitates_between_the_first_raised_wins():
    from guide.triage.engine import TORN_RATIO, _first_raised_when_torn

    raised = {"activation_status": 2.0, "group_wait": 3.0}
    first_at = {"activation_status": 0, "group_wait": 1}
    torn = [
        ("group_wait/guide_answer", 0.45),
        ("group_wait/refer_college", 0.1),  # the same problem by another route is passed over
        ("activation_status/guide_answer", 0.45 * TORN_RATIO + 0.01),
        ("other/manual", 0.05),
    ]
    assert _first_raised_when_torn(torn, raised, first_at)[0][0] == (
        "activation_status/guide_answer"
    )
    # the model sure of the later one, or the earlier one not raised by the
    # rules, or the model's first raised first: its order stands
    sure = [torn[0], torn[1], ("activation_status/guide_answer", 0.45 * TORN_RATIO - 0.01)]
    assert _first_raised_when_torn(sure, raised, first_at) == sure
    assert _first_raised_when_torn(torn, {"group_wait": 3.0}, first_at) == torn
    assert _first_raised_when_torn(torn, raised, {"activation_status": 2, "group_wait": 1}) == torn


@pytest.mark.parametrize(
    "text, main, further",
    [
        (
            "顺便问一下企业号怎么取消关注。我主要想问统一身份认证密码忘了怎么找回",
            "ids_password",
            "unfollow",
        ),
        (
            "How do I unfollow the enterprise account? But mainly: the SMS verification "
            "code never arrives at step 3.",
            "sms_code",
            "unfollow",
        ),
        (
            "鸿蒙手机能不能关注企业号？最急的是群：激活十天了还没人拉我进群",
            "group_wait",
            "harmonyos",
        ),
    ],
)
def test_the_problem_the_writer_calls_the_main_one_is_primary(text, main, further):
    # "主要是… / 最急的是… / mainly": the writer's own word on what blocks
    # them, wherever it stands; the rules alone decide so too
    result = suggest_with(text, knowledge.from_files().without_learning())
    assert (result.category, result.also) == (main, [further])


@pytest.mark.parametrize(
    "text",
    [
        "企业号怎么取关？好了说正事：第三步的验证码一直收不到",
        "How do I unfollow the enterprise account? The real issue: the SMS code never arrives.",
    ],
)
def test_the_real_matter_named_after_a_small_one_is_primary(text):
    result = suggest_with(text, knowledge.from_files().without_learning())
    assert (result.category, result.also) == ("sms_code", ["unfollow"])


def test_a_problem_raised_before_an_aside_by_any_word_is_primary():
    text = "统一认证的密码记不起来了，顺带问下企业号怎么取关"
    result = suggest_with(text, knowledge.from_files().without_learning())
    assert (result.category, result.also) == ("ids_password", ["unfollow"])


def test_the_problem_the_writer_is_stuck_on_now_is_primary():
    # "现在卡在… / but now…": what blocks the writer now, after one that went through
    text = (
        "The IDAS password reset went through after two tries, but now I'm stuck: "
        "the SMS code at WeCom step 3 never arrives."
    )
    assert suggest_with(text, knowledge.from_files().without_learning()).category == "sms_code"


def test_the_main_problem_with_another_system_is_none_of_ours():
    kb = knowledge.from_files()
    result = suggest_with("最着急的是学信网密码忘了登不上。还有企业号怎么取关", kb)
    assert (result.category, result.route) == ("other", "manual")


def test_a_cause_is_not_the_main_problem():
    kb = knowledge.from_files()
    for text in (
        "企业号怎么取关？验证码收不到，主要是因为手机号换了",
        "Can't unfollow. No SMS code, mainly because my number changed",
    ):
        assert engine.analyse(text, kb).main == frozenset()
    assert engine.analyse("企业号怎么取关？主要是验证码收不到", kb).main == {"sms_code"}


def test_the_main_one_promotes_only_a_problem_the_writer_named():
    from guide.triage.engine import _the_main_one

    learned = [
        ("unfollow/guide_answer", 0.6),
        ("other/manual", 0.2),
        ("sms_code/guide_answer", 0.15),
    ]
    assert [label for label, _p in _the_main_one(learned, frozenset({"sms_code"}))][:2] == [
        "sms_code/guide_answer",
        "unfollow/guide_answer",
    ]
    assert _the_main_one(learned, frozenset()) == learned
    assert _the_main_one(learned, frozenset({"unfollow"})) == learned
    assert _the_main_one(learned, frozenset({"harmonyos"})) == learned


def _raising(monkeypatch, kb, text, raised):
    """The engine's suggestion for `text` with the problems-raised part's
    probabilities set to `raised` (the labels' probabilities as read)."""
    scores = kb.model.text_scores(engine.analyse(text, kb).readable)
    found = model_module.TextScores(scores.probabilities, raised)
    monkeypatch.setattr(kb.model, "text_scores", lambda folded: found)
    return engine.suggest_with(text, kb)


def test_a_further_problem_the_model_finds_raised_joins_also(monkeypatch):
    # the rules find no second problem in this sentence; the n-gram model's
    # problems-raised part does, and the desk sees it beside the primary
    kb = knowledge.from_files()
    text = "第三步验证码收不到"
    assert engine.suggest_with(text, kb).also == []
    seen = _raising(monkeypatch, kb, text, {"group_wait": 0.95, "sms_code": 0.99, "other": 0.99})
    assert (seen.category, seen.also) == ("sms_code", ["group_wait"])  # never the primary or other
    below = {"group_wait": engine.RAISED_AT - 0.01}
    assert _raising(monkeypatch, kb, text, below).also == []


def test_a_further_problem_the_model_finds_not_raised_leaves_also(monkeypatch):
    # the rules give the HarmonyOS words a sentence of their own; when the
    # problems-raised part reads them as context (below RULED_OUT_BELOW), the
    # desk is not sent a second answer it did not ask for
    kb = knowledge.from_files()
    text = "第三步验证码一直收不到。我的手机是鸿蒙系统"
    named = engine._further_problems(
        engine._units(kb, engine.analyse(text, kb)), "sms_code", kb.order
    )
    assert named == ["harmonyos"]
    ruled_out = {"sms_code": 0.99, "harmonyos": engine.RULED_OUT_BELOW / 2}
    assert _raising(monkeypatch, kb, text, ruled_out).also == []
    unsure = {"sms_code": 0.99, "harmonyos": engine.RULED_OUT_BELOW * 2}
    assert _raising(monkeypatch, kb, text, unsure).also == ["harmonyos"]


def test_a_problem_the_rules_scored_joins_also_at_a_lower_probability(monkeypatch):
    # "怎么取关" scores unfollow without winning its sentence; the part finding
    # it raised at RAISED_SCORED_AT lists it, in the order raised. A category
    # the rules never scored needs RAISED_AT
    kb = knowledge.from_files()
    text = "验证码收不到，怎么取关，还有啥时候拉群"
    assert "unfollow" in engine.analyse(text, kb).totals
    between = (engine.RAISED_SCORED_AT + engine.RAISED_AT) / 2
    raised = {"sms_code": 0.99, "group_wait": 0.95, "unfollow": between, "harmonyos": between}
    result = _raising(monkeypatch, kb, text, raised)
    assert (result.category, result.also) == ("sms_code", ["unfollow", "group_wait"])
    lower = dict(raised, unfollow=engine.RAISED_SCORED_AT - 0.01)
    assert _raising(monkeypatch, kb, text, lower).also == ["group_wait"]


def test_the_problems_raised_part_learns_what_a_text_raises():
    texts = ["验证码收不到", "群还没拉", "验证码收不到,群也没有", "企业号关注不了"] * 10
    labels = ["sms_code/guide_answer", "group_wait/guide_answer"] * 20
    raised = [{"sms_code"}, {"group_wait"}, {"sms_code", "group_wait"}, {"unfollow"}] * 10
    ngrams, _labels = training._fit_ngrams(texts, labels, [1.0] * len(texts), raised)
    assert ngrams.scores("群没拉").raised["group_wait"] > 0.5
    assert ngrams.scores("验证码收不到").raised["group_wait"] < 0.5
    again = model_module.LinearModel(
        labels=_labels, bias=[0.0] * len(_labels), weights={}, ngrams=ngrams, ngram_share=0.5
    )
    reread = model_module.LinearModel.from_json(again.to_json()).ngrams
    assert reread.scores("群没拉").raised == pytest.approx(ngrams.scores("群没拉").raised, abs=1e-3)


def test_another_problem_raised_makes_the_suggestion_less_sure(monkeypatch):
    # which problem is primary is less certain in a message that raises two
    kb = knowledge.from_files()
    text = "企业号关注了但是没有消息中心"
    scores = kb.model.text_scores(engine.analyse(text, kb).readable)

    def confidence(raised):
        found = model_module.TextScores(scores.probabilities, raised)
        monkeypatch.setattr(kb.model, "text_scores", lambda folded: found)
        return engine.suggest_with(text, kb).confidence

    alone = confidence({})
    assert confidence({"group_wait": 0.99}) < alone
    assert confidence({"other": 0.99}) == alone  # "nothing fits" is no further problem
