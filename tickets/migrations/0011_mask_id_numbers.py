"""Mask the ID-card numbers already stored in free text (issue 12): ticket text
and replies, event notes and replies, labelled examples, import error excerpts.

Carries its own frozen copy of the rule (supportdesk.privacy at the time of
writing), so later changes to that module never change what this does.
"""

import re
from datetime import date

from django.db import migrations
from django.db.models import Q

_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82 83 91".split()
)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_ID18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
CANDIDATES = r"[0-9]{15}"  # a prefilter: only rows with 15 digits in a row can hold one
CHUNK = 500


def _real_date(year, month, day):
    try:
        born = date(year, month, day)
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= date.today()


def _is_id_number(value):
    if value[:2] not in _PROVINCES:
        return False
    if len(value) == 18:
        if not value[:17].isdigit() or not _real_date(
            int(value[6:10]), int(value[10:12]), int(value[12:14])
        ):
            return False
        total = sum(int(d) * w for d, w in zip(value[:17], _WEIGHTS, strict=True))
        return _CHECK[total % 11] == value[17].upper()
    if len(value) == 15 and value.isdigit():
        return _real_date(1900 + int(value[6:8]), int(value[8:10]), int(value[10:12]))
    return False


def _keep_last_4(match):
    value = match.group(0)
    return "*" * (len(value) - 4) + value[-4:] if _is_id_number(value) else value


def mask(text):
    if not text or len(text) < 15:
        return text
    return _ID15.sub(_keep_last_4, _ID18.sub(_keep_last_4, text))


def _rewrite(model, fields, queryset):
    changed = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        before = [getattr(obj, f) for f in fields]
        for field in fields:
            setattr(obj, field, mask(getattr(obj, field)))
        if [getattr(obj, f) for f in fields] != before:
            changed.append(obj)
        if len(changed) >= CHUNK:
            model.objects.bulk_update(changed, fields)
            changed = []
    if changed:
        model.objects.bulk_update(changed, fields)


def mask_stored(apps, schema_editor):
    Ticket = apps.get_model("tickets", "Ticket")
    TicketEvent = apps.get_model("tickets", "TicketEvent")
    LabelledExample = apps.get_model("guide", "LabelledExample")
    ImportRowError = apps.get_model("imports", "ImportRowError")

    _rewrite(
        Ticket,
        ["text", "reply_text"],
        Ticket.objects.filter(Q(text__regex=CANDIDATES) | Q(reply_text__regex=CANDIDATES)),
    )
    _rewrite(LabelledExample, ["text"], LabelledExample.objects.filter(text__regex=CANDIDATES))
    _rewrite(ImportRowError, ["value"], ImportRowError.objects.filter(value__regex=CANDIDATES))

    changed = []
    events = TicketEvent.objects.filter(Q(note__regex=CANDIDATES) | Q(kind="answered"))
    for event in events.iterator(chunk_size=CHUNK):
        note, reply = event.note, (event.data or {}).get("reply")
        event.note = mask(note)
        if isinstance(reply, str):
            event.data = {**event.data, "reply": mask(reply)}
        if event.note != note or (isinstance(reply, str) and event.data["reply"] != reply):
            changed.append(event)
        if len(changed) >= CHUNK:
            TicketEvent.objects.bulk_update(changed, ["note", "data"])
            changed = []
    if changed:
        TicketEvent.objects.bulk_update(changed, ["note", "data"])


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0010_reply_source"),
        ("guide", "0006_keyword_rule_help"),
        ("imports", "0001_import_jobs"),
    ]

    operations = [migrations.RunPython(mask_stored, migrations.RunPython.noop)]
