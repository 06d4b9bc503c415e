"""The placeholders a canned reply may use, and how each is filled for a ticket.

Written as {name} in the reply; an unknown name is refused when the reply is
saved, so a typo never reaches a candidate as literal braces.
"""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _

PATTERN = re.compile(r"\{(\w+)\}")

# name -> what it means (shown as help in the admin)
PLACEHOLDERS = {
    "candidate_name": _("考生姓名"),
    "candidate_number": _("考生号"),
    "guide_link": _("该分类的指南链接"),
    "info_phone": _("信息中心电话"),
    "info_email": _("信息中心邮箱"),
}


def unknown_names(body: str) -> list[str]:
    return sorted({name for name in PATTERN.findall(body) if name not in PLACEHOLDERS})


def values_for(ticket) -> dict:
    from django.urls import reverse

    return {
        "candidate_name": ticket.candidate_name or "同学",
        "candidate_number": ticket.candidate_number or "",
        "guide_link": settings.SITE_URL + reverse("guide:category", args=[ticket.category]),
        "info_phone": settings.INFO_CENTER_PHONE,
        "info_email": settings.INFO_CENTER_EMAIL,
    }


def fill(body: str, ticket) -> str:
    values = values_for(ticket)
    return PATTERN.sub(lambda m: values.get(m.group(1), m.group(0)), body)
