"""The triage engine: `suggest(text) -> Suggestion` (`suggest_many(texts)` for
a batch). Plain Python, no request.

See engine.py for how a message is scored, knowledge.py for where the
knowledge comes from and how every process picks up new corrections, rules.py
for the route conditions and learning.py for recording desk corrections.
"""

from .engine import Suggestion, suggest, suggest_many

__all__ = ["Suggestion", "suggest", "suggest_many"]
