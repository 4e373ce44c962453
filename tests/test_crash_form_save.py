"""Killing a process (SIGKILL, no cleanup) while it saves a feedback form leaves the form
exactly as one save left it, never between: the body, its 50 improvement-item rows and the
audit trail all carry the same version, and every save the writer reported as committed is
there. On SQLite this rests on WAL with ``synchronous=FULL`` and one ``BEGIN IMMEDIATE``
transaction per save; on PostgreSQL the server rolls back the dead client's transaction."""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select, text

from salesboard.accounts.access import load_viewer
from salesboard.feedback import queries, workflow
from salesboard.feedback.form import MAX_ROWS
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import AuditLog, FeedbackForm, ImprovementItem
from salesboard.store.settings import PROJECT_ROOT
from tests import builders as b


@pytest.fixture
def form(engine):
    with write_session(engine) as s:
        rep = b.user(s, "alice", team=b.team(s)).id
        b.stages(s)
        form_id = b.feedback_form(s, rep, "2026-10").id
    return form_id, rep


def _state(engine, form_id: int) -> tuple[int, str, set[str], int]:
    """(version, KPI reason, the version tags of the item rows, audited saves)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    with read_session(engine) as s:
        row = s.get(FeedbackForm, form_id)
        problems = s.execute(select(ImprovementItem.problem)).scalars().all()
        saves = s.execute(
            select(func.count()).where(
                AuditLog.entity == "feedback_form", AuditLog.action == "update"
            )
        ).scalar_one()
    tags = {p.split("-")[0] for p in problems}
    assert len(problems) in (0, MAX_ROWS)
    return row.version, json.loads(row.body)["kpis"][0]["reason"], tags, saves


@pytest.mark.slow
@pytest.mark.parametrize("delay", [0.5, 1.3, 2.1])
def test_a_killed_form_save_leaves_the_form_as_one_save_left_it(engine, form, delay):
    form_id, rep = form
    url = engine.url.render_as_string(hide_password=False)
    writer = subprocess.Popen(
        [sys.executable, "-m", "tests.crash.form_writer", url, str(form_id), str(rep)],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    first = writer.stdout.readline()  # the writer is up and has committed one save
    assert first.strip(), writer.stderr.read()
    time.sleep(delay)
    writer.kill()
    rest, _ = writer.communicate(timeout=30)
    acknowledged = int([first, *rest.split()][-1])
    engine.dispose()  # reopen the store as a fresh process would
    reopened = create_store_engine(url)
    try:
        version, reason, tags, saves = _state(reopened, form_id)
        assert version >= acknowledged  # a save reported as committed is never lost
        assert version <= acknowledged + 1  # at most the one in flight landed, whole
        assert reason == f"v{version}" and tags == {f"v{version}"} and saves == version - 1
        # The store still takes saves after the crash.
        with write_session(reopened) as s:
            viewer = load_viewer(s, rep)
            current = queries.get_form(s, viewer, form_id)
            body = current.body
            body["kpis"][0]["reason"] = "after"
            assert workflow.save_draft(s, viewer, form_id, version, body).version == version + 1
        if reopened.dialect.name == "postgresql":
            with reopened.connect() as conn:  # the killed client's transaction is gone
                idle = conn.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in%'")
                ).scalar_one()
            assert idle == 0
    finally:
        reopened.dispose()
