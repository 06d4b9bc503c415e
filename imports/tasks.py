"""Thin tasks: take ids, call the importer."""

import threading

from celery import shared_task
from django.db import connection

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


def start(job_id):
    """Hand the job to a worker (the outbox's delivery of START_JOB).

    Raises when the broker cannot take it, so the outbox tries again later
    instead of the job staying pending forever.
    """
    if run_import.app.conf.task_always_eager:
        if THREAD_WHEN_EAGER:
            threading.Thread(target=_run_in_thread, args=(job_id,), daemon=True).start()
        else:
            run_import.apply(args=(job_id,))
    else:
        run_import.apply_async(args=(job_id,), retry=False)
