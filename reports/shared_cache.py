"""Figures kept in the shared cache (Redis in production, so every process
sees the same), for the report's live figures and its phrases."""

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

log = logging.getLogger(__name__)


def remembered(key: str, seconds: int, compute: Callable[[], Any]) -> Any:
    """What `compute()` gave under `key` within `seconds`, else computed now
    and kept. The cache down is no reason to fail a report: then every call
    computes. `seconds` <= 0 keeps nothing."""
    if seconds <= 0:
        return compute()
    try:
        found = cache.get(key)
    except Exception:
        log.warning("report cache unavailable; computing %s", key.split(":", 1)[0], exc_info=True)
        found = None
    if found is None:
        found = compute()
        try:
            cache.set(key, found, seconds)
        except Exception:
            log.warning("report cache unavailable; %s not kept", key.split(":", 1)[0])
    return found
