"""The streamed demo (``--size xl``, 10M deals on PostgreSQL), run here at a tiny scale:
the same code path (chunks, id offsets, codes numbered across chunks, foreign keys and
indexes rebuilt after the load), a few thousand deals in four chunks."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select

from salesboard import demo
from salesboard.demo import generator, sizes
from salesboard.store import rollups
from salesboard.store.db import create_store_engine
from salesboard.store.tables import OPP

TODAY = date(2026, 11, 23)
TINY_XL = dataclasses.replace(
    sizes.SIZES["xl"], teams_per_region=(2, 1, 1), reps=12, customers=500, opportunities=4_000,
    chunk=1_000, leads_per_rep=5,
)  # fmt: skip


def test_xl_is_refused_on_sqlite_with_the_option_to_use(sqlite_engine):
    with pytest.raises(ValueError, match="--database-url postgresql"):
        demo.generate(sqlite_engine, size="xl", today=TODAY)


@pytest.fixture(scope="module")
def tiny_xl(pg_factory):
    """A PostgreSQL store with the streamed demo at a tiny scale, and its progress lines."""
    url = pg_factory.create()
    engine = create_store_engine(url)
    lines: list[str] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(generator.SIZES, "xl", TINY_XL)
        summary = demo.generate(engine, size="xl", seed=42, today=TODAY, progress=lines.append)
    yield engine, summary, lines
    engine.dispose()
    pg_factory.drop(url)


def test_streamed_chunks_make_one_consistent_store(tiny_xl):
    engine, summary, _ = tiny_xl
    with engine.connect() as conn:
        ids = conn.execute(select(func.min(OPP.c.id), func.max(OPP.c.id))).one()
        codes = conn.execute(select(func.count(func.distinct(OPP.c.code)))).scalar_one()
        # Ids and codes follow the creation date across the chunks.
        order = conn.execute(select(OPP.c.created_on).order_by(OPP.c.id)).scalars().all()
        unchecked = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND NOT convalidated"
        ).scalar_one()
        keys = conn.exec_driver_sql(
            "SELECT count(*) FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'stage_history'::regclass"
        ).scalar_one()
    assert summary.opportunities == 4_000 and tuple(ids) == (1, 4_000)
    assert codes == 4_000
    assert order == sorted(order)
    assert summary.stage_history > 2 * summary.opportunities
    assert 0 < summary.key_actions < summary.stage_history  # only the last six months' deals
    assert summary.customers == 500 and summary.goals > 0 and summary.collections > 0
    assert keys == 2 and unchecked == 0  # the foreign keys are back, every row checked
    with engine.connect() as conn:  # the rollups rebuilt after the load, the triggers on
        assert rollups.check(conn).ok
        assert rollups.trigger_names(conn) == {name for name, _ in rollups.TRIGGERS}


def test_streamed_progress_counts_the_deals(tiny_xl):
    *_, lines = tiny_xl
    counted = [line for line in lines if "generate and write the deals" in line]
    assert any("4,000/4,000" in line for line in counted)
    assert any("[" in line and "1,000/4,000" in line for line in counted)


def test_streamed_generation_is_reproducible(tiny_xl, pg_factory):
    engine, summary, _ = tiny_xl
    url = pg_factory.create()
    again = create_store_engine(url)
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setitem(generator.SIZES, "xl", TINY_XL)
            second = demo.generate(again, size="xl", seed=42, today=TODAY)
        query = select(OPP.c.code, OPP.c.customer_id, OPP.c.amount_minor, OPP.c.won_on)
        with engine.connect() as a, again.connect() as b:
            first_rows = a.execute(query.order_by(OPP.c.id)).all()
            second_rows = b.execute(query.order_by(OPP.c.id)).all()
        assert first_rows == second_rows
        assert dataclasses.replace(second, seconds=0) == dataclasses.replace(summary, seconds=0)
    finally:
        again.dispose()
        pg_factory.drop(url)
