"""A model stored by an older release (other knowledge files or features) is
not used, and the upgrade's migrate asks for its refit."""

import pytest
from django.core.management.sql import emit_post_migrate_signal

from guide import knowledge_store, tasks, training
from guide.models import TriageModel
from guide.triage import files
from guide.triage.model import FEATURES_VERSION, LinearModel, shipped
from outbox.models import OutboxMessage

pytestmark = pytest.mark.django_db


def copy_of_shipped():
    return LinearModel.from_json(shipped().to_json())  # shipped() is one object per process


def stored(**meta):
    model = copy_of_shipped()
    model.meta = {**model.meta, **meta}
    return TriageModel.objects.create(examples=1, weights=model.to_json(), figures=model.meta)


def test_a_model_fitted_for_this_release_is_used():
    row = stored(fingerprint=files.fingerprint(), features=FEATURES_VERSION)
    assert knowledge_store.latest_model().meta == row.figures
    assert knowledge_store.load().model.meta == row.figures


@pytest.mark.parametrize(
    "meta",
    [{"fingerprint": "0" * 16}, {"features": FEATURES_VERSION - 1}],
    ids=["other knowledge files", "older features"],
)
def test_a_model_fitted_for_another_release_is_not_used(meta):
    stored(**{"fingerprint": files.fingerprint(), "features": FEATURES_VERSION, **meta})
    assert knowledge_store.latest_model() is None
    assert knowledge_store.load().model is shipped()  # the shipped model scores meanwhile


def test_migrate_asks_for_a_refit_of_a_stale_model_only():
    stored(fingerprint=files.fingerprint(), features=FEATURES_VERSION)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert not OutboxMessage.objects.filter(dedupe_key=tasks.REFIT_KEY).exists()

    stored(fingerprint="0" * 16)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert OutboxMessage.objects.filter(dedupe_key=tasks.REFIT_KEY).count() == 1


def test_a_stale_model_is_refitted_with_no_new_example(monkeypatch):
    stored(fingerprint="0" * 16)
    fitted = []

    def fit(kb, rows, **kwargs):
        fitted.append(len(rows))
        model = copy_of_shipped()
        model.meta = {"fingerprint": files.fingerprint(), "features": FEATURES_VERSION}
        return model

    monkeypatch.setattr(training, "fit", fit)
    assert training.retrain_if_new() is not None and fitted
    assert training.retrain_if_new() is None  # now fitted for this release: skipped
