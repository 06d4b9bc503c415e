from celery import shared_task


@shared_task(ignore_result=True)
def retrain_triage_model():
    """Refit the triage model on every labelled example (queued on commit
    after a desk correction or a teach run; eager without Redis)."""
    from guide import training

    training.retrain_if_new()
