"""The 14 category codes of categories.md, a contract used verbatim by the
knowledge base, the triage engine, tickets, reports and the labelled data."""

CATEGORY_CODES = (
    "ids_activate",
    "ids_password",
    "wecom_activate",
    "sms_code",
    "verify_msg",
    "unfollow",
    "phone_change",
    "wechat_change",
    "harmonyos",
    "group_wait",
    "existing_member",
    "campus_access",
    "activation_status",
    "other",
)
ABSTAIN_CATEGORY = "other"


def answer_for(*, route: str, answer: str, other_route: str, other_route_answer: str) -> str:
    """A category's answer for a route: its other route's own answer when the
    route is that one and it has one, else the main answer. The one rule the
    triage engine (knowledge) and the guide's models both apply."""
    if route == other_route and other_route_answer:
        return other_route_answer
    return answer
