"""Bulk statements for imports: explicit ids, multi-row inserts and updates through the
driver (executemany on SQLite, COPY on PostgreSQL), inside the caller's transaction.

The ORM and SQLAlchemy's per-value bind processing cost more than the database itself at
a million rows; here values are converted once per column (dates to ISO text on SQLite,
as SQLAlchemy stores them) and handed to the driver as tuples.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import chain, islice
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Index, Table, func, inspect, select

from salesboard.store import rollups

CHUNK = 20_000
LOAD_SLICE = 100_000  # rows converted to Python values at a time
# Loading at least this many rows into a table rebuilds its secondary indexes afterwards
# (when the table held fewer rows than that before): much faster than updating them row
# by row. The unique index on the business key always stays.
REBUILD_INDEXES_FROM = 50_000
SQLITE_MAX_PARAMS = 30_000  # bound parameters per statement (SQLite allows 32,766)


def _sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


class Constant:
    """A column every row shares: converted once, repeated."""

    def __init__(self, value: Any, n: int) -> None:
        self.value, self.n = value, n

    def __len__(self) -> int:
        return self.n


def column_values(values: Any, sqlite: bool) -> list[Any]:
    """One column as driver-ready Python values (None for missing)."""
    if isinstance(values, Constant):
        value = _sqlite_value(values.value) if sqlite else values.value
        return [value] * values.n
    if isinstance(values, pd.Series):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            values = values.dt.tz_convert(None)
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            values = values.to_numpy(dtype="datetime64[D]")
        else:
            values = values.to_numpy(dtype=object, na_value=None)
    if isinstance(values, np.ndarray):
        if np.issubdtype(values.dtype, np.datetime64):
            days = values.astype("datetime64[D]")
            missing = np.isnat(days)
            if sqlite:
                text = np.datetime_as_string(days, unit="D").astype(object)
                text[missing] = None
                return text.tolist()
            out = days.astype(object)
            out[missing] = None
            return out.tolist()
        values = values.tolist()
    values = list(values)
    if sqlite and _needs_conversion(values):
        return [_sqlite_value(v) for v in values]
    return values


def _needs_conversion(values: list[Any]) -> bool:
    """Whether a column holds values sqlite3 cannot bind (dates, Decimals), judged by its
    first value that is not None."""
    for value in values:
        if value is not None:
            return isinstance(value, date | Decimal)
    return False


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)  # as SQLAlchemy binds Numeric on SQLite
    return value


def constant(value: Any, n: int) -> Constant:
    """``value`` for each of ``n`` rows (a column every row shares)."""
    return Constant(value, n)


def allocate_ids(conn: Connection, table: Table, n: int) -> np.ndarray:
    """``n`` fresh primary keys for ``table``: the next ids on SQLite (the write lock is
    held, no one else can take them), ``n`` values of the id sequence on PostgreSQL."""
    if n == 0:
        return np.empty(0, dtype=np.int64)
    if _sqlite(conn):
        top = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
        return np.arange(top + 1, top + 1 + n, dtype=np.int64)
    name = conn.dialect.identifier_preparer.quote(table.name)
    rows = conn.exec_driver_sql(
        f"SELECT nextval(pg_get_serial_sequence('{name}', 'id')) FROM generate_series(1, {int(n)})"
    ).scalars()
    return np.fromiter(rows, dtype=np.int64, count=n)


def insert_columns(conn: Connection, table: Table, columns: Mapping[str, Any]) -> int:
    """Insert the rows given column-wise (equal lengths); returns the row count."""
    names = list(columns)
    if not names:
        return 0
    count = len(columns[names[0]])
    if count == 0:
        return 0
    sqlite = _sqlite(conn)
    cursor = conn.connection.dbapi_connection.cursor()
    quote = conn.dialect.identifier_preparer.quote
    column_list = ", ".join(quote(n) for n in names)
    head = f"INSERT INTO {quote(table.name)} ({column_list}) VALUES "
    try:
        # Converted slice by slice: a million rows never exist as Python objects at once.
        for start in range(0, count, LOAD_SLICE):
            lists = [column_values(_slice(columns[n], start), sqlite) for n in names]
            if sqlite:
                _sqlite_insert(cursor, head, lists)
            else:
                with cursor.copy(f"COPY {quote(table.name)} ({column_list}) FROM STDIN") as copy:
                    for row in zip(*lists, strict=True):
                        copy.write_row(row)
    finally:
        cursor.close()
    return count


def _slice(values: Any, start: int) -> Any:
    if isinstance(values, Constant):
        return Constant(values.value, min(LOAD_SLICE, values.n - start))
    if isinstance(values, pd.Series):
        return values.iloc[start : start + LOAD_SLICE]
    return values[start : start + LOAD_SLICE]


def _sqlite_insert(cursor, head: str, lists: list[list[Any]]) -> None:
    """Rows as multi-row VALUES statements (a third faster than one row per statement),
    within SQLite's limit of bound parameters."""
    width = len(lists)
    per = max(1, min(400, SQLITE_MAX_PARAMS // width))
    one = "(" + ", ".join("?" * width) + ")"
    many = head + ", ".join([one] * per)
    rows = zip(*lists, strict=True)
    while chunk := list(islice(rows, per * 100)):
        full = len(chunk) // per * per
        cursor.executemany(
            many, [tuple(chain.from_iterable(chunk[i : i + per])) for i in range(0, full, per)]
        )
        if full < len(chunk):
            rest = chunk[full:]
            cursor.execute(head + ", ".join([one] * len(rest)), tuple(chain.from_iterable(rest)))


def update_columns(
    conn: Connection, table: Table, ids: Sequence[int], columns: Mapping[str, Any], *,
    where_version: Sequence[int] | None = None,
) -> int:  # fmt: skip
    """``UPDATE table SET col = … WHERE id = …`` for each row (optionally also ``AND
    version = …``); returns how many rows matched."""
    names = list(columns)
    if not len(ids) or not names:
        return 0
    sqlite = _sqlite(conn)
    mark = "?" if sqlite else "%s"
    quote = conn.dialect.identifier_preparer.quote
    sets = ", ".join(f"{quote(n)} = {mark}" for n in names)
    sql = f"UPDATE {quote(table.name)} SET {sets} WHERE id = {mark}"
    lists = [column_values(columns[n], sqlite) for n in names]
    lists.append([int(i) for i in ids])
    if where_version is not None:
        sql += f" AND version = {mark}"
        lists.append([int(v) for v in where_version])
    cursor = conn.connection.dbapi_connection.cursor()
    matched = 0
    try:
        rows = list(zip(*lists, strict=True))
        for start in range(0, len(rows), CHUNK):
            part = rows[start : start + CHUNK]
            if sqlite:
                cursor.executemany(sql, part)
                matched += cursor.rowcount
            else:
                for row in part:  # psycopg pipelines executemany; rowcount is per statement
                    cursor.execute(sql, row)
                    matched += cursor.rowcount
    finally:
        cursor.close()
    return matched


def delete_ids(conn: Connection, table: Table, ids: Sequence[int], column: str = "id") -> int:
    """Delete rows whose ``column`` is one of ``ids``; returns the count deleted."""
    deleted = 0
    values = [int(i) for i in ids]
    for start in range(0, len(values), 900):
        result = conn.execute(
            table.delete().where(table.c[column].in_(values[start : start + 900]))
        )
        deleted += result.rowcount
    return deleted


@contextmanager
def loading(conn: Connection, table: Table, rows: int) -> Iterator[None]:
    """Around a load of ``rows`` rows: drop ``table``'s secondary indexes first and rebuild
    them after, when the load is large against the table (``REBUILD_INDEXES_FROM``). A load
    inside a larger one of the same table (a chunk of a chunked import) leaves the indexes
    and the settings to the outer one."""
    loads = conn.info.setdefault("salesboard.loading", set())
    if table.name in loads:
        yield
        return
    loads.add(table.name)
    try:
        with _loading(conn, table, rows):
            yield
    finally:
        loads.discard(table.name)


@contextmanager
def loading_all(conn: Connection, loads: Mapping[Table, int]) -> Iterator[None]:
    """``loading`` of several tables around one block (rows per table): their indexes and
    the rollup triggers are dealt with once for all of them."""
    with ExitStack() as stack:
        for table, rows in loads.items():
            stack.enter_context(loading(conn, table, rows))
        yield


@contextmanager
def _loading(conn: Connection, table: Table, rows: int) -> Iterator[None]:
    dropped: list[Index] = []
    # SQLite keeps its default page cache and sorts single-threaded: on the 1M-deal store
    # the biggest index builds took 8.6 s so, 12.8 s with 512 MiB and two threads, and
    # that cache is resident memory (it put a 1M-row import over 1 GB).
    if rows >= REBUILD_INDEXES_FROM and not _sqlite(conn):
        # Index builds sort in memory instead of temporary files (this transaction only).
        conn.exec_driver_sql("SET LOCAL maintenance_work_mem = '256MB'")
    with ExitStack() as paused:
        if rows >= REBUILD_INDEXES_FROM:
            present = conn.execute(select(func.count()).select_from(table)).scalar_one()
            if present < rows:
                if table.name in rollups.WATCHED_TABLES:
                    # The rollup triggers seek a deal's stays by the index dropped here:
                    # paused, and the rollups rebuilt once when the indexes are back.
                    paused.enter_context(rollups.triggers_paused(conn))
                existing = {ix["name"] for ix in inspect(conn).get_indexes(table.name)}
                for index in sorted(table.indexes, key=lambda ix: str(ix.name)):
                    if not index.unique and index.name in existing:
                        index.drop(conn)
                        dropped.append(index)
        yield
        # Not in a ``finally``: after a failure the transaction rolls back, restoring them.
        for index in dropped:
            index.create(conn)


def id_ranges(ids: np.ndarray) -> list[tuple[int, int]]:
    """Sorted ids as inclusive (first, last) runs: [1,2,3,7] -> [(1,3), (7,7)]."""
    if not len(ids):
        return []
    ordered = np.sort(np.asarray(ids, dtype=np.int64))
    breaks = np.flatnonzero(np.diff(ordered) != 1)
    starts = np.r_[ordered[0], ordered[breaks + 1]]
    ends = np.r_[ordered[breaks], ordered[-1]]
    return list(zip(starts.tolist(), ends.tolist(), strict=True))
