"""An import run: the file's rows read, checked, triaged and written batch by batch.

Each batch is written in its own transaction together with the job's resume
point (`writing.write_batch`), so a crash leaves whole batches or nothing and a
resumed job skips the rows already done. Every row has a stable key
(`rows.row_key`) stored in Ticket.source_key: importing the same row twice
adds nothing. With a worker process, batch N is triaged while batch N-1 is
written.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, reset_queries
from django.utils import timezone

from imports import triaging
from imports.models import ImportJob
from imports.reading import ImportFileError, cell_text, map_header, open_rows
from imports.rows import ParsedRow, RowParser, RowProblem
from imports.writing import write_batch
from tickets.models import Ticket

BATCH_SIZE = 1000
# Row problems kept per job (stored, or held by a dry run); the rest are only
# counted, so a file of two million bad rows cannot fill the database.
MAX_STORED_PROBLEMS = 1000


@dataclass
class Summary:
    rows: int = 0
    created: int = 0
    duplicates: int = 0
    errors: int = 0
    blank: int = 0
    # Dry run only: a real run stores them as ImportRowError rows. At most
    # MAX_STORED_PROBLEMS; `problems_dropped` counts the rest.
    problems: list[RowProblem] = field(default_factory=list)
    problems_dropped: int = 0


class Importer:
    """One pass over a file for a job (or a dry run), from its resume point on."""

    def __init__(
        self, job: ImportJob, *, user=None, dry_run=False, batch_size=BATCH_SIZE, workers=0
    ):
        self.job = job
        self.user = user if user is not None and user.is_authenticated else None
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.workers = workers
        self.summary = Summary()
        self._dry_seen: set[bytes] = set()
        self._pool = None
        self._pending = None
        self._problems_kept = 0 if dry_run else job.row_errors.count()

    def run(self, path) -> Summary:
        source = open_rows(path)
        try:
            mapping, ignored = map_header(source.header)
            parser = RowParser(mapping, self.job.default_channel)
            if not self.dry_run:
                ImportJob.objects.filter(pk=self.job.pk).update(
                    file_format=source.file_format,
                    encoding=source.encoding,
                    rows_total=source.rows_total,
                    ignored_columns=ignored,
                    column_headers={
                        column: cell_text(source.header[index]) for column, index in mapping.items()
                    },
                )
            if self.workers:
                self._pool = triaging.start_worker()
            skip = self.job.rows_done if not self.dry_run else 0
            batch_rows: list[ParsedRow] = []
            batch_problems: list[RowProblem] = []
            batch_blank = 0
            batch_read = 0
            broken = None
            try:
                for index, (number, cells) in enumerate(source.rows, start=1):
                    if index <= skip:
                        continue
                    batch_read += 1
                    if all(cell_text(c) == "" for c in cells):
                        batch_blank += 1
                    else:
                        parsed = parser.parse(number, parser.cells(cells))
                        if isinstance(parsed, list):
                            batch_problems.extend(parsed)
                        else:
                            batch_rows.append(parsed)
                    if batch_read >= self.batch_size:
                        self._submit(batch_rows, batch_problems, batch_read, batch_blank)
                        batch_rows, batch_problems, batch_blank, batch_read = [], [], 0, 0
            except ImportFileError as exc:
                # The file breaks off here: keep every row read before it.
                broken = exc
            if batch_read:
                self._submit(batch_rows, batch_problems, batch_read, batch_blank)
            if self._pending:
                self._finish(*self._pending)
                self._pending = None
            if broken is not None:
                raise broken
        finally:
            source.close()
            if self._pool is not None:
                self._pool.terminate()
                self._pool = None
        return self.summary

    def _submit(self, rows, problems, read, blank):
        """Start triaging this batch, then write the previous one."""
        # Rows already in the database (a re-import, a resume) skip the triage;
        # write_batch checks again inside its transaction.
        known = set(
            Ticket.objects.filter(source_key__in=[r.key for r in rows]).values_list(
                "source_key", flat=True
            )
        )
        texts = [row.text for row in rows if row.key not in known]
        result = triaging.triage_async(self._pool, texts)
        if self._pending:
            self._finish(*self._pending)
        self._pending = (rows, problems, read, blank, known, result)

    def _finish(self, rows, problems, read, blank, known, result):
        # Under DEBUG, Django keeps every SQL string; 1,000-row INSERTs add up.
        reset_queries()
        now = timezone.now()
        error_rows = len({p.number for p in problems})
        room = max(MAX_STORED_PROBLEMS - self._problems_kept, 0)
        kept, dropped = problems[:room], len(problems) - min(room, len(problems))
        self._problems_kept += len(kept)
        suggestions = iter(result.get())
        triaged = [(row, None if row.key in known else next(suggestions)) for row in rows]
        if self.dry_run:
            created = 0
            for row in rows:
                digest = bytes.fromhex(row.key)[:16]
                if row.key in known or digest in self._dry_seen:
                    continue
                self._dry_seen.add(digest)
                created += 1
            self.summary.problems.extend(kept)
            self.summary.problems_dropped += dropped
        else:
            for attempt in range(3):
                try:
                    created = write_batch(
                        self.job,
                        self.user.pk if self.user else None,
                        triaged,
                        kept,
                        read=read,
                        blank=blank,
                        error_rows=error_rows,
                        now=now,
                    )
                    break
                except IntegrityError:
                    # Another import wrote one of these keys between our check
                    # and our insert: check again.
                    if attempt == 2:
                        raise
        self.summary.rows += read
        self.summary.created += created
        self.summary.duplicates += len(rows) - created
        self.summary.errors += error_rows
        self.summary.blank += blank
