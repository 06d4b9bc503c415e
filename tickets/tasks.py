"""Celery finds the app's tasks here; each calls the module that does the work."""

from celery import shared_task

from tickets import notifications


@shared_task
def send_event_mail(event_id):
    # Kept for messages queued before the outbox; new mail goes through it.
    return notifications.send_event_mail(event_id)


# Without a broker (no REDIS_URL) a thread of the web process runs a bulk job,
# so the page's progress bar moves on a laptop too; tests turn it off.
BULK_THREAD_WHEN_EAGER = True


@shared_task(acks_late=True)
def run_bulk_job(job_id):
    # acks_late: a worker killed midway leaves the message queued; the next
    # worker resumes after the last committed ticket.
    from tickets import bulk

    return bulk.run_job(job_id).done


def _bulk_in_thread(job_id):
    import contextlib

    from django.db import connection

    try:
        with contextlib.suppress(Exception):  # recorded on the job as failed
            run_bulk_job(job_id)
    finally:
        connection.close()


def start_bulk(job_id):
    """Hand the job to a worker (the outbox's delivery of bulk.START_JOB).

    Raises when the broker cannot take it, so the outbox tries again later.
    """
    import threading

    if run_bulk_job.app.conf.task_always_eager:
        if BULK_THREAD_WHEN_EAGER:
            threading.Thread(target=_bulk_in_thread, args=(job_id,), daemon=True).start()
        else:
            run_bulk_job.apply(args=(job_id,))
    else:
        run_bulk_job.apply_async(args=(job_id,), retry=False)


@shared_task
def close_answered():
    from tickets import autoclose

    return len(autoclose.close_answered())
