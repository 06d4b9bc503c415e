"""Thin tasks: the periodic mail fetch (beat, when Redis and IMAP_URL are set)."""

from celery import shared_task
from django.core.cache import cache

from inbox.fetch import fetch_mail as fetch

# One fetch at a time across all workers; a stuck one frees the lock after this.
LOCK_SECONDS = 600


@shared_task(ignore_result=True)
def fetch_mail():
    if not cache.add("inbox:fetch-mail", 1, timeout=LOCK_SECONDS):
        return
    try:
        fetch()
    finally:
        cache.delete("inbox:fetch-mail")
