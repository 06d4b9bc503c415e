"""Triage of an import's rows in a second process, overlapping the writes."""

from __future__ import annotations

import logging

from guide.triage import suggest_many

log = logging.getLogger(__name__)


class _Ready:
    """The inline stand-in for an AsyncResult."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


_worker_knowledge = None


def _worker_init(knowledge):
    global _worker_knowledge
    _worker_knowledge = knowledge


def _triage_in_worker(texts):
    # Pinned to the parent's knowledge: the worker never touches the database
    # connection it inherited through fork.
    return suggest_many(texts, _worker_knowledge)


def start_worker():
    """A forked process that triages batch N while this one writes batch N-1.

    Triage is about half of an import's CPU time; on two cores the two halves
    overlap. None when fork is unavailable (the import then triages inline).
    """
    import multiprocessing

    from guide.triage import knowledge

    if multiprocessing.current_process().daemon:
        # A Celery prefork child may not have children of its own.
        log.info("import triage runs inline in a daemonic worker process")
        return None
    try:
        context = multiprocessing.get_context("fork")
        return context.Pool(1, initializer=_worker_init, initargs=(knowledge.current(),))
    except (ValueError, OSError, AssertionError):
        log.warning("no triage worker process; triaging inline", exc_info=True)
        return None


def triage_async(pool, texts: list[str]):
    """The texts' suggestions, as a result whose get() waits for them; inline without a pool."""
    if pool is None:
        return _Ready(suggest_many(texts))
    return pool.apply_async(_triage_in_worker, (texts,))
