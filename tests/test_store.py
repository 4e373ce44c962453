"""The store on a real SQLite file and a real PostgreSQL server: migrations, pragmas, write
locking, money, the CLI."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from salesboard.store import schema
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import Customer, Region, User, metadata
from tests.conftest import BACKENDS, database_on


def test_migrations_build_exactly_the_model_schema(engine):
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert schema.is_up_to_date(engine)


def _index_of(conn, name: str) -> str:
    """How the store defines index ``name``: PostgreSQL's definition, SQLite's columns."""
    if conn.dialect.name == "postgresql":
        return conn.exec_driver_sql(
            f"SELECT indexdef FROM pg_indexes WHERE indexname = '{name}'"
        ).scalar_one()
    columns = conn.exec_driver_sql(f"SELECT name FROM pragma_index_info('{name}')").scalars()
    return ", ".join(columns)


def _deal_index_of_key_actions(conn) -> str:
    return _index_of(conn, "ix_key_action_opportunity_id")


def test_the_deal_index_of_key_actions_carries_the_feedback_on_postgresql(engine):
    """Checked by reading the index: Alembic's schema comparison above ignores INCLUDE."""
    postgres = engine.dialect.name == "postgresql"
    with engine.connect() as conn:
        index = _deal_index_of_key_actions(conn)
    assert index.endswith("(opportunity_id) INCLUDE (customer_feedback)" if postgres else "")
    assert postgres or index == "opportunity_id"
    command.downgrade(schema.alembic_config(engine), "0004")  # the plain index comes back
    with engine.connect() as conn:
        before = _deal_index_of_key_actions(conn)
    assert before.endswith("(opportunity_id)") if postgres else before == "opportunity_id"
    schema.upgrade(engine)
    with engine.connect() as conn:
        assert _deal_index_of_key_actions(conn) == index


def test_the_rollups_key_carries_deals_and_amounts_on_postgresql(engine):
    """Migration 0033: a period's rollup sums read from the primary key alone on PostgreSQL;
    the downgrade gives back the plain key; SQLite keeps the plain one throughout."""
    key = "kind, day, stage_id, product_line_id, region_id, team_id, owner_id"
    postgres = engine.dialect.name == "postgresql"

    def definition() -> str:
        with engine.connect() as conn:
            return _index_of(conn, "pk_deal_rollup") if postgres else _sqlite_key(conn)

    index = definition()
    assert index.endswith(f"({key}) INCLUDE (deals, amount_minor)") if postgres else index == key
    command.downgrade(schema.alembic_config(engine), "0032")
    before = definition()
    assert before.endswith(f"({key})") if postgres else before == key
    schema.upgrade(engine)
    assert definition() == index


def _sqlite_key(conn) -> str:
    """SQLite's primary key columns of ``deal_rollup``, in order."""
    rows = conn.exec_driver_sql("SELECT name, pk FROM pragma_table_info('deal_rollup')").all()
    return ", ".join(name for name, pk in sorted(rows, key=lambda r: r[1]) if pk)


def test_upgrade_is_idempotent_and_keeps_data(engine):
    with write_session(engine) as s:
        s.add(Region(code="south", name_zh="华南", name_en="South China"))
    schema.upgrade(engine)
    with read_session(engine) as s:
        assert [r.code for r in s.exec(select(Region))] == ["south"]


def test_sqlite_pragmas(sqlite_engine):
    with sqlite_engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


@pytest.fixture
def settings_env(monkeypatch):
    """Set SALESBOARD_* variables for one test; the settings are re-read before and after."""
    from salesboard.store.settings import get_settings

    get_settings.cache_clear()
    yield monkeypatch
    monkeypatch.undo()
    get_settings.cache_clear()


def _setting(conn, name: str) -> tuple[str, str]:
    """(value, source) of a PostgreSQL setting in this session; "client" = set on connect."""
    return tuple(
        conn.exec_driver_sql(
            "SELECT setting, source FROM pg_settings WHERE name = %(name)s", {"name": name}
        ).one()
    )


def test_postgres_connections_run_without_jit_unless_told_otherwise(pg_factory, settings_env):
    from salesboard.store.settings import get_settings

    url = pg_factory.create(migrated=False)
    try:
        engine = create_store_engine(url)
        with engine.connect() as conn:
            assert _setting(conn, "jit") == ("off", "client")
        engine.dispose()
        # Other options replace the default: the server's own JIT setting applies again.
        settings_env.setenv("SALESBOARD_POSTGRES_OPTIONS", "-c work_mem=7MB")
        get_settings.cache_clear()
        engine = create_store_engine(url)
        with engine.connect() as conn:
            assert _setting(conn, "work_mem") == ("7168", "client")
            assert _setting(conn, "jit")[1] != "client"
        engine.dispose()
    finally:
        pg_factory.drop(url)


