"""Cut the quoted earlier conversation and the signature off a mail body.

Mail clients mark both in a handful of ways; each is one pattern below, so a
new client's marker is one more line. Everything from the first marker on is
dropped, and so is a trailing block of '>' quoted lines.
"""

import re

# A line that starts the quoted earlier mail or the signature.
CUT_MARKERS = [
    re.compile(p, re.IGNORECASE | re.MULTILINE)
    for p in (
        r"^-- ?$",  # RFC 3676 signature separator
        r"^-{2,}\s*(原始邮件|Original Message|转发邮件|Forwarded message)\s*-{2,}",
        r"^_{8,}$",  # Outlook's rule above the quoted header
        r"^(在|于).{0,120}写道\s*[：:]\s*$",  # 在 2026年3月1日 10:00，服务台 写道：
        r"^On .{0,200}wrote:\s*$",
        r"^(发自我的|来自我的|Sent from my )",
        r"^(发件人|From)\s*[：:].*\n\s*(发送时间|时间|日期|Sent|Date)\s*[：:]",
    )
]


def cut_quotes(text: str) -> str:
    """The new part of a reply: the text before any quote or signature marker."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cut = len(text)
    for marker in CUT_MARKERS:
        match = marker.search(text)
        if match is not None and match.start() < cut:
            cut = match.start()
    lines = text[:cut].rstrip().split("\n")
    while lines and lines[-1].lstrip().startswith(">"):
        lines.pop()
    new = "\n".join(lines).strip()
    # A mail that is all quote (a bare forward) keeps its whole text.
    return new or text.strip()
