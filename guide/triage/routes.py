"""The four route codes of categories.md, as plain strings so the engine
imports without Django (guide.models.Route gives them their labels)."""

GUIDE_ANSWER = "guide_answer"
ESCALATE = "escalate"
REFER_COLLEGE = "refer_college"
MANUAL = "manual"
ROUTES = (GUIDE_ANSWER, ESCALATE, REFER_COLLEGE, MANUAL)
