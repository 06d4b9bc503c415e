"""The triage engine: `suggest(text)` -> Suggestion. Plain Python, no request.

SCAFFOLD: replaced by the real engine (issue 3). The interface is fixed:
Suggestion(category, route, confidence, also, evidence, reply, ranked).
"""

from dataclasses import asdict, dataclass, field


@dataclass(frozen=True)
class Suggestion:
    category: str
    route: str
    confidence: float
    also: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    reply: str = ""
    ranked: list[tuple[str, float]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def suggest(text: str) -> Suggestion:
    return Suggestion(category="other", route="manual", confidence=0.0)
