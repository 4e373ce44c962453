"""Goal page computation time: the goal tree (goals, names, grouped actuals, roll-up,
attainment, decomposition check) plus the treemap figure, the table and the XLSX export, on
a store; the forecast with and without its back-test; the leaderboard.

Usage: python benchmarks/bench_goals.py [--size small|default|large] [--url URL] [--runs 5]
Without --url a temporary SQLite store is generated with the demo company of --size
("large" = 1,000,000 opportunities: minutes and ~1.2 GB; put it under /tmp and pass --url
on later runs). Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import TODAY, arguments, store_url  # noqa: E402
from sqlalchemy import func, select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from salesboard import demo  # noqa: E402
from salesboard.accounts.access import SYSTEM, load_viewer  # noqa: E402
from salesboard.calendar.workdays import load_calendar  # noqa: E402
from salesboard.goals import present  # noqa: E402
from salesboard.goals.charts import goal_treemap  # noqa: E402
from salesboard.goals.forecast import forecast_view  # noqa: E402
from salesboard.goals.leaderboard import leaderboard  # noqa: E402
from salesboard.goals.view import goal_tree  # noqa: E402
from salesboard.outputs.export import to_xlsx  # noqa: E402
from salesboard.store.db import create_store_engine  # noqa: E402
from salesboard.store.models import Opportunity, Role, User  # noqa: E402


def timed(engine, runs: int, call) -> tuple[float, float]:
    """(median, max) seconds of ``call(session)`` over ``runs`` fresh sessions."""
    times = []
    for _ in range(runs):
        with Session(engine) as session:
            started = time.perf_counter()
            call(session)
            times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


def page(session, viewer, metric: str, calendar) -> None:
    """What the goal page computes on a render: the tree, the figure, the table, the export."""
    view = goal_tree(session, viewer, demo.quarter_label(TODAY), metric, TODAY, calendar=calendar)
    node = view.root_id
    goal_treemap(view, node, "zh")
    present.node_table(view, node, "zh")
    present.split_sentence(view, node, "zh")
    present.findings_table(view, "zh")


def main() -> None:
    args = arguments()
    url = store_url(args)
    engine = create_store_engine(url)
    with Session(engine) as session:
        count = session.execute(select(func.count()).select_from(Opportunity)).scalar_one()
        calendar = load_calendar(session)
        manager_id = (
            session.execute(select(User.id).where(User.role == Role.MANAGER).order_by(User.id))
            .scalars()
            .first()
        )
        manager = load_viewer(session, manager_id)
    print(f"store: {url} ({count:,} opportunities); median/max of {args.runs} runs")
    label = demo.quarter_label(TODAY)
    cases = {
        "tree revenue (admin)": lambda s: goal_tree(s, SYSTEM, label, "revenue", TODAY),
        "tree new customers": lambda s: goal_tree(s, SYSTEM, label, "new_customers", TODAY),
        "tree cycle days": lambda s: goal_tree(
            s, SYSTEM, label, "cycle_days", TODAY, calendar=calendar
        ),
        "tree revenue (manager)": lambda s: goal_tree(s, manager, label, "revenue", TODAY),
        "tree revenue year": lambda s: goal_tree(s, SYSTEM, str(TODAY.year), "revenue", TODAY),
        "page revenue (all parts)": lambda s: page(s, SYSTEM, "revenue", calendar),
        "xlsx export": lambda s: to_xlsx(
            [present.export_sheet(goal_tree(s, SYSTEM, label, "revenue", TODAY), "zh")]
        ),
    }
    cases["forecast page (no back-test)"] = lambda s: forecast_view(
        s, SYSTEM, label, "revenue", TODAY, None, 0, calendar=calendar
    )
    cases["forecast + 4-quarter back-test"] = lambda s: forecast_view(
        s, SYSTEM, label, "revenue", TODAY, None, calendar=calendar
    )
    cases["leaderboard reps"] = lambda s: leaderboard(s, SYSTEM, label, "revenue", TODAY)
    for name, call in cases.items():
        median, worst = timed(engine, args.runs, call)
        print(f"{name:31s} median {median * 1000:8.1f} ms   max {worst * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
