"""Small helpers every query module shares: rows to a DataFrame column-wise, dates as ISO
text for bulk parsing, IN-list slicing, each group's greatest value, and sums of money that
never overflow."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
import pandas as pd
from sqlalchemy import (
    BigInteger,
    Date,
    Float,
    Select,
    String,
    case,
    cast,
    exists,
    func,
    literal_column,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session

from salesboard.store.models import Opportunity

# Values per IN (...) list: far below every backend's bound-parameter limit.
IN_LIST_SIZE = 900
INT64_MAX = 2**63 - 1
_EXACT_BELOW = 2**62  # a float sum below this cannot hide an int64 overflow


class money_sum(FunctionElement):
    """SUM of an integer column (money in minor units) that never overflows: 0 for no rows,
    exact while the total fits 64 bits, held at the 64-bit limit beyond. SQLite's SUM raises
    "integer overflow" (eleven absurd deals took every page down); TOTAL() adds in floating
    point, exact to 2^53 fen (90 trillion yuan). PostgreSQL's SUM(bigint) is numeric: it is
    clamped into a bigint so both backends hand back the same Python int."""

    type = BigInteger()
    inherit_cache = True
    name = "money_sum"


@compiles(money_sum)
def _money_sum(element, compiler, **kw) -> str:
    total = f"COALESCE(SUM({compiler.process(element.clauses, **kw)}), 0)"
    return f"CAST(LEAST(GREATEST({total}, -{INT64_MAX}), {INT64_MAX}) AS BIGINT)"


@compiles(money_sum, "sqlite")
def _money_sum_sqlite(element, compiler, **kw) -> str:
    # CAST of a REAL beyond the 64-bit range saturates instead of failing.
    return f"CAST(TOTAL({compiler.process(element.clauses, **kw)}) AS INTEGER)"


class minutes_between(FunctionElement):
    """Wall-clock minutes from the second stamp to the first (a float; negative when the
    first is earlier). PostgreSQL subtracts the stamps; SQLite, which keeps them as text,
    through julianday (exact to well under a second)."""

    type = Float()
    inherit_cache = True
    name = "minutes_between"


@compiles(minutes_between)
def _minutes_between(element, compiler, **kw) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"(EXTRACT(EPOCH FROM ({later} - {earlier})) / 60.0)"


@compiles(minutes_between, "sqlite")
def _minutes_between_sqlite(element, compiler, **kw) -> str:
    later, earlier = (compiler.process(c, **kw) for c in element.clauses)
    return f"((julianday({later}) - julianday({earlier})) * 1440.0)"


class days_after(FunctionElement):
    """A date plus a number of days (an ``int`` or an integer column): date arithmetic on
    PostgreSQL, ``date(…, 'N days')`` on SQLite, which keeps dates as ISO text. An ``int``
    is written into the SQL (part of the statement's cache key), not bound."""

    type = Date()
    inherit_cache = True
    name = "days_after"

    def __init__(self, day, days):
        super().__init__(day, literal_column(str(days)) if isinstance(days, int) else days)


@compiles(days_after)
def _days_after(element, compiler, **kw) -> str:
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"({day} + {days})"


@compiles(days_after, "sqlite")
def _days_after_sqlite(element, compiler, **kw) -> str:
    day, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, {days} || ' days')"


class month_start(FunctionElement):
    """The first day of a date's month (NULL for NULL), or, with ``months``, of the month
    that many months later (an ``int`` or an integer column)."""

    type = Date()
    inherit_cache = True
    name = "month_start"

    def __init__(self, day, months=0):
        later = literal_column(str(months)) if isinstance(months, int) else months
        super().__init__(day, later)


@compiles(month_start)
def _month_start(element, compiler, **kw) -> str:
    day, months = (compiler.process(c, **kw) for c in element.clauses)
    # Through a timestamp without time zone: the result cannot depend on the session's.
    start = f"date_trunc('month', CAST({day} AS TIMESTAMP))"
    return f"CAST({start} + make_interval(months => {months}) AS DATE)"


@compiles(month_start, "sqlite")
def _month_start_sqlite(element, compiler, **kw) -> str:
    day, months = (compiler.process(c, **kw) for c in element.clauses)
    return f"date({day}, 'start of month', {months} || ' months')"


