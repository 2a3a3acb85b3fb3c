"""Writing the demo council's rows fast, the same rows on SQLite and PostgreSQL.

Building a model object per row and going through ``bulk_create`` was most of the time of
a 100,000-person council; on PostgreSQL each batch was also a round trip. Here rows are
plain values by field (``attname``): on PostgreSQL they go in through ``COPY ... FROM
STDIN`` (psycopg 3's ``cursor.copy``), on SQLite through one ``executemany`` per table.

Rows that others point at carry their ids, handed out here (``ids_from``: the council is
built in one transaction into an empty database), so nothing has to be read back; on
PostgreSQL the table's sequence is then moved past them so the app's own inserts follow on.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone


def _connection() -> BaseDatabaseWrapper:
    return connections[DEFAULT_DB_ALIAS]  # once, not through the thread-local proxy


def ids_from(model: type[models.Model]) -> int:
    """The first id free in ``model``'s table (the rows written here take the next ones)."""
    with _connection().cursor() as cursor:
        cursor.execute(f"SELECT MAX(id) FROM {model._meta.db_table}")  # noqa: S608 - model's name
        (last,) = cursor.fetchone()
    return int(last or 0) + 1


def _field_values(
    model: type[models.Model], given: Sequence[str]
) -> tuple[list[models.Field[Any, Any]], list[Any], list[bool]]:
    """The columns written (every concrete field, the id only if given), each one's value
    when a row leaves it out, and whether its values are used as they are."""
    connection = _connection()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key or f.attname in given]
    now = timezone.now()
    defaults: list[Any] = []
    as_is: list[bool] = []
    for f in fields:
        if getattr(f, "auto_now_add", False) or getattr(f, "auto_now", False):
            default: Any = now
        elif f.primary_key:
            default = None
        else:
            default = f.get_default()
        defaults.append(_prepared(f, default, connection))
        as_is.append(not isinstance(f, models.DateTimeField | models.JSONField))
    return fields, defaults, as_is


def _prepared(field: models.Field[Any, Any], value: Any, connection: BaseDatabaseWrapper) -> Any:
    """A value as the database takes it. JSON is written as text the same way on both
    databases (PostgreSQL parses it into ``jsonb``)."""
    if value is None:
        return None
    if isinstance(field, models.JSONField):
        return json.dumps(value, cls=field.encoder)
    if isinstance(field, models.DateTimeField):
        return field.get_db_prep_save(value, connection)
    return value


def rows_insert(model: type[models.Model], rows: Iterable[Mapping[str, Any]]) -> int:
    """Insert ``rows`` (values by field ``attname``; a field left out takes its default, an
    ``auto_now`` field the time now) in the order given. Returns how many."""
    columns, values = rows_values(model, list(rows))
    if values:
        values_insert(model, columns, values)
    return len(values)


def rows_values(
    model: type[models.Model], rows: list[Mapping[str, Any]]
) -> tuple[list[str], list[Any]]:
    """The columns and the values, as the database takes them, of ``rows``."""
    if not rows:
        return [], []
    connection = _connection()
    fields, defaults, as_is = _field_values(model, list(rows[0]))
    names = [f.attname for f in fields]
    base = dict(zip(names, defaults, strict=True))
    take = itemgetter(*names)
    # Values a row gives that need preparing (JSON, times): by position in the row.
    prepare = [(i, f) for i, (f, plain) in enumerate(zip(fields, as_is, strict=True)) if not plain]
    values: list[Any] = []
    for row in rows:
        value = take({**base, **row})
        if prepare:
            value = list(value)
            for i, f in prepare:
                if names[i] in row:
                    value[i] = _prepared(f, value[i], connection)
        values.append(value)
    return [str(f.column) for f in fields], values


def values_insert(
    model: type[models.Model], columns: Sequence[str], values: Iterable[Sequence[Any]]
) -> None:
    """Insert rows of values already as the database takes them, in ``columns``."""
    connection = _connection()
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row(row)
            if "id" in columns:
                for sql in connection.ops.sequence_reset_sql(no_style(), [model]):
                    cursor.execute(sql)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(
                f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - model's names
                values if isinstance(values, list) else list(values),
            )


def tables_analyze(*tables: type[models.Model]) -> None:
    """Statistics for tables just filled, before this transaction reads them back: without
    them PostgreSQL plans a join as if the tables were empty, and the plans' read of people
    with their carers and representatives took 30 s or more a chunk at 100,000 people.
    (SQLite plans those reads well without; ``generate_demo`` analyses everything at the end.)"""
    connection = _connection()
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(t._meta.db_table for t in tables))
