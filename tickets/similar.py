"""Open tickets that are the same problem, so one canned reply answers a group."""

import re
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils.http import urlencode

from tickets.models import OPEN_STATUSES
from tickets.selectors import visible_tickets

# Punctuation, spaces and polite fillers do not make two messages different.
NOISE = re.compile(r"[\s\W_]+|老师|您好|你好|请问|谢谢")
TEXTS_READ = 500  # per group: enough to see the repeated phrasings
PHRASINGS_SHOWN = 3


@dataclass
class Group:
    category: str
    route: str
    count: int
    phrasings: list = field(default_factory=list)  # [(text, count)], repeated texts
    title: str = ""

    @property
    def route_label(self) -> str:
        from guide.models import Route

        return str(Route(self.route).label) if self.route in Route.values else self.route

    @property
    def query(self) -> str:
        return urlencode({"status": "open", "category": self.category, "route": self.route})


def normalized(text: str) -> str:
    return NOISE.sub("", text.lower())[:60]


def groups(user, limit=20, with_phrasings=True) -> list[Group]:
    """Open tickets by category and route, largest first, with near-identical texts."""
    open_tickets = visible_tickets(user).filter(status__in=OPEN_STATUSES)
    rows = (
        open_tickets.values("category", "route")
        .annotate(n=Count("id"))
        .order_by("-n", "category", "route")[:limit]
    )
    from tickets.selectors import category_titles

    titles = category_titles()
    result = [
        Group(r["category"], r["route"], r["n"], title=titles.get(r["category"], r["category"]))
        for r in rows
    ]
    if with_phrasings:
        for group in result:
            texts = open_tickets.filter(category=group.category, route=group.route).values_list(
                "text", flat=True
            )[:TEXTS_READ]
            counts: Counter[str] = Counter()
            sample: dict[str, str] = {}
            for text in texts:
                key = normalized(text)
                counts[key] += 1
                sample.setdefault(key, text)
            group.phrasings = [
                (sample[key], n) for key, n in counts.most_common(PHRASINGS_SHOWN) if n > 1
            ]
    return result
