"""The route conditions of categories.md, over the concept tags of a message.

The conditions are data (categories.toml, `condition`): a category's other
route applies when any alternative holds over the message's tags (all its
required tags present, none of its forbidden ones). The tags that decided it
are shown to staff as evidence; otherwise the category keeps its default route.
"""

from . import routes


def holds(condition, tags: set[str]) -> list[str] | None:
    """The deciding tags when `condition` holds over `tags`, else None."""
    if condition is None:
        return None
    for rule in condition.when:
        if all(t in tags for t in rule.required) and not any(t in tags for t in rule.forbidden):
            return list(rule.required)
    return None


def route_for(info, tags: set[str]) -> tuple[str, list[str]]:
    """(route, deciding tags) for a primary category (a CategoryInfo)."""
    if info is None or info.code == "other":
        return routes.MANUAL, []
    decided = holds(info.condition, tags)
    if decided:
        return info.condition.route, decided
    return info.default_route or routes.GUIDE_ANSWER, []
