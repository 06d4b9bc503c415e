"""The guide's answer a ticket offers for a category and route, with the
info-center's contacts as configured (settings.INFO_CENTER_PHONE/EMAIL).

The guide's texts carry the info-center's phone and email as written in the
official guide (guide.content.INFO_PHONE/INFO_EMAIL); a deployment that sets
other contacts gets them wherever an answer is shown or copied.
"""

from django.conf import settings

from guide import content
from guide.models import FaqCategory


def with_info_center(text: str) -> str:
    return text.replace(content.INFO_PHONE, settings.INFO_CENTER_PHONE).replace(
        content.INFO_EMAIL, settings.INFO_CENTER_EMAIL
    )


def answer(category: str, route: str) -> str:
    """The current guide answer of a category for a route ("" for an unknown category)."""
    faq = FaqCategory.objects.filter(code=category).first()
    return with_info_center(faq.answer_for(route)) if faq else ""
