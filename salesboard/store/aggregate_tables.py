"""Comparing an aggregate table kept by triggers with its recomputation from the rows, and
refilling it: shared by ``store.open_pipeline`` and ``store.action_rollup``."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, Select, Table, delete, func, insert, or_, select


def differing_rows(
    conn: Connection, table: Table, key: Sequence[str], values: Sequence[str], expected: Select
) -> int:
    """How many rows of ``table`` differ from ``expected`` (a SELECT of ``key`` + ``values``
    with no all-zero row); stored rows whose ``values`` are all zero, left by writes that
    took back what they added, equal missing rows. Compared in the database (``EXCEPT``
    both ways): only the counts come back."""
    stored = select(*(table.c[c] for c in (*key, *values))).where(
        or_(*(table.c[v] != 0 for v in values))
    )
    wanted = select(*expected.subquery().c)
    # Each EXCEPT on its own: SQLite allows no parenthesised compound inside another.
    return sum(
        int(conn.execute(select(func.count()).select_from(side.subquery())).scalar_one())
        for side in (stored.except_(wanted), wanted.except_(stored))
    )


def refill(
    conn: Connection, table: Table, key: Sequence[str], values: Sequence[str], expected
) -> None:
    """Empty ``table`` and fill it with ``expected``, in the caller's transaction."""
    conn.execute(delete(table))
    conn.execute(insert(table).from_select([*key, *values], expected))
