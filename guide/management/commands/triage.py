"""`manage.py triage "text"` or `manage.py triage --jsonl FILE|-`."""

import io
import json
import sys

from django.core.management.base import BaseCommand, CommandError

from guide.triage import suggest


class Command(BaseCommand):
    help = (
        "Suggests the FAQ category and route of a candidate's message (or of a JSONL file of them)."
    )

    def add_arguments(self, parser):
        parser.add_argument("text", nargs="?", help="the message, as the candidate wrote it")
        parser.add_argument(
            "--jsonl",
            metavar="FILE",
            help='read {"id", "text"} objects one a line from FILE ("-" for standard input)',
        )

    def handle(self, *args, text=None, jsonl=None, **options):
        if (text is None) == (jsonl is None):
            raise CommandError("give either a text or --jsonl FILE (not both)")
        out = getattr(self.stdout, "_out", None)
        encoding = (getattr(out, "encoding", None) or "utf-8").lower().replace("-", "")
        self.ascii_only = encoding != "utf8"  # JSON \u escapes rather than a crash in a C locale
        if self.ascii_only and hasattr(out, "reconfigure"):
            out.reconfigure(errors="backslashreplace")
        if text is not None:
            # an argument that a C locale left as undecoded bytes is UTF-8
            text = text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
            self._print_one(text)
            return
        try:
            stream = _stdin() if jsonl == "-" else open(jsonl, encoding="utf-8", errors="replace")
        except OSError as error:
            raise CommandError(f"cannot read {jsonl}: {error.strerror}") from error
        with stream if jsonl != "-" else _nullcontext(stream):
            failed = self._run_jsonl(stream)
        if failed:
            raise CommandError(f"{failed} line(s) failed", returncode=1)

    def _run_jsonl(self, stream) -> int:
        failed = 0
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            record, error = _parse(line)
            if error:
                failed += 1
                out = {"id": record.get("id") if record else None, "line": number, "error": error}
            else:
                result = suggest(record["text"])
                out = {
                    "id": record.get("id"),
                    "category": result.category,
                    "route": result.route,
                    "also": result.also,
                    "confidence": result.confidence,
                    "needs_review": result.needs_review,
                    "evidence": result.evidence,
                }
            self.stdout.write(json.dumps(out, ensure_ascii=self.ascii_only))
        return failed

    def _print_one(self, text: str) -> None:
        result = suggest(text)
        self.stdout.write(f"category:   {result.category}")
        self.stdout.write(f"route:      {result.route}")
        review = "  (请核对: needs review)" if result.needs_review else ""
        self.stdout.write(f"confidence: {result.confidence:.2f}{review}")
        self.stdout.write(f"also:       {', '.join(result.also) or '-'}")
        self.stdout.write(f"evidence:   {' | '.join(result.evidence) or '-'}")
        ranked = ", ".join(f"{code} {score:g}" for code, score in result.ranked) or "-"
        self.stdout.write(f"ranked:     {ranked}")
        self.stdout.write("reply:")
        self.stdout.write(f"  {result.reply or '(none: a person handles it)'}")


def _stdin():
    # UTF-8 whatever the locale; a broken byte spoils one line, not the run
    raw = getattr(sys.stdin, "buffer", None)
    if raw is None:
        return sys.stdin
    return io.TextIOWrapper(raw, encoding="utf-8", errors="replace")


def _parse(line: str):
    try:
        record = json.loads(line)
    except ValueError as error:
        return None, f"not JSON: {error}"
    if not isinstance(record, dict):
        return None, "not a JSON object"
    if not isinstance(record.get("text"), str):
        return record, 'missing "text" (a string)'
    return record, None


class _nullcontext:
    def __init__(self, value):
        self.value = value

    def __enter__(self):
        return self.value

    def __exit__(self, *exc):
        return False
