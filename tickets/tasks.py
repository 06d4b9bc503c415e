"""Thin tasks: take ids, call services."""

from celery import shared_task

from tickets import services


@shared_task
def send_event_mail(event_id):
    # Kept for messages queued before the outbox; new mail goes through it.
    return services.send_event_mail(event_id=event_id)


@shared_task(acks_late=True)
def run_bulk_job(job_id):
    from tickets import bulk

    return bulk.run_job(job_id).done


def enqueue_bulk(job_id):
    """Start the bulk job once its row is committed.

    Without a broker (no REDIS_URL) a thread of the web process runs it, so the
    page's progress bar moves on a laptop too; tests turn that off.
    """
    import threading

    from django.conf import settings
    from django.db import connection, transaction

    def in_thread():
        try:
            run_bulk_job(job_id)
        except Exception:  # recorded on the job as failed
            pass
        finally:
            connection.close()

    def start():
        if settings.CELERY_TASK_ALWAYS_EAGER and BULK_THREAD_WHEN_EAGER:
            threading.Thread(target=in_thread, daemon=True).start()
        else:
            run_bulk_job.delay(job_id)

    transaction.on_commit(start)


BULK_THREAD_WHEN_EAGER = True


@shared_task
def close_answered():
    from tickets import autoclose

    return len(autoclose.close_answered())
