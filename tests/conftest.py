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
