"""A desk correction refits the model (a Celery task, eager here), the model
is stored in the database, and another process's engine uses it within its
recheck interval, with no restart."""

import pytest

from guide import knowledge_store, training
from guide.models import TriageModel
from guide.triage import knowledge

# committed writes (the retrain runs on commit); the guide's rows restored after
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def fast_fit(monkeypatch, settings):
    settings.TRIAGE_RETRAIN_ON_CORRECTION = True
    monkeypatch.setattr(training, "FOLDS", 2)
    # the shipped labelled file is large: a small part of it keeps the fit fast
    rows = training.shipped_rows()[:40]
    monkeypatch.setattr(training, "shipped_rows", lambda: rows)
    from supportdesk.celery import app

    # eager without Redis, whatever an earlier test left in the app's config
    before = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager, app.conf.task_eager_propagates = True, True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = before


def test_a_correction_retrains_and_another_process_picks_the_model_up(fast_fit, monkeypatch):
    other_process = knowledge._Holder()  # another web or worker process's engine
    other_process.load, other_process.version = knowledge_store.load, knowledge_store.version
    monkeypatch.setattr(knowledge, "RECHECK_SECONDS", 3600.0)
    before = other_process.get()
    assert not TriageModel.objects.exists()

    knowledge_store.record_correction(
        text="考生来电：企业微信换绑微信后登录不上", category="wechat_change", route="guide_answer"
    )  # committed: the retrain runs on commit (eager without Redis)

    row = TriageModel.objects.get()
    assert row.examples > 40 and "wechat_change/guide_answer" in row.weights
    assert other_process.get() is before  # within RECHECK_SECONDS the cached knowledge stands
    other_process.recheck()  # RECHECK_SECONDS later
    after = other_process.get()
    assert after is not before and after.model.meta == row.figures


def test_a_retrain_with_nothing_new_is_skipped(fast_fit, settings):
    settings.TRIAGE_RETRAIN_ON_CORRECTION = False
    knowledge_store.record_correction(text="旧号停机了", category="phone_change", route="escalate")
    assert training.retrain_if_new() is not None
    assert TriageModel.objects.count() == 1
    assert training.retrain_if_new() is None
    assert TriageModel.objects.count() == 1
