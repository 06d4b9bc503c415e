import re

import segno
from django import template
from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from guide.answers import with_info_center

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
    html = _LINK.sub(_link, escape(with_info_center(value)))
    return mark_safe(html.replace("\n", "<br>"))


# The guide's step that shows the WeCom activation QR code.
QR_SENTENCE = "扫描下方二维码"


def _activation_url() -> str:
    return settings.WECOM_ACTIVATION_URL


@register.filter
def without_missing_qr(value: str) -> str:
    """Without a configured activation link there is no code below: the
    sentence that points at it goes."""
    if _activation_url() or QR_SENTENCE not in value:
        return value
    sentences = re.split(r"(?<=。)", value)
    return "".join(s for s in sentences if QR_SENTENCE not in s)


@register.simple_tag
def activation_qr(text: str) -> str:
    """The QR code of WECOM_ACTIVATION_URL (made here, no outside service)
    under the step that says to scan it; "" elsewhere or when unset."""
    url = _activation_url()
    if not url or QR_SENTENCE not in (text or ""):
        return ""
    svg = segno.make(url, error="m").svg_inline(scale=5, title=_("企业微信激活二维码"))
    return format_html(
        '<figure class="qr">{}<figcaption><a href="{}" rel="noopener">{}</a></figcaption></figure>',
        mark_safe(svg),  # segno's own markup of the code; the URL inside is escaped by it
        url,
        url,
    )
