"""Writing a batch of imported rows: tickets, their events, the bad rows and
the job's resume point, in one transaction, with multi-row INSERTs."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from imports.models import ImportJob, ImportRowError
from tickets import events
from tickets.models import Status, Ticket, TicketEvent
from tickets.validation import ticket_values


def write_batch(job, user_id, triaged, problems, *, read, blank, error_rows, now) -> int:
    """One batch in one transaction, with the job's resume point: whole or nothing.

    `triaged` is (ParsedRow, suggestion) pairs, the suggestion None for a row
    already in the database. Returns how many tickets were created.
    """
    with transaction.atomic():
        keys = [row.key for row, _s in triaged]
        existing = set(
            Ticket.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
        )
        fresh = []
        for row, suggestion in triaged:
            if row.key in existing or suggestion is None:
                continue
            existing.add(row.key)  # a repeat inside the batch is a duplicate too
            fresh.append((row, suggestion))
        inserted = RawInsert(Ticket, returning=("id", "source_key"))(
            [_ticket_values(row, suggestion, user_id, now) for row, suggestion in fresh]
        )
        ids = dict((key, pk) for pk, key in inserted)
        RawInsert(TicketEvent)(
            [
                events.created_values(
                    ticket_id=ids[row.key],
                    actor_id=user_id,
                    created_at=now,
                    channel=row.channel,
                    category=suggestion.category,
                    route=suggestion.route,
                    confidence=suggestion.confidence,
                    import_job=job.pk,
                    row=row.number,
                )
                for row, suggestion in fresh
            ]
        )
        ImportRowError.objects.bulk_create(
            [
                ImportRowError(
                    job=job,
                    row_number=p.number,
                    column=p.column,
                    reason=p.reason[:300],
                    value=p.value[:200],
                )
                for p in problems
            ]
        )
        ImportJob.objects.filter(pk=job.pk).update(
            rows_done=F("rows_done") + read,
            created_count=F("created_count") + len(fresh),
            duplicate_count=F("duplicate_count") + len(triaged) - len(fresh),
            error_count=F("error_count") + error_rows,
            blank_count=F("blank_count") + blank,
            updated_at=now,
        )
    return len(fresh)


def _ticket_values(row, suggestion, user_id, now) -> dict:
    # The values ticket_create gives a ticket, from the same function; the row
    # was validated by RowParser with the same rules, without per-row queries.
    values = ticket_values(
        text=row.text,
        channel=row.channel,
        candidate_number=row.candidate_number,
        candidate_name=row.candidate_name,
        contact_phone=row.contact_phone,
        contact_email=row.contact_email,
        contact_wechat=row.contact_wechat,
        suggestion=suggestion,
    )
    values.update(
        college_id=row.college_id,
        status=Status.NEW.value,
        created_by_id=user_id,
        created_at=row.created_at or now,
        updated_at=now,
        source_key=row.key,
    )
    return values


class RawInsert:
    """Multi-row INSERT ... RETURNING for one model, from dicts of attname -> value.

    bulk_create compiles each value through several layers per field; at
    100,000 rows that was a third of the import's CPU time. Values are
    prepared here once per field kind: date-times and JSON through the
    field itself (so each backend gets its own format), the rest as given.
    """

    def __init__(self, model, returning=()):
        from django.db import connection

        self.connection = connection
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        self.head = f"INSERT INTO {table} ({columns}) VALUES "
        self.tail = (" RETURNING " + ", ".join(quote(c) for c in returning)) if returning else ""
        self.row_sql = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        # SQLite allows 32,766 variables a statement; stay well under it.
        self.rows_per_statement = max(1, min(500, 20_000 // len(self.fields)))
        # For a column the row does not give: the field's default, else NULL / "".
        self.missing = {
            f.attname: f.get_default if f.has_default() else (lambda v=None if f.null else "": v)
            for f in self.fields
        }
        self.prepare = [
            (lambda v, f=f: f.get_db_prep_save(v, connection))
            if f.get_internal_type() in ("DateTimeField", "JSONField")
            else _plain
            for f in self.fields
        ]

    PG_TYPES = {
        "CharField": "text",
        "TextField": "text",
        "EmailField": "text",
        "SlugField": "text",
        "ForeignKey": "bigint",
        "BigIntegerField": "bigint",
        "IntegerField": "bigint",
        "PositiveIntegerField": "bigint",
        "FloatField": "float8",
        "BooleanField": "boolean",
        "DateTimeField": "timestamptz",
        "JSONField": "jsonb",
    }

    def _postgres(self, rows: list[dict]) -> list[tuple]:
        """One statement with one array per column: psycopg's client-side
        binding re-parses a query per call, and a 500-row VALUES list is long."""
        import json

        columns = [[] for _f in self.fields]
        casts = []
        for f in self.fields:
            kind = f.get_internal_type()
            casts.append(self.PG_TYPES[kind])
        for values in rows:
            for column, f in zip(columns, self.fields, strict=True):
                name = f.attname
                value = values[name] if name in values else self.missing[name]()
                if f.get_internal_type() == "JSONField":
                    value = None if value is None else json.dumps(value, cls=f.encoder)
                column.append(_plain(value))
        names = [f"c{i}" for i in range(len(self.fields))]
        select = ", ".join(
            f"{n}::jsonb" if cast == "jsonb" else n for n, cast in zip(names, casts, strict=True)
        )
        arrays = ", ".join("%s::text[]" if cast == "jsonb" else f"%s::{cast}[]" for cast in casts)
        sql = (
            self.head.replace(" VALUES ", " ")
            + f"SELECT {select} FROM unnest({arrays}) AS u({', '.join(names)})"
            + self.tail
        )
        with self.connection.cursor() as cursor:
            cursor.execute(sql, columns)
            return cursor.fetchall() if self.tail else []

    def __call__(self, rows: list[dict]) -> list[tuple]:
        if not rows:
            return []
        if self.connection.vendor == "postgresql":
            return self._postgres(rows)
        returned = []
        with self.connection.cursor() as cursor:
            for start in range(0, len(rows), self.rows_per_statement):
                chunk = rows[start : start + self.rows_per_statement]
                params = []
                for values in chunk:
                    for f, prepare in zip(self.fields, self.prepare, strict=True):
                        name = f.attname
                        params.append(
                            prepare(values[name] if name in values else self.missing[name]())
                        )
                sql = self.head + ", ".join([self.row_sql] * len(chunk)) + self.tail
                cursor.execute(sql, params)
                if self.tail:
                    returned.extend(cursor.fetchall())
        return returned


def _plain(value):
    # TextChoices members are str subclasses; some drivers adapt enums by name.
    if isinstance(value, str) and type(value) is not str:
        return str(value.value) if hasattr(value, "value") else str(value)
    return value