class sqlite_unindexed(FunctionElement):
    """A text column as is on PostgreSQL, ``column || ''`` on SQLite: keeps SQLite's planner
    off the column's index where it would pick it over a narrower one (a rep's or a team's
    deals), while PostgreSQL combines both indexes itself."""

    type = String()
    inherit_cache = True
    name = "sqlite_unindexed"


@compiles(sqlite_unindexed)
def _sqlite_unindexed(element, compiler, **kw) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(sqlite_unindexed, "sqlite")
def _sqlite_unindexed_sqlite(element, compiler, **kw) -> str:
    return f"({compiler.process(element.clauses, **kw)} || '')"


def sum_if(condition, value=1):
    """SUM of ``value`` over the rows meeting ``condition`` (a count with the default 1), 0
    for none, never overflowing (``money_sum``)."""
    return money_sum(case((condition, value), else_=0))


def total_minor(values) -> int:
    """The sum of money amounts (minor units) of a column or array, with ``money_sum``'s
    rule: exact while it fits 64 bits, held at the limit beyond (numpy's int64 sum would
    silently wrap round to a negative number)."""
    array = np.asarray(values, dtype=np.int64)
    rough = float(array.sum(dtype=np.float64))
    if abs(rough) < _EXACT_BELOW:
        return int(array.sum())
    return INT64_MAX if rough > 0 else -INT64_MAX


def frame_of(session: Session, query) -> pd.DataFrame:
    """Run ``query`` and return its rows as a DataFrame, built column-wise (building it from
    Row objects costs pandas a per-row attribute probe: half a second at 72k rows)."""
    result = session.execute(query)
    columns = list(result.keys())
    rows = result.all()
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame(dict(zip(columns, values, strict=True)))


def raw_frame_of(session: Session, query) -> pd.DataFrame:
    """``frame_of`` for a query whose columns need no conversion (integers, text — dates
    read as ``iso_date`` text): the driver's tuples go to pandas as they are, without a
    ``Row`` per row (a third of the time at 90k grouped rows)."""
    result = session.execute(query)
    try:
        columns = list(result.keys())
        rows = result.cursor.fetchall()
    finally:
        result.close()
    return pd.DataFrame.from_records(rows, columns=columns)


def iso_date(column, name: str | None = None):
    """A date column as 'YYYY-MM-DD' text: pandas parses that in bulk, where per-row
    conversion to ``date`` objects dominated the query time at 1M opportunities."""
    return cast(column, String).label(name or column.name)


def greatest_per(key, column, *conditions, label: str | None = None) -> Select:
    """``SELECT key, MAX(column) WHERE conditions GROUP BY key``: each group's greatest
    ``column`` (its newest date, latest revision …), named ``label`` when given."""
    greatest = func.max(column)
    return (
        select(key, greatest.label(label) if label else greatest).where(*conditions).group_by(key)
    )


def chunks(values: Sequence, size: int = IN_LIST_SIZE) -> Iterator[Sequence]:
    """``values`` in slices of at most ``size`` (one IN list each)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def id_chunks(ids: Sequence, size: int = IN_LIST_SIZE) -> Iterator[list[int]]:
    """``ids`` as plain ints (numpy integers do not bind), in slices of at most ``size``."""
    yield from chunks([int(i) for i in ids], size)


def has_opportunities(session: Session) -> bool:
    """Whether the store holds any opportunity (an empty store shows its first steps). One
    row looked for, not all counted: a count read every deal (0.18 s at 10M on PostgreSQL,
    on every Overview)."""
    return bool(session.execute(select(exists().where(Opportunity.id.is_not(None)))).scalar())


def with_deal_column(session: Session, rows, column):
    """``(from clause, expression)`` giving each row of ``rows`` (a CTE or subquery of rows
    that belong to a deal: an ``opportunity_id`` column) its deal's ``column`` (an
    opportunity column such as the owner), for grouping many rows by it.

    PostgreSQL: a primary-key seek per row in a scalar subquery, which it never turns into
    a join — joined, it hashed all 10M deals to look up 1.4M stays of a month (stage pace
    3.5 → 2.9 s, collections 2.3 → 1.0 s). SQLite: a join, which it already runs as that seek
    per row, while a scalar subquery it grouped by was evaluated twice per row (stage pace
    at 1M: 0.29 → 0.45 s cold)."""
    table = Opportunity.__table__
    if session.get_bind().dialect.name == "postgresql":
        seek = select(column).where(table.c.id == rows.c.opportunity_id).scalar_subquery()
        return rows, seek
    return rows.join(table, table.c.id == rows.c.opportunity_id), column
