"""Deal codes in the seed's format: XS + yyyymm + a sequence within the month (XS202612001).

The sequence is a row per month in ``code_sequence``, incremented with one UPDATE: on
PostgreSQL the row lock queues concurrent creators, on SQLite the write transaction
(``BEGIN IMMEDIATE``) does; a month's first code seeds the row from the codes in use, and a
code an import already took is skipped, so a generated code is never a duplicate."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from salesboard.store.tables import OPP, SEQUENCE

PREFIX = "XS"
MIN_DIGITS = 3


def code_prefix(on: date) -> str:
    """The month's prefix: XS + yyyymm."""
    return f"{PREFIX}{on:%Y%m}"


def format_code(prefix: str, number: int) -> str:
    """``prefix`` and ``number`` as a code (at least three digits: XS202612007)."""
    return f"{prefix}{number:0{MIN_DIGITS}d}"


def _highest_in_use(session: Session, prefix: str) -> int:
    """The highest sequence number among stored codes of ``prefix`` (0 when none)."""
    numbers = session.execute(
        select(OPP.c.code).where(OPP.c.code.like(f"{prefix}%"))
        .order_by(func.length(OPP.c.code).desc(), OPP.c.code.desc()).limit(50)
    ).scalars()  # fmt: skip
    return max((int(c[len(prefix) :]) for c in numbers if c[len(prefix) :].isdigit()), default=0)


def _increment(session: Session, prefix: str) -> int | None:
    """The next number of ``prefix``'s sequence (None when the month has no row yet)."""
    changed = session.execute(
        update(SEQUENCE).where(SEQUENCE.c.prefix == prefix).values(last=SEQUENCE.c.last + 1)
    ).rowcount
    if changed != 1:
        return None
    return int(session.execute(select(SEQUENCE.c.last).where(SEQUENCE.c.prefix == prefix)).one()[0])


def next_code(session: Session, on: date) -> str:
    """A new, unused deal code for a deal created on ``on`` (in the caller's transaction)."""
    prefix = code_prefix(on)
    number = _increment(session, prefix)
    if number is None:
        try:
            with session.begin_nested():
                number = _highest_in_use(session, prefix) + 1
                session.execute(insert(SEQUENCE).values(prefix=prefix, last=number))
        except IntegrityError:  # another creator started the month first
            number = _increment(session, prefix)
    code = format_code(prefix, number)
    # An import may have taken a code ahead of the sequence: skip past it.
    while session.execute(select(OPP.c.id).where(OPP.c.code == code)).first() is not None:
        number = _increment(session, prefix)
        code = format_code(prefix, number)
    return code
