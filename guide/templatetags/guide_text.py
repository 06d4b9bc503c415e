import re

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()

# ASCII-only patterns: Django's urlize swallows the full-width punctuation
# and Chinese text that follow an address in the guide's sentences.
_LINK = re.compile(
    r"(?P<url>https?://[A-Za-z0-9./?=&_%#~+-]+[A-Za-z0-9/])"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
    r"|(?P<phone>\b0\d{2,3}-\d{7,8}\b)"
)


def _link(match: re.Match) -> str:
    text = match.group(0)
    if match.group("url"):
        return f'<a href="{text}" rel="noopener">{text}</a>'
    if match.group("email"):
        return f'<a href="mailto:{text}">{text}</a>'
    return f'<a href="tel:{text}">{text}</a>'


@register.filter
def guide_text(value: str) -> str:
    """Escapes guide text, links its web addresses, emails and phone numbers,
    and keeps its line breaks."""
    html = _LINK.sub(_link, escape(value))
    return mark_safe(html.replace("\n", "<br>"))
