"""Backups and restores through the real CLI, on SQLite and PostgreSQL: demo data → backup →
change the data → restore → exactly the backed-up rows (row counts of every table and a
checksum of the business tables), plus the refusals that protect a store."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text
from sqlmodel import Session, select

from salesboard import demo
from salesboard.accounts.audit import audit_trail
from salesboard.store import backup, rollups
from salesboard.store.db import write_session
from salesboard.store.models import Goal, Opportunity
from tests.builders import add_user

ROOT = Path(__file__).resolve().parent.parent
# Business tables whose every row goes into the checksum, ordered by key.
CHECKSUM = {
    "opportunity": "id, code, owner_id, amount_minor, status, current_stage_id, version",
    "user": "id, username, role, team_id, active, password_hash",
    "goal": "id, period, metric, scope, target",
    "stage_history": "id, opportunity_id, stage_id, entered_on, left_on",
    "calendar_override": "day, is_working, note",
}


def store_url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "salesboard", *args],
        capture_output=True,
        text=True,
        input=stdin,
        cwd=ROOT,
        env=env,
        timeout=300,
    )


def snapshot(engine) -> dict[str, object]:
    """Row count of every table and a SHA-256 of the business tables' rows."""
    tables = sorted(inspect(engine).get_table_names())
    with engine.connect() as conn:
        counts = {t: conn.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one() for t in tables}
        sums = {}
        for table, columns in CHECKSUM.items():
            order = columns.split(",")[0]
            rows = conn.execute(text(f'SELECT {columns} FROM "{table}" ORDER BY {order}')).all()
            sums[table] = hashlib.sha256(
                repr([tuple(map(str, r)) for r in rows]).encode()
            ).hexdigest()
    return {"counts": counts, "checksums": sums}


def change_everything(engine) -> None:
    """Edits of every kind a restore must undo: updates, deletes and inserts."""
    with write_session(engine) as session:
        for opp in session.exec(select(Opportunity).order_by(Opportunity.id).limit(20)):
            opp.amount_minor += 100
            opp.version += 1
        goal = session.exec(select(Goal).where(Goal.scope == "rep").limit(1)).one()
        session.delete(goal)
    add_user(engine, "restore.victim", "rep")


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_backup_change_restore_gives_back_exactly_the_backed_up_rows(engine, tmp_path):
    demo.generate(engine, size="small", seed=7, today=date(2026, 11, 23))
    before = snapshot(engine)
    assert before["counts"]["opportunity"] > 0 and before["counts"]["goal"] > 0
    file = tmp_path / f"store.{engine.dialect.name}.backup"

    made = cli("--database-url", store_url(engine), "backup", "--output", str(file))
    assert made.returncode == 0, made.stderr
    assert file.stat().st_size > 10_000

    change_everything(engine)
    changed = snapshot(engine)
    assert changed["checksums"]["opportunity"] != before["checksums"]["opportunity"]
    assert changed["counts"]["user"] == before["counts"]["user"] + 1

    refused = cli("--database-url", store_url(engine), "restore", str(file))
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert snapshot(engine) == changed  # refused means untouched

    restored = cli("--database-url", store_url(engine), "restore", str(file), "--yes")
    assert restored.returncode == 0, restored.stderr
    engine.dispose()
    after = snapshot(engine)
    assert after["checksums"] == before["checksums"]
    # Every table as backed up; the audit log also says who restored what.
    expected = dict(before["counts"], audit_log=before["counts"]["audit_log"] + 1)
    assert after["counts"] == expected
    with Session(engine) as session:
        newest = audit_trail(session, limit=1).iloc[0]
    assert (newest.action, newest.entity) == ("restore", "store")
    assert newest.actor_name.startswith("cli:") and file.name in newest.summary
    # The rollups came back with their rows, and the triggers that keep them in step.
    with engine.connect() as conn:
        assert rollups.check(conn).ok
        assert rollups.trigger_names(conn) == {name for name, _ in rollups.TRIGGERS}


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_restore_into_an_empty_store_needs_no_confirmation(engine, tmp_path):
    add_user(engine, "only.admin")
    file = tmp_path / "small.backup"
    assert cli("--database-url", store_url(engine), "backup", "-o", str(file)).returncode == 0
    with engine.begin() as conn:  # an emptied store (as after init-db on a new server)
        conn.execute(text("DELETE FROM audit_log"))
        conn.execute(text('DELETE FROM "user"'))
    assert not backup.has_data(engine)
    done = cli("--database-url", store_url(engine), "restore", str(file))
    assert done.returncode == 0, done.stderr
    with engine.connect() as conn:
        assert conn.execute(text('SELECT username FROM "user"')).scalars().all() == ["only.admin"]


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_restore_refuses_files_that_are_not_a_backup_for_this_store(engine, tmp_path):
    add_user(engine)
    garbage = tmp_path / "notes.txt"
    garbage.write_text("not a backup")
    done = cli("--database-url", store_url(engine), "restore", str(garbage), "--yes")
    assert done.returncode == 1 and "error:" in done.stderr
    missing = cli("--database-url", store_url(engine), "restore", str(tmp_path / "nope"), "--yes")
    assert missing.returncode == 1 and "no such backup file" in missing.stderr
    assert backup.has_data(engine)


