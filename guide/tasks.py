import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import connection
from django.utils import timezone

from guide.models import TriageModel
from guide.triage.model import is_current

log = logging.getLogger(__name__)

TASK = "guide.tasks.retrain_triage_model"
# The outbox row of the refit asked for and not started yet: every correction
# until the fit starts finds it (one refit for a burst of any size); the task
# drops the key as it starts, so a correction made during a fit asks for the next.
REFIT_KEY = "triage-refit:pending"
# A key still held this long after its row was written belongs to a task that
# was lost (a flushed Redis, a web process stopped before its thread ran it,
# no relay running): the next correction asks again (a second row is harmless:
# the later fit finds nothing newer and is skipped).
LOST_AFTER = timedelta(hours=1)
FIT_LOCK = 0x7472_6961  # pg_advisory_lock id ("tria")

_fit_lock = threading.Lock()


@contextmanager
def _one_fit_at_a_time():
    """A fit takes a minute on a loaded machine: the web threads of one process
    and every worker process wait for the one in progress (then usually skip:
    training.retrain_if_new fits only when an example is newer than the model)."""
    with _fit_lock:
        if connection.vendor != "postgresql":  # SQLite: one machine, one process in practice
            yield
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [FIT_LOCK])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [FIT_LOCK])


@shared_task(ignore_result=True)
def retrain_triage_model():
    """Refit the triage model on every labelled example (asked for through the
    outbox after a desk correction or a teach run: a Celery worker runs it, or a
    background thread of the web process without Redis -- never the request)."""
    from guide import training
    from outbox.models import OutboxMessage

    with _one_fit_at_a_time():
        OutboxMessage.objects.filter(dedupe_key=REFIT_KEY).update(dedupe_key=None)
        training.retrain_if_new()


def request_refit(*, background: bool = True) -> None:
    """Ask for a refit in the caller's transaction (an outbox row, delivered on
    commit off the request path; a broker outage delays it, the relay retries).
    A command passes background=False: it may wait for its fit without Redis,
    and a background thread would die with it."""
    from outbox.models import OutboxMessage
    from outbox.services import enqueue_task

    OutboxMessage.objects.filter(
        dedupe_key=REFIT_KEY, created_at__lt=timezone.now() - LOST_AFTER
    ).update(dedupe_key=None)
    enqueue_task(TASK, dedupe_key=REFIT_KEY, slow=background)


def queue_retrain(**_signal):
    """Receiver of knowledge_store.examples_changed (connected in guide.apps),
    sent inside the transaction that stored the examples."""
    if not getattr(settings, "TRIAGE_RETRAIN_ON_CORRECTION", True):
        return  # the test suite: a fit takes seconds; its own tests turn it on
    request_refit()


def refit_if_stale(**_signal):
    """Receiver of post_migrate (connected in guide.apps): after an upgrade whose
    knowledge files or features changed, the stored model is not used (the
    shipped one scores meanwhile) and is refitted on the desk's examples, once."""
    latest = TriageModel.objects.order_by("-id").values_list("figures", flat=True).first()
    if latest is not None and not is_current(latest):
        log.info("the stored triage model was fitted for other knowledge: refit asked for")
        request_refit(background=False)  # a command: its thread would die with it
