"""The learning curve of triage_eval teaches as the desk does and measures
every message of the file (messages written for these tests)."""

from guide import training, triage_eval
from guide.triage import knowledge
from guide.triage.engine import suggest_with
from guide.triage_eval import learning_curve_thirds, taught


def test_a_taught_desk_example_is_adopted_for_its_near_duplicate(monkeypatch):
    # In service the desk's examples are in the engine's index as well as in
    # the model (knowledge_store.load): a near-duplicate takes its label.
    # Taught the way the learning curve teaches, the engine must do the same.
    rows = training.shipped_rows()[:30]
    monkeypatch.setattr(training, "shipped_rows", lambda: rows)
    kb = knowledge.from_files()
    text = "鸿蒙NEXT的手机微信里搜不到企业号，关注不了怎么办"
    desk = [{"text": text, "category": "other", "route": "manual"}]  # a label the rules never give
    engine = taught(kb, desk, weight=training.DESK_WEIGHT, calibrate=False, desk=True)
    assert (suggest_with(text, engine).category, suggest_with(text, engine).route) == (
        "other",
        "manual",
    )
    # only as the desk's examples: the shipped file's rows stay in the model alone
    shipped_way = taught(kb, desk, calibrate=False)
    assert text not in {e.text for e in shipped_way.examples.examples}


def test_the_curve_over_thirds_measures_every_message_once_per_size(monkeypatch):
    rows = [
        {"id": str(i), "text": f"消息{i}", "category": c, "route": "guide_answer"}
        for i, c in enumerate(["sms_code", "ids_password", "harmonyos"] * 4)
    ]
    measured = []

    def fake(kb, pool, test, sizes):
        measured.append(({r["text"] for r in test}, {r["text"] for r in pool}))
        # every message right once taught; the last part cannot teach 8
        limit = 4 if len(measured) == 3 else len(pool)
        return [(s, len(test) if s else 0) for s in sizes if s <= limit]

    monkeypatch.setattr(triage_eval, "_taught_right", fake)
    curve = learning_curve_thirds(None, rows, sizes=(0, 4, 8))
    tests = [t for t, _p in measured]
    assert len(tests) == 3 and set().union(*tests) == {r["text"] for r in rows}
    assert sum(map(len, tests)) == len(rows)  # disjoint: each message measured once
    assert all(not (t & p) for t, p in measured)  # never taught what is measured
    # sizes some part could not teach are left out: the same messages at every size
    assert curve == [(0, 0.0), (4, 1.0)]