def test_foreign_keys_are_enforced(engine):
    with pytest.raises(IntegrityError), write_session(engine) as s:
        s.add(Customer(name="孤儿客户", region_id=999, created_on=date(2026, 1, 1)))
    with read_session(engine) as s:
        assert s.exec(select(Customer)).all() == []


def test_money_survives_beyond_32_bits(engine):
    from salesboard.store.models import Collection, Opportunity  # noqa: F401  (tables exist)

    big = 9_876_543_210_123  # ~987 亿元 in 分: larger than a 32-bit integer
    with engine.begin() as conn:
        conn.execute(text("CREATE TEMP TABLE t (v BIGINT)"))
        conn.execute(text("INSERT INTO t VALUES (:v)"), {"v": big})
        assert conn.execute(text("SELECT v FROM t")).scalar_one() == big


def test_write_sessions_wait_for_each_other_instead_of_failing(engine):
    """Two writers that read then write: BEGIN IMMEDIATE makes the second wait, not error."""
    with write_session(engine) as s:
        s.add(Region(code="r0", name_zh="零", name_en="Zero"))
    errors: list[BaseException] = []
    barrier = threading.Barrier(4)

    def writer(i: int) -> None:
        try:
            barrier.wait()
            for n in range(20):
                with write_session(engine) as s:
                    count = len(s.exec(select(Region)).all())  # read …
                    s.add(
                        Region(code=f"r{i}-{n}-{count}", name_zh="区", name_en="R")
                    )  # … then write
        except BaseException as exc:  # noqa: BLE001 - collected for the assertion
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(i,)) for i in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    with Session(engine) as s:
        assert len(s.exec(select(Region)).all()) == 1 + 4 * 20


def test_failed_write_session_rolls_back(engine):
    with pytest.raises(RuntimeError), write_session(engine) as s:
        s.add(Region(code="gone", name_zh="无", name_en="Gone"))
        s.flush()
        raise RuntimeError("boom")
    with read_session(engine) as s:
        assert s.exec(select(Region)).all() == []


def run_cli(*args: str, env_url: str | None = None) -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "salesboard"]
    if env_url:
        cmd += ["--database-url", env_url]
    return subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=300)


def test_cli_init_db_creates_schema_and_stages(tmp_path):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    result = run_cli("init-db", env_url=url)
    assert result.returncode == 0, result.stderr
    engine = create_store_engine(url)
    assert schema.is_up_to_date(engine)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM stage").scalar() >= 6


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_cli_errors_are_one_line_and_nonzero(tmp_path):
    result = run_cli("demo", "--today", "not-a-date", env_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode != 0
    assert "not a date" in result.stderr
    unreachable = run_cli("migrate", env_url="postgresql+psycopg://u:p@127.0.0.1:1/none")
    assert unreachable.returncode == 1
    assert unreachable.stderr.startswith("error: database:")
    assert "Traceback" not in unreachable.stderr


@pytest.fixture(params=BACKENDS)
def blank_url(request, tmp_path):
    """An empty database (no schema) on each backend."""
    with database_on(request, tmp_path, migrated=False) as url:
        yield url


def test_an_older_database_upgrades_in_place(blank_url):
    """A store created at the first revision keeps its rows when migrated to head; users
    from before sign-in existed get no password (an admin sets one)."""
    engine = create_store_engine(blank_url)
    schema.upgrade(engine, "0001")
    assert not schema.is_up_to_date(engine)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO region (id, code, name_zh, name_en) VALUES (1, 'east', '华东', 'East')"
            )
        )
        conn.execute(
            text(
                'INSERT INTO "user" (id, username, display_name, role, active, created_at) '
                "VALUES (1, 'old.rep', '老销售', 'rep', true, '2025-01-01 00:00:00')"
            )
        )
    schema.upgrade(engine)
    assert schema.is_up_to_date(engine)
    with read_session(engine) as s:
        assert [r.name_zh for r in s.exec(select(Region))] == ["华东"]
        old = s.exec(select(User)).one()
        assert (old.password_hash, old.failed_logins, old.must_change_password) == ("", 0, False)
    indexes = {ix["name"] for ix in inspect(engine).get_indexes("opportunity")}
    assert "ix_opportunity_status_won_on" in indexes
    engine.dispose()
