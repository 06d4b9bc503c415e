"""Thin tasks: take ids, call the importer."""

import threading

from celery import shared_task
from django.conf import settings
from django.db import connection, transaction

from imports import jobs

# Without a broker (no REDIS_URL) Celery runs tasks inline, which would hold the
# upload request until the whole file is in. A thread of the web process keeps
# the page's progress bar alive on a laptop; tests turn it off.
THREAD_WHEN_EAGER = True


@shared_task(acks_late=True)
def run_import(job_id):
    # acks_late: a worker killed mid-file leaves the message queued, and the
    # next worker resumes the job from its last committed batch.
    jobs.run_job(job_id, workers=1)


def _run_in_thread(job_id):
    try:
        jobs.run_job(job_id)
    except Exception:  # logged and recorded on the job by run_job
        pass
    finally:
        connection.close()


def enqueue(job_id):
    """Start the import once the job row is committed."""

    def start():
        if settings.CELERY_TASK_ALWAYS_EAGER and THREAD_WHEN_EAGER:
            threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()
        else:
            run_import.delay(job_id)

    transaction.on_commit(start)
