import logging

from celery import shared_task
from django.conf import settings

log = logging.getLogger(__name__)


@shared_task(ignore_result=True)
def retrain_triage_model():
    """Refit the triage model on every labelled example (queued on commit
    after a desk correction or a teach run; eager without Redis)."""
    from guide import training

    training.retrain_if_new()


def queue_retrain(**_signal):
    """Receiver of knowledge_store.examples_changed (connected in guide.apps)."""
    if not getattr(settings, "TRIAGE_RETRAIN_ON_CORRECTION", True):
        return  # the test suite: a fit takes seconds; its own tests turn it on
    try:
        retrain_triage_model.delay()
    except Exception as error:  # the broker is down: the next correction queues it again
        log.warning("triage retrain not queued: %r", error)
