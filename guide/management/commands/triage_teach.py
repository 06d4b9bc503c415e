"""`manage.py triage_teach FILE.jsonl|FILE.csv [--dry-run]`: labelled messages
(last season's labelled tickets, say) become examples the engine learns from.

JSONL: the format of dev.jsonl (`text, category, route[, also]`). CSV: the same
headers, or 原话/考生原话, 分类/问题分类, 处理方式[, 其他问题]. Every line is
checked first; a bad line is reported with its number and reason and nothing
is loaded (all or nothing). Texts already labelled are skipped. Then the model
is refitted once (unless --no-retrain) and every process picks it up within 2 s.
"""

import csv
import json

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from guide.models import FaqCategory, LabelledExample, Route
from supportdesk.privacy import mask_id_numbers

HEADERS = {
    "text": ("text", "原话", "考生原话", "消息"),
    "category": ("category", "分类", "问题分类"),
    "route": ("route", "处理方式", "路由"),
    "also": ("also", "其他问题"),
}
MAX_TEXT = 4000


def _rows_of(path):
    """(line number, dict) of each record; OSError / ValueError for an unreadable file."""
    with open(path, encoding="utf-8-sig", newline="") as stream:
        if path.lower().endswith(".csv"):
            reader = csv.DictReader(stream)
            names = {}
            for field in reader.fieldnames or []:
                for key, accepted in HEADERS.items():
                    if field.strip().lower() in accepted:
                        names[field] = key
            missing = {"text", "category", "route"} - set(names.values())
            if missing:
                raise ValueError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            for record in reader:
                yield reader.line_num, {names[k]: v for k, v in record.items() if k in names}
        else:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    try:
                        record = json.loads(line)
                    except ValueError:
                        yield number, None
                        continue
                    yield number, record


class Command(BaseCommand):
    help = "Loads labelled messages (JSONL or CSV) as examples the triage engine learns from."

    def add_arguments(self, parser):
        parser.add_argument("file", help="FILE.jsonl or FILE.csv")
        parser.add_argument("--dry-run", action="store_true", help="check and count, load nothing")
        parser.add_argument("--no-retrain", action="store_true", help="do not refit the model")

    def handle(self, *args, file, dry_run, no_retrain, **options):
        codes = set(FaqCategory.objects.values_list("code", flat=True))
        known = set(LabelledExample.objects.values_list("text", flat=True))
        good, errors, duplicates = [], [], 0
        try:
            for number, record in _rows_of(file):
                reason = self._check(record, codes)
                if reason:
                    errors.append(f"line {number}: {reason}")
                    continue
                # never an ID-card number in an example
                text = mask_id_numbers(str(record["text"]).strip())[:MAX_TEXT]
                if text in known:
                    duplicates += 1
                    continue
                known.add(text)
                good.append(
                    LabelledExample(
                        text=text,
                        category=record["category"].strip(),
                        route=record["route"].strip(),
                        source=LabelledExample.Source.IMPORT,
                    )
                )
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise CommandError(str(error)) from error
        for line in errors:
            self.stderr.write(line)
        if errors:
            raise CommandError(f"{len(errors)} bad line(s): nothing loaded")
        if not dry_run:
            with transaction.atomic():
                LabelledExample.objects.bulk_create(good, batch_size=500)
                if good and not no_retrain:
                    from guide.tasks import request_refit

                    request_refit(background=False)
        verb = "would load" if dry_run else "loaded"
        self.stdout.write(
            f"{verb} {len(good)} labelled example(s), skipped {duplicates} duplicate(s)"
        )

    @staticmethod
    def _check(record, codes) -> str | None:
        if not isinstance(record, dict):
            return "not a JSON object"
        text = record.get("text")
        if not isinstance(text, str) or not text.strip():
            return "empty text"
        category = record.get("category")
        if not isinstance(category, str) or category.strip() not in codes:
            return f"unknown category {category!r}"
        route = record.get("route")
        if not isinstance(route, str) or route.strip() not in Route.values:
            return f"unknown route {route!r}"
        if category.strip() == "other" and route.strip() != Route.MANUAL:
            return "category other is always routed manual"
        return None
