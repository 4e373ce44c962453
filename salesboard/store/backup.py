"""Backups of the store and restoring them.

- SQLite: SQLite's online backup API (``sqlite3.Connection.backup``) copies a consistent
  snapshot while the app keeps running; the copy is a self-contained file (rollback journal
  mode). Restoring runs the same API the other way, into the live database: one write
  transaction, so readers see the old store or the new one, never a mix.
- PostgreSQL: ``pg_dump -Fc`` / ``pg_restore --clean --if-exists --single-transaction`` (from
  PATH or Debian's ``/usr/lib/postgresql/*/bin``). The URL's credentials go to the tools
  through the environment (``PGPASSWORD`` …), never on their command line.

Attachment files (``store.attachment_files``) go beside the backup file, in
``<backup>.attachments/`` (content-addressed, so the directory is the files themselves),
copied after the database snapshot: every file a row of the snapshot names was written
before its row committed, so it is there. Restoring copies them into the target store's
attachment directory (missing ones only: a file's name is its content). A backup without
the directory (made before attachments existed) restores as before.

Restoring refuses a store that already has users or opportunities unless told to replace it
(``overwrite=True``, the CLI's ``--yes``). After a restore the schema is migrated to this
release's revision (the command that restores records it in the audit log).
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, func, inspect, select, text
from sqlalchemy.engine import URL

from salesboard.store import schema
from salesboard.store.attachment_files import attachments_dir, copy_blobs
from salesboard.store.models import Customer, Goal, Opportunity, User
from salesboard.store.settings import get_settings

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"
# Tables whose rows make a store "have data" (a fresh init-db has only reference data).
_DATA_TABLES = (User.__table__, Opportunity.__table__, Customer.__table__, Goal.__table__)


class BackupError(ValueError):
    """A backup or restore that cannot be done (printed as one ``error:`` line by the CLI)."""


@dataclass(frozen=True)
class BackupResult:
    """What a backup wrote: the backend, the file, its size in bytes and the attachment
    files copied beside it."""

    backend: str
    path: Path
    size: int
    attachments: int = 0


@dataclass(frozen=True)
class RestoreResult:
    """What a restore did: the backend, the file restored, the rows now in the store and
    the attachment files restored."""

    backend: str
    path: Path
    rows: int
    attachments: int = 0


def attachments_beside(backup_file: Path) -> Path:
    """The directory of a backup's attachment files: ``<backup>.attachments``."""
    return backup_file.with_name(f"{backup_file.name}.attachments")


