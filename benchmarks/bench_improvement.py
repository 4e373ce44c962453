"""Improvement actions (issue 16): "did it work" for each target metric (pilot team 1 vs the
rest, 60-day windows) as the admin sees it, and the improvement page — the board and one
action's detail with its before/after view — rendered as the admin (AppTest): cold (query
cache cleared) and warm (a rerun).

Usage: python benchmarks/bench_improvement.py [--size small|default|large] [--url URL]
                                              [--runs 3] [--pages]
Without --url a temporary SQLite store is generated with the demo company of --size. A store
without improvement actions gets one per target metric (written: point it at a copy of a
shared benchmark store). Prints figures; asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import TODAY, argument_parser, cold_and_warm, signed_in_app, store_url  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from salesboard.accounts.access import SYSTEM  # noqa: E402
from salesboard.calendar.workdays import load_calendar  # noqa: E402
from salesboard.improvement.actions import create_action, list_actions  # noqa: E402
from salesboard.improvement.check import check_action  # noqa: E402
from salesboard.improvement.targets import METRICS  # noqa: E402
from salesboard.store.db import create_store_engine, write_session  # noqa: E402
from salesboard.store.models import ImprovementAction, Team  # noqa: E402


def ensure_actions(engine) -> dict[str, int]:
    """One action per target metric (pilot: the first team), started 60 days before TODAY."""
    with write_session(engine) as s:
        found = dict(s.execute(select(ImprovementAction.metric, ImprovementAction.id)).all())
        team = s.execute(select(Team.id).order_by(Team.id)).scalars().first()
        for code in METRICS:
            if code not in found:
                found[code] = create_action(
                    s, SYSTEM,
                    {"pain_point": f"bench {code}", "metric": code, "team_id": team,
                     "start_on": TODAY - timedelta(days=60), "due_on": TODAY + timedelta(days=30)},
                    pilots=(team,),
                )  # fmt: skip
    return {code: found[code] for code in METRICS}


def main() -> None:
    parser = argument_parser(runs=3)
    parser.add_argument("--pages", action="store_true", help="also render the pages (AppTest)")
    args = parser.parse_args()
    url = store_url(args)
    engine = create_store_engine(url)
    actions = ensure_actions(engine)
    with Session(engine) as session:
        load_calendar(session)
    print(f"{'did it work (admin)':28s} {'median':>10s} {'max':>8s}  verdict")
    for code, action_id in actions.items():
        times = []
        for _ in range(args.runs):
            with Session(engine) as session:
                started = time.perf_counter()
                check = check_action(session, SYSTEM, action_id, TODAY)
                times.append(time.perf_counter() - started)
        print(f"{code:28s} {statistics.median(times) * 1000:7.0f} ms {max(times) * 1000:5.0f} ms"
              f"  {check.verdict}")  # fmt: skip
    with Session(engine) as session:
        started = time.perf_counter()
        list_actions(session, SYSTEM, TODAY)
        print(f"{'board list':28s} {(time.perf_counter() - started) * 1000:7.0f} ms")
    if args.pages:
        render_pages(url, actions, args.runs)


def render_pages(url: str, actions: dict[str, int], runs: int) -> None:
    """The board and each action's detail through AppTest as the admin: cold and warm."""
    at = signed_in_app(url)
    at.run()
    print(f"\n{'page (AppTest, admin)':36s} {'cold':>10s} {'warm':>10s}")
    at.switch_page("pages/improvement.py").run()
    cold, warm = cold_and_warm(at, runs)
    shown = at.title[0].value if at.title else "(no title)"
    print(f"{'improvements board':36s} {cold:8.2f} s {warm:8.2f} s  {shown}")
    for code, action_id in actions.items():
        at.query_params["action"] = str(action_id)
        cold, warm = cold_and_warm(at, runs)
        shown = at.title[0].value if at.title else "(no title)"
        print(f"{'action: ' + code:36s} {cold:8.2f} s {warm:8.2f} s  {shown}")


if __name__ == "__main__":
    main()
