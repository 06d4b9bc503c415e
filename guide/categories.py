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
CATEGORY_CHOICES = [(code, code) for code in CATEGORY_CODES]
