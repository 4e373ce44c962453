"""Shared fixtures: a real SQLite file (or the PostgreSQL server in SALESBOARD_TEST_DATABASE_URL)
migrated to the newest schema."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from salesboard import schema
from salesboard.db import create_store_engine


@pytest.fixture
def engine(tmp_path) -> Engine:
    """A fresh, migrated store in a temporary SQLite file."""
    eng = create_store_engine(f"sqlite:///{tmp_path / 'test.db'}")
    schema.upgrade(eng)
    yield eng
    eng.dispose()


DEMO_TODAY = "2026-11-23"


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory) -> str:
    """URL of a store filled once per test session with the small demo company."""
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
def demo_app_env(monkeypatch, demo_store) -> str:
    """Point the app at the demo store with a fixed business date; returns the store URL."""
    from tests.apptest_support import use_store

    use_store(monkeypatch, demo_store, DEMO_TODAY)
    yield demo_store
    from salesboard.settings import get_settings

    monkeypatch.undo()
    get_settings.cache_clear()
