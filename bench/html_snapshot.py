"""The pages' HTML, to check that a change to how they are written keeps them
byte-for-byte (CSRF tokens and CSP nonces normalised). Reads only.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/h16_100k
    .venv/bin/python bench/html_snapshot.py /tmp/before      # on the old code
    .venv/bin/python bench/html_snapshot.py /tmp/after       # on the new code
    diff -r /tmp/before /tmp/after
"""

import os
import re
import sys
from pathlib import Path

sys.path.insert(0, os.path.dirname(__file__))
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SUPPORTDESK_HTTPS", "0")
from harness import setup_django  # noqa: E402

PAGES = [
    ("list-default", "/tickets/", {}),
    ("list-all", "/tickets/", {"status": ""}),
    ("list-open", "/tickets/", {"status": "open"}),
    ("list-college-new", "/tickets/", {"college": "sice", "status": "new"}),
    ("list-page200", "/tickets/", {"status": "", "page": 200}),
    ("list-overdue", "/tickets/", {"status": "open", "due": "overdue"}),
    ("list-sort-status", "/tickets/", {"status": "", "sort": "status"}),
    ("list-sort-handling", "/tickets/", {"status": "", "sort": "-handling"}),
    ("list-sort-college", "/tickets/", {"status": "", "sort": "college"}),
    ("list-resolved", "/tickets/", {"status": "resolved"}),
    ("list-per-page", "/tickets/", {"status": "", "per_page": 7}),
    ("list-bad-page", "/tickets/", {"status": "", "page": "x"}),
    ("list-bad-date", "/tickets/", {"status": "", "created_from": "2026-13-01"}),
    (
        "list-dates",
        "/tickets/",
        {"status": "", "created_from": "2026-11-01", "created_to": "2026-11-03"},
    ),
    ("list-channel-cat", "/tickets/", {"status": "", "channel": "qq", "category": "sms_code"}),
    ("list-unassigned", "/tickets/", {"status": "open", "assignee": "none"}),
    ("search-hongmeng", "/tickets/", {"q": "鸿蒙", "status": ""}),
    ("search-qunliao", "/tickets/", {"q": "群聊", "status": ""}),
    ("search-dianle", "/tickets/", {"q": "点了半天", "status": ""}),
    ("search-none", "/tickets/", {"q": "没有这样的词语组合啊", "status": ""}),
    ("search-number", "/tickets/", {"q": "1061", "status": ""}),
    ("report", "/reports/", {}),
]


def normalise(html: str) -> str:
    html = re.sub(
        r'name="csrfmiddlewaretoken" value="[^"]+"', 'name="csrfmiddlewaretoken" value="-"', html
    )
    html = re.sub(r'nonce="[^"]+"', 'nonce="-"', html)
    html = re.sub(r'name="as_of" value="[^"]+"', 'name="as_of" value="-"', html)
    return html


def main(out):
    setup_django()
    import datetime as dt

    from django.utils import timezone

    # Ages ("3 小时") and the report's week are written from a fixed clock.
    fixed = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
    timezone.now = lambda: fixed
    from django.contrib.auth import get_user_model
    from django.test import Client
    from http_harness import BENCH_USER

    from tickets.models import Ticket

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    user = get_user_model().objects.get(username=BENCH_USER)
    newest = Ticket.objects.order_by("-id").values_list("id", flat=True).first()
    ids = [newest, newest - 17, newest - 5000, newest - 40000]
    mine = list(
        Ticket.objects.filter(assignee=user).order_by("-id").values_list("id", flat=True)[:2]
    )
    for lang in ("zh-hans", "en"):
        client = Client()
        client.force_login(user)
        client.cookies["django_language"] = lang
        for name, path, params in PAGES:
            r = client.get(path, params)
            (out / f"{lang}-{name}.html").write_text(
                f"{r.status_code}\n" + normalise(r.content.decode())
            )
        # The ticket page, after a list visit (its walk) and without one.
        for i, pk in enumerate(ids + mine):
            client.get("/tickets/", {"status": ""} if i % 2 else {"q": "验证码", "status": ""})
            r = client.get(f"/tickets/{pk}/")
            (out / f"{lang}-ticket-{i}.html").write_text(
                f"{r.status_code}\n" + normalise(r.content.decode())
            )
    print(f"{len(list(out.iterdir()))} pages in {out}")


if __name__ == "__main__":
    main(sys.argv[1])
