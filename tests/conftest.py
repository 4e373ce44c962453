"""Shared fixtures. Store tests run twice: on a real SQLite file and on a real PostgreSQL
server (a throwaway cluster started here, or ``SALESBOARD_TEST_POSTGRES_URL``).
``SALESBOARD_TEST_BACKENDS=sqlite`` limits a local run to SQLite."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine

from salesboard.calendar.workdays import sync_store_calendar
from salesboard.store import schema
from salesboard.store.db import create_store_engine

BACKENDS = [
    b
    for b in os.environ.get("SALESBOARD_TEST_BACKENDS", "sqlite,postgresql").split(",")
    if b.strip()
]


@pytest.fixture(scope="session")
def pg_factory():
    """Fresh PostgreSQL databases on demand (skipped locally when no server is installed or
    ``SALESBOARD_TEST_BACKENDS`` leaves PostgreSQL out; a failure in CI, which must install
    one)."""
    from tests.pg_server import DatabaseFactory, ThrowawayPostgres, find_pg_bin

    if "postgresql" not in BACKENDS:
        pytest.skip("SALESBOARD_TEST_BACKENDS leaves PostgreSQL out")
    url = os.environ.get("SALESBOARD_TEST_POSTGRES_URL")
    server = None
    if not url:
        bin_dir = find_pg_bin()
        if bin_dir is None:
            message = "PostgreSQL server binaries not found (make system-deps installs them)"
            if os.environ.get("CI"):
                pytest.fail(message)
            pytest.skip(message)
        server = ThrowawayPostgres(bin_dir)
        url = server.start()
    factory = DatabaseFactory(url)
    yield factory
    factory.dispose()
    if server:
        server.stop()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    """A SQLite store migrated to the newest schema once per test process, for copying."""
    path = tmp_path_factory.mktemp("template") / "migrated.db"
    engine = create_store_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    sync_store_calendar(engine)  # as `migrate` does
    engine.dispose()
    return path


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a SQLite store with SQLite's backup API (consistent even in WAL mode): a copy of
    the migrated template is the store ``schema.upgrade`` makes, in milliseconds."""
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)


@contextmanager
def database_on(request, directory: Path, *, migrated: bool = True) -> Iterator[str]:
    """URL of a fresh database on the backend ``request.param`` names: a SQLite file in
    ``directory`` or a database on the test PostgreSQL server (dropped afterwards), migrated
    to the newest schema unless ``migrated`` is False. For fixtures parametrized by
    ``BACKENDS``, of any scope."""
    if request.param == "sqlite":
        path = directory / "test.db"
        if migrated:
            copy_sqlite(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite:///{path}"
        return
    factory = request.getfixturevalue("pg_factory")
    url = factory.create(migrated=migrated)
    try:
        yield url
    finally:
        factory.drop(url)


@contextmanager
def demo_company(request, tmp_path_factory, *, size: str, seed: int, today) -> Iterator[Engine]:
    """An engine on a fresh store on the backend ``request.param`` names, filled with the
    demo company of ``size`` and ``seed`` as of ``today``: for module-scoped fixtures
    parametrized by ``BACKENDS``."""
    from salesboard import demo

    with database_on(request, tmp_path_factory.mktemp(f"demo-{size}")) as url:
        engine = create_store_engine(url)
        try:
            demo.generate(engine, size=size, seed=seed, today=today)
            yield engine
        finally:
            engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    """URL of a fresh store migrated to the newest schema, once per backend."""
    with database_on(request, tmp_path) as url:
        yield url


@pytest.fixture
def engine(store_url) -> Engine:
    """An engine on a fresh, migrated store (SQLite file, then PostgreSQL)."""
    eng = create_store_engine(store_url)
    yield eng
    eng.dispose()


@pytest.fixture
def sqlite_engine(tmp_path, sqlite_template) -> Engine:
    """A fresh, migrated store in a temporary SQLite file (for SQLite-specific behaviour)."""
    copy_sqlite(sqlite_template, tmp_path / "test.db")
    eng = create_store_engine(f"sqlite:///{tmp_path / 'test.db'}")
    yield eng
    eng.dispose()


DEMO_TODAY = "2026-11-23"


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> str:
    """URL of a SQLite store filled once per test session with the small demo company."""
    from datetime import date

    from salesboard import demo

    path = tmp_path_factory.mktemp("demo") / "demo.db"
    url = f"sqlite:///{path}"
    eng = create_store_engine(url)
    schema.upgrade(eng)
    demo.generate(eng, size="small", seed=42, today=date.fromisoformat(DEMO_TODAY))
    eng.dispose()
    return url


@pytest.fixture
def private_demo_env(demo_store, tmp_path, monkeypatch) -> str:
    """A private copy of the demo store, the app pointed at it with the demo's business date,
    for tests that write (imports, forms, the organisation); returns its URL."""
    from tests.apptest_support import use_store

    path = tmp_path / "private-demo.db"
    copy_sqlite(demo_store.removeprefix("sqlite:///"), path)
    url = f"sqlite:///{path}"
    use_store(monkeypatch, url, DEMO_TODAY)
    yield url
    from salesboard.store.settings import get_settings

    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def demo_app_env(monkeypatch, demo_store) -> str:
    """Point the app at the demo store with a fixed business date; returns the store URL."""
    from tests.apptest_support import use_store

    use_store(monkeypatch, demo_store, DEMO_TODAY)
    yield demo_store
    from salesboard.store.settings import get_settings

    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_sign_in_throttle():
    """Wrong sign-ins for made-up names are counted in the process's memory: every test
    starts from none."""
    from salesboard.accounts import throttle

    throttle.forget_all()
