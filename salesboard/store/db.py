"""The one engine/session factory. SQLite gets WAL, foreign keys, a busy timeout and
``BEGIN IMMEDIATE`` for write sessions; PostgreSQL uses the same code unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote, quote_plus

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import Session

from salesboard.store.settings import get_settings

# Execution option that marks an engine whose transactions will write.
_WRITE_OPTION = "salesboard_write"


def _configure_sqlite(engine: Engine, busy_timeout_s: float) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):  # pragma: no cover - trivial wiring
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite's own is deferred-only).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_s * 1000)}")
        # FULL: a committed import or form save survives power loss, not only a crash.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover - trivial wiring
        # A deferred read-then-write transaction fails at once with SQLITE_BUSY instead of
        # waiting; write sessions take the write lock up front so busy_timeout applies.
        immediate = conn.get_execution_options().get(_WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def create_store_engine(url: str | None = None) -> Engine:
    """Create an engine for ``url`` (default: ``SALESBOARD_DATABASE_URL``)."""
    settings = get_settings()
    url = url or settings.database_url
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        if not in_memory:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": settings.sqlite_busy_timeout_s},
            # An in-memory database keeps SQLAlchemy's single-connection pool: every new
            # connection would be another, empty database.
            **({} if in_memory else _pool_options(settings)),
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_s)
        return engine
    connect_args = {"options": settings.postgres_options} if settings.postgres_options else {}
    return create_engine(
        url, pool_pre_ping=True, connect_args=connect_args, **_pool_options(settings)
    )


def _pool_options(settings) -> dict:
    """Connection pool sizing from the settings (see ``Settings.db_pool_size``)."""
    return {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout_s,
    }


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """Process-wide engine per URL (one pool per database)."""
    return create_store_engine(url)


def read_session(engine: Engine) -> Session:
    """A session for queries; SQLite readers never block writers under WAL."""
    return Session(engine)


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction takes the write lock at BEGIN, committed on success."""
    with Session(engine.execution_options(**{_WRITE_OPTION: True})) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


def redact_password(message: str, url: str | None) -> str:
    """``message`` with the password of ``url`` (as typed, %-encoded or decoded) replaced
    by ``***``: errors are printed and shown, passwords never."""
    if not url:
        return message
    try:
        password = make_url(url).password
    except Exception:  # an unparsable URL: take the text between "user:" and "@"
        password = url.partition("://")[2].rpartition("@")[0].partition(":")[2] or None
    if not password:
        return message
    for secret in {password, quote(password, safe=""), quote_plus(password)}:
        message = message.replace(secret, "***")
    return message


def is_sqlite(engine: Engine) -> bool:
    """True when the store is an embedded SQLite file."""
    return engine.dialect.name == "sqlite"
