"""Small helpers every query module shares: rows to a DataFrame column-wise, dates as ISO
text for bulk parsing, and IN-list slicing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pandas as pd
from sqlalchemy import String, cast, func, select
from sqlmodel import Session

from salesboard.store.models import Opportunity

# Values per IN (...) list: far below every backend's bound-parameter limit.
IN_LIST_SIZE = 900


def frame_of(session: Session, query) -> pd.DataFrame:
    """Run ``query`` and return its rows as a DataFrame, built column-wise (building it from
    Row objects costs pandas a per-row attribute probe: half a second at 72k rows)."""
    result = session.execute(query)
    columns = list(result.keys())
    rows = result.all()
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame(dict(zip(columns, values, strict=True)))


def iso_date(column, name: str | None = None):
    """A date column as 'YYYY-MM-DD' text: pandas parses that in bulk, where per-row
    conversion to ``date`` objects dominated the query time at 1M opportunities."""
    return cast(column, String).label(name or column.name)


def chunks(values: Sequence, size: int = IN_LIST_SIZE) -> Iterator[Sequence]:
    """``values`` in slices of at most ``size`` (one IN list each)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def id_chunks(ids: Sequence, size: int = IN_LIST_SIZE) -> Iterator[list[int]]:
    """``ids`` as plain ints (numpy integers do not bind), in slices of at most ``size``."""
    yield from chunks([int(i) for i in ids], size)


def opportunity_count(session: Session) -> int:
    """How many opportunities the store holds (0 means the store is empty)."""
    return session.execute(select(func.count()).select_from(Opportunity)).scalar_one()
