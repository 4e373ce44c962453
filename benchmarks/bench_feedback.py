"""Feedback form timings on a demo store: prefill (one rep's month with MoM / YoY), the
team view, and a draft save. Prints figures; not a test.

    python benchmarks/bench_feedback.py --database-url sqlite:////tmp/demo.db --period 2026-10
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from salesboard.accounts.access import SYSTEM, viewer_for  # noqa: E402
from salesboard.calendar.periods import parse_period  # noqa: E402
from salesboard.feedback import prefill, queries, workflow  # noqa: E402
from salesboard.store.db import create_store_engine, read_session, write_session  # noqa: E402
from salesboard.store.models import Role, TeamManager, User  # noqa: E402


def timed(label: str, func, repeat: int = 5) -> None:
    func()  # warm up
    started = time.perf_counter()
    for _ in range(repeat):
        func()
    print(f"{label:<40} {(time.perf_counter() - started) / repeat * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--period", default="2026-10")
    args = parser.parse_args()
    engine = create_store_engine(args.database_url)
    period = parse_period(args.period)
    with read_session(engine) as session:
        rep = (
            session.execute(select(User).where(User.role == Role.REP).order_by(User.id))
            .scalars()
            .first()
        )
        manager_id = session.execute(
            select(TeamManager.user_id).where(TeamManager.team_id == rep.team_id)
        ).scalar()
        manager = viewer_for(session, session.get(User, manager_id))
        rep_viewer = viewer_for(session, rep)
        timed(
            "prefill one rep-month (3 periods)",
            lambda: prefill.prefill_kpis(session, rep.id, period),
        )
        timed("team status (manager)", lambda: queries.team_status(session, manager, period.label))
        timed(
            "team status (all reps, admin)",
            lambda: queries.team_status(session, SYSTEM, period.label),
        )
        timed(
            "open improvement items (admin)",
            lambda: queries.open_items(session, SYSTEM, period.end),
        )
    with write_session(engine) as session:
        form = workflow.start_form(session, rep_viewer, rep.id, "2026-12")
    state = {"version": form.version}

    def save() -> None:
        with write_session(engine) as session:
            body = form.body
            body["kpis"][0]["reason"] = f"bench {state['version']}"
            saved = workflow.save_draft(session, rep_viewer, form.id, state["version"], body)
            state["version"] = saved.version

    timed("draft save (commit, audit, items)", save, repeat=20)


if __name__ == "__main__":
    main()
