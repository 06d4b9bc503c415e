"""Ticket.other_phrases: the phrases a ticket suggested "other" adds to the
report's list (reports.phrases.candidates), filled for the tickets already
written. A frozen copy of version 1 of that rule: what it gave on the day
this migration was written (tests/reports/test_phrases.py compares them)."""

import re

from django.db import migrations, models

VERSION = 1
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]{1,30}")
_PARTICLE = re.compile("[的了吗呢吧啊]")
STOP_WORDS = frozenset(
    "the and app ok hi hello please my is to of in it for can not how what cannot me you an "
    "on at do does my with this that am are be".split()
)


def candidates(text: str) -> dict:
    grams = {
        part[i : i + size]
        for run in _CJK_RUN.findall(text or "")
        for part in _PARTICLE.split(run)
        for size in (2, 3, 4)
        for i in range(len(part) - size + 1)
    }
    written = [word.strip(".-+") for word in _WORD.findall(text or "")]
    grams.update(w.lower() for w in written if len(w) >= 2 and w.lower() not in STOP_WORDS)
    return {"v": VERSION, "g": sorted(grams), "w": written}


def fill(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    stale = Ticket.objects.filter(suggested_category="other", other_phrases__isnull=True)
    last = 0
    while True:
        rows = list(stale.filter(pk__gt=last).order_by("pk").only("pk", "text")[:2000])
        if not rows:
            return
        for ticket in rows:
            ticket.other_phrases = candidates(ticket.text)
        Ticket.objects.bulk_update(rows, ["other_phrases"])
        last = rows[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0013_idempotent_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="other_phrases",
            field=models.JSONField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
