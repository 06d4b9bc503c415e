"""Multi-row INSERTs without bulk_create's per-value overhead, for the bulk
paths (the importer's batches and the "created" events they record through
tickets.events)."""

from collections.abc import Callable
from typing import Any

from django.db import connection, models


class RawInsert:
    """Multi-row INSERT ... RETURNING for one model, from dicts of attname -> value.

    bulk_create compiles each value through several layers per field; at
    100,000 rows that was a third of the import's CPU time. Values are
    prepared here once per field kind: date-times and JSON through the
    field itself (so each backend gets its own format), the rest as given.
    """

    def __init__(self, model: type[models.Model], returning: tuple[str, ...] = ()) -> None:
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
        self.missing = {f.attname: _missing(f) for f in self.fields}
        self.prepare = [_preparer(f) for f in self.fields]

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

        columns: list[list] = [[] for _f in self.fields]
        casts = []
        for f in self.fields:
            kind = f.get_internal_type()
            casts.append(self.PG_TYPES[kind])
        for values in rows:
            for column, f in zip(columns, self.fields, strict=True):
                name = f.attname
                value = values[name] if name in values else self.missing[name]()
                if f.get_internal_type() == "JSONField":
                    value = None if value is None else json.dumps(value, cls=encoder(f))
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

    def __call__(self, rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
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


def _missing(f: Any) -> Callable[[], Any]:
    """For a column the row does not give: the field's default, else NULL / ""."""
    if f.has_default():
        return f.get_default
    empty = None if f.null else ""
    return lambda: empty


def _preparer(f: Any) -> Callable[[Any], Any]:
    """Date-times and JSON through the field itself, the rest as given."""
    if f.get_internal_type() in ("DateTimeField", "JSONField"):
        return lambda value: f.get_db_prep_save(value, connection)
    return _plain


def encoder(f: Any) -> Any:
    return getattr(f, "encoder", None)  # a JSONField's, None for the default