def test_sqlite_backup_runs_beside_an_open_write_transaction(sqlite_engine, tmp_path):
    """The online backup copies the committed store while a writer holds its transaction
    open: it neither waits for the writer nor copies its uncommitted rows."""
    add_user(sqlite_engine, "committed.user")
    file = tmp_path / "online.db"
    holding, release = threading.Event(), threading.Event()

    def writer():
        with write_session(sqlite_engine) as session:
            session.execute(text("INSERT INTO app_setting (key, value) VALUES ('pending', '1')"))
            session.flush()
            holding.set()
            release.wait(60)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert holding.wait(30)
        done = cli("--database-url", str(sqlite_engine.url), "backup", "-o", str(file))
        assert done.returncode == 0, done.stderr
    finally:
        release.set()
        thread.join()
    import sqlite3

    copy = sqlite3.connect(file)
    assert copy.execute("SELECT count(*) FROM app_setting WHERE key = 'pending'").fetchone() == (0,)
    assert copy.execute("SELECT username FROM user").fetchall() == [("committed.user",)]
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    copy.close()
    assert not Path(f"{file}-wal").exists()


def test_a_backup_of_the_other_backend_or_another_database_is_refused(engine, tmp_path):
    import sqlite3

    add_user(engine)
    foreign = tmp_path / "other_app.db"  # a real SQLite database, but not a Salesboard store
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.commit()
    conn.close()
    pg_like = tmp_path / "x.dump"
    pg_like.write_bytes(backup.PG_CUSTOM_MAGIC + b"\0" * 100)
    if engine.dialect.name == "sqlite":
        with pytest.raises(backup.BackupError, match="not a SQLite backup"):
            backup.restore(engine, pg_like, overwrite=True)
        with pytest.raises(backup.BackupError, match="not a Salesboard backup"):
            backup.restore(engine, foreign, overwrite=True)
    else:
        with pytest.raises(backup.BackupError, match="not a pg_dump -Fc archive"):
            backup.restore(engine, foreign, overwrite=True)
        with pytest.raises(backup.BackupError, match="pg_restore failed"):
            backup.restore(engine, pg_like, overwrite=True)
    assert backup.has_data(engine)


def test_postgres_credentials_go_through_the_environment_not_the_command_line():
    from sqlalchemy.engine import make_url

    url = make_url(
        "postgresql+psycopg://sales:s3cr%40t@db.internal:6543/salesboard?sslmode=require"
    )
    env = backup.pg_environment(url)
    assert env["PGPASSWORD"] == "s3cr@t"
    assert (env["PGHOST"], env["PGPORT"], env["PGUSER"], env["PGDATABASE"]) == (
        "db.internal", "6543", "sales", "salesboard",
    )  # fmt: skip
    assert env["PGSSLMODE"] == "require"
