"""A desk correction refits the model (a Celery task asked for through the
outbox, eager here), the model is stored in the database, and another
process's engine uses it within its recheck interval, with no restart. The
refit never runs inside the correction's request."""

import threading
from types import SimpleNamespace

import pytest
from django.db import transaction
from kombu.exceptions import OperationalError

from guide import knowledge_store, training
from guide.models import TriageModel
from guide.triage import knowledge
from outbox import relay
from outbox.models import OutboxMessage

REFIT = "guide.tasks.retrain_triage_model"

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

    settings_off(monkeypatch)
    knowledge_store.record_correction(
        text="考生来电：企业微信换绑微信后登录不上", category="wechat_change", route="guide_answer"
    )  # committed: the refit is an outbox row
    assert not TriageModel.objects.exists()
    assert relay.relay().delivered == 1  # the relay (or the on-commit thread) runs it

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


def settings_off(monkeypatch):
    from django.conf import settings

    monkeypatch.setattr(settings, "OUTBOX_DELIVER_ON_COMMIT", "off")


class _Threads:
    """threading.Thread for the outbox relay: records what it would start."""

    def __init__(self):
        self.targets = []

    def __call__(self, target, args=(), daemon=None):
        targets = self.targets

        class _Thread:
            def start(self):
                targets.append((target, args))

        return _Thread()

    def run_all(self):
        for target, args in self.targets:
            worker = threading.Thread(target=target, args=args)
            worker.start()
            worker.join()


def test_the_refit_never_runs_inside_the_correction_request(fast_fit, monkeypatch):
    # eager without Redis, where on-commit delivery is inline ("sync")
    fits = []
    monkeypatch.setattr(training, "retrain_if_new", lambda: fits.append(threading.get_ident()))
    threads = _Threads()
    monkeypatch.setattr(relay, "threading", SimpleNamespace(Thread=threads))

    with transaction.atomic():  # the request
        knowledge_store.record_correction(
            text="换绑微信后企业微信登录不上", category="wechat_change", route="guide_answer"
        )
    assert fits == []  # the response is not held by the fit
    assert OutboxMessage.objects.filter(payload__task=REFIT, delivered_at=None).exists()

    threads.run_all()  # the background thread the commit started
    assert len(fits) == 1 and fits[0] != threading.get_ident()
    assert OutboxMessage.objects.get(payload__task=REFIT).is_delivered


def test_a_burst_of_corrections_asks_for_one_refit(fast_fit, monkeypatch):
    settings_off(monkeypatch)
    for n in range(30):
        with transaction.atomic():
            knowledge_store.record_correction(
                text=f"验证码第{n}次没收到", category="sms_code", route="guide_answer"
            )
    assert OutboxMessage.objects.filter(payload__task=REFIT).count() == 1
    relay.relay()
    assert TriageModel.objects.count() == 1
    # a correction after the fit started asks for the next one
    knowledge_store.record_correction(
        text="验证码还是没收到", category="sms_code", route="guide_answer"
    )
    assert OutboxMessage.objects.filter(payload__task=REFIT, delivered_at=None).count() == 1


def test_with_the_broker_down_the_correction_succeeds_and_the_relay_refits_later(
    fast_fit, monkeypatch, settings
):
    from supportdesk.celery import app

    settings.OUTBOX_DELIVER_ON_COMMIT = "off"  # the first try below, not in a thread
    settings.OUTBOX_RETRY_SECONDS = 0
    app.conf.task_always_eager = False  # Redis configured ...

    def unreachable(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6399. Connection refused.")

    monkeypatch.setattr(app, "send_task", unreachable)  # ... and down
    with transaction.atomic():
        knowledge_store.record_correction(
            text="旧手机号停机了收不到验证码", category="phone_change", route="escalate"
        )
    message = OutboxMessage.objects.get(payload__task=REFIT)
    assert relay.deliver([message.pk]).failed == 1  # the on-commit try
    message.refresh_from_db()
    assert not message.is_delivered and "OperationalError" in message.last_error
    assert not TriageModel.objects.exists()

    app.conf.task_always_eager = True  # the broker is back (the task runs here)
    assert relay.relay().delivered == 1
    assert TriageModel.objects.count() == 1