def _backup_attachments(engine: Engine, target: Path) -> int:
    """Copy the store's attachment files beside ``target`` (replacing an older copy as a
    whole: the new one is built under a temporary name first)."""
    source = attachments_dir(engine.url)
    final = attachments_beside(target)
    partial = final.with_name(f".{final.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    count = copy_blobs(source, partial)
    shutil.rmtree(final, ignore_errors=True)
    if count:
        os.replace(partial, final)
    shutil.rmtree(partial, ignore_errors=True)
    return count


def backup(engine: Engine, output: str | os.PathLike) -> BackupResult:
    """Write a consistent copy of the store behind ``engine`` to ``output`` (replaced
    atomically: a half-written backup never takes the name)."""
    target = Path(output).resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        if engine.dialect.name == "sqlite":
            _sqlite_backup(_sqlite_path(engine), partial)
        elif engine.dialect.name == "postgresql":
            _run_pg(
                "pg_dump", engine.url, ["-Fc", "--no-owner", "--no-privileges", "-f", str(partial)]
            )
        else:
            raise BackupError(f"no backup method for {engine.dialect.name}")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    files = _backup_attachments(engine, target)
    return BackupResult(engine.dialect.name, target, target.stat().st_size, files)


def has_data(engine: Engine) -> bool:
    """True when the store has users, customers, opportunities or goals."""
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        return any(
            conn.execute(select(func.count()).select_from(table)).scalar_one()
            for table in _DATA_TABLES
            if table.name in tables
        )


def restore(engine: Engine, source: str | os.PathLike, *, overwrite: bool = False) -> RestoreResult:
    """Replace the store's contents with the backup ``source`` (made by ``backup`` on the same
    backend). Refuses a store with data unless ``overwrite``."""
    path = Path(source).resolve()
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    with path.open("rb") as handle:
        head = handle.read(16)
    if engine.dialect.name == "sqlite":
        if not head.startswith(SQLITE_MAGIC):
            raise BackupError(f"{path} is not a SQLite backup (for a SQLite store)")
        _check_sqlite_backup(path)
    elif engine.dialect.name == "postgresql":
        if not head.startswith(PG_CUSTOM_MAGIC):
            raise BackupError(f"{path} is not a pg_dump -Fc archive (for a PostgreSQL store)")
        listing = _run_pg("pg_restore", engine.url, ["--list", str(path)], database=False)
        if "alembic_version" not in listing:
            raise BackupError(f"{path} is not a Salesboard backup (no alembic_version table)")
    else:
        raise BackupError(f"no restore method for {engine.dialect.name}")
    if not overwrite and has_data(engine):
        raise BackupError(
            "the store already has data; pass --yes to replace it with the backup "
            "(make a backup of it first)"
        )
    engine.dispose()  # no pooled connection holds the old schema or a lock
    if engine.dialect.name == "sqlite":
        _sqlite_restore(path, _sqlite_path(engine))
    else:
        _run_pg(
            "pg_restore",
            engine.url,
            ["--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction",
             "--exit-on-error", str(path)],
        )  # fmt: skip
    engine.dispose()
    schema.upgrade(engine)  # a backup from an older release is brought up to date
    files = copy_blobs(attachments_beside(path), attachments_dir(engine.url))
    return RestoreResult(engine.dialect.name, path, _row_total(engine), files)


def _row_total(engine: Engine) -> int:
    names = inspect(engine).get_table_names()
    with engine.connect() as conn:
        return sum(
            conn.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one() for name in names
        )


# --- SQLite ---------------------------------------------------------------------------------


def _sqlite_path(engine: Engine) -> Path:
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite store cannot be backed up")
    return Path(database).resolve()


def _connect(path: Path) -> sqlite3.Connection:

    return sqlite3.connect(path, timeout=get_settings().sqlite_busy_timeout_s)


def _sqlite_backup(source: Path, target: Path) -> None:
    if not source.is_file():
        raise BackupError(f"{source}: the store does not exist")
    src, dst = _connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: one consistent snapshot of the store
        # One self-contained file (no -wal beside it), checked before it takes its name.
        dst.execute("PRAGMA journal_mode=DELETE")
        if dst.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"the copy in {target} failed SQLite's integrity check")
    finally:
        dst.close()
        src.close()


def _check_sqlite_backup(path: Path) -> None:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(f"{path} is damaged (SQLite integrity check failed)")
        found = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: {exc}") from exc
    finally:
        conn.close()
    if not found:
        raise BackupError(f"{path} is not a Salesboard backup (no alembic_version table)")


def _sqlite_restore(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(f"file:{source}?mode=ro", uri=True), _connect(target)
    try:
        # Copies every page inside one write transaction on the live database: other
        # connections wait (busy timeout) and then see the restored store as a whole.
        src.backup(dst)
    finally:
        dst.close()
        src.close()


# --- PostgreSQL -----------------------------------------------------------------------------


def find_pg_tool(name: str) -> str:
    """``pg_dump`` / ``pg_restore`` from PATH, else the newest in /usr/lib/postgresql."""
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if versions:
        return versions[-1]
    raise BackupError(f"{name} not found (install Debian's postgresql-client)")


def pg_environment(url: URL) -> dict[str, str]:
    """libpq environment variables for ``url``: host, port, user, password, database and
    ``sslmode`` etc. from the query string (so no secret appears in a process listing)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    values = {
        "PGHOST": url.host or url.query.get("host"),
        "PGPORT": str(url.port) if url.port else url.query.get("port"),
        "PGUSER": url.username,
        "PGPASSWORD": url.password,
        "PGDATABASE": url.database,
        "PGSSLMODE": url.query.get("sslmode"),
        "PGSSLROOTCERT": url.query.get("sslrootcert"),
    }
    env.update({k: str(v) for k, v in values.items() if v})
    return env


def _run_pg(tool: str, url: URL, args: list[str], *, database: bool = True) -> str:
    command = [find_pg_tool(tool), *args]
    if database:
        command[1:1] = ["--dbname", url.database or "postgres"]
    done = subprocess.run(command, env=pg_environment(url), capture_output=True, text=True)
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{tool} failed: {message[-1] if message else done.returncode}")
    return done.stdout
