"""Migration 0011 on a store in use, both backends: customer types and lead sources become
lists holding the codes the store uses (known ones with their names, others named by their
code), regions/teams/product lines referred to by records gain ``active`` without being
rebuilt, and the way back drops only what 0011 added."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text

from salesboard.store import schema
from salesboard.store.db import create_store_engine
from tests.conftest import BACKENDS, database_on

ROWS = (
    "INSERT INTO region (id, code, name_zh, name_en) VALUES (1, 'south', '华南', 'South')",
    "INSERT INTO team (id, name, region_id) VALUES (1, '一组', 1)",
    "INSERT INTO customer (id, name, industry, region_id, customer_type, potential, created_on) "
    "VALUES (1, '甲', '', 1, 'smb', 'low', '2026-01-05'), "
    "(2, '乙', '', 1, 'ngo', 'low', '2026-01-05')",
)


@pytest.fixture(params=BACKENDS)
def store_at_0010(request, tmp_path):
    with database_on(request, tmp_path, migrated=False) as url:
        engine = create_store_engine(url)
        schema.upgrade(engine, "0010")
        with engine.begin() as conn:
            for sql in ROWS:
                conn.execute(text(sql))
        yield engine
        engine.dispose()


def listed(engine, table):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(f"SELECT code, name_zh, name_en, active "
                                                    f"FROM {table} ORDER BY id"))]  # fmt: skip


def test_0011_lists_the_codes_in_use_and_keeps_referenced_rows(store_at_0010):
    engine = store_at_0010
    schema.upgrade(engine)
    assert listed(engine, "customer_type") == [
        ("smb", "中小企业", "SMB", True), ("ngo", "ngo", "ngo", True),
    ]  # fmt: skip
    # No deal yet: the store uses no lead source, so it gets the usual ones.
    assert [code for code, *_ in listed(engine, "lead_source")] == [
        "website", "exhibition", "referral", "cold_call", "partner",
    ]  # fmt: skip
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name, name_en, active FROM team")).one() == (
            "一组", "", True,
        )  # fmt: skip
        assert conn.execute(text("SELECT count(*) FROM customer")).scalar() == 2
    command.downgrade(schema.alembic_config(engine), "0010")
    tables = set(inspect(engine).get_table_names())
    assert not {"customer_type", "lead_source"} & tables
    assert "active" not in {c["name"] for c in inspect(engine).get_columns("region")}
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM customer")).scalar() == 2
