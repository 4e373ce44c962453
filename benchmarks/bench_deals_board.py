"""The deals list and the pipeline board (issue 15): their queries company-wide, for one team
and for one rep, and both pages rendered as the admin sees them (AppTest): cold (query cache
cleared) and warm (a rerun).

Usage: python benchmarks/bench_deals_board.py [--size small|default|large] [--url URL]
                                             [--runs 3] [--pages]
Without --url a temporary SQLite store is generated with the demo company of --size.
Prints figures; asserts nothing. Signing in for --pages writes a session row: point it at a
copy of a shared benchmark store.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import (  # noqa: E402
    TODAY,
    argument_parser,
    cold_and_warm,
    signed_in_app,
    store_url,
)
from sqlalchemy import select  # noqa: E402
from sqlmodel import Session  # noqa: E402

from salesboard.accounts.access import SYSTEM, viewer_for  # noqa: E402
from salesboard.calendar.workdays import load_calendar  # noqa: E402
from salesboard.pipeline.board import pipeline_board  # noqa: E402
from salesboard.pipeline.deal_search import DealSearch, search_deals  # noqa: E402
from salesboard.store.db import create_store_engine  # noqa: E402
from salesboard.store.filters import NO_FILTER, OpportunityFilter  # noqa: E402
from salesboard.store.models import Role, User  # noqa: E402

QUERIES = {
    "list: open by amount": lambda s, v, f: search_deals(s, v, DealSearch(), f, TODAY),
    "list: open, page 100": lambda s, v, f: search_deals(s, v, DealSearch(page=100), f, TODAY),
    "list: lost by last activity": lambda s, v, f: search_deals(
        s, v, DealSearch(status="lost", sort="last_activity"), f, TODAY
    ),
    "list: won, oldest first": lambda s, v, f: search_deals(
        s, v, DealSearch(status="won", sort="created", descending=False), f, TODAY
    ),
    "list: code prefix XS202611": lambda s, v, f: search_deals(
        s, v, DealSearch(text="XS202611"), f, TODAY
    ),
    "list: customer name 科技": lambda s, v, f: search_deals(
        s, v, DealSearch(text="科技", status="won"), f, TODAY
    ),
    "board (20 a column)": lambda s, v, f: pipeline_board(s, v, f, TODAY),
    "board, one column of 100": lambda s, v, f: pipeline_board(
        s, v, f, TODAY, (("negotiation", 100),), "negotiation"
    ),
}


def scopes(session: Session, team: int) -> dict[str, tuple]:
    """The viewers measured: the company (admin), one team, one rep of that team."""
    reps = select(User).where(User.role == Role.REP).order_by(User.team_id != team, User.id)
    rep = session.execute(reps.limit(1)).scalar_one()
    return {
        "company": (SYSTEM, NO_FILTER),
        f"team {team}": (SYSTEM, OpportunityFilter(team_ids=(team,))),
        "one rep": (viewer_for(session, rep), NO_FILTER),
    }


def main() -> None:
    parser = argument_parser(runs=3)
    parser.add_argument("--team", type=int, default=1, help="team id for the team's view")
    parser.add_argument("--pages", action="store_true", help="also render the pages (AppTest)")
    args = parser.parse_args()
    url = store_url(args)
    engine = create_store_engine(url)
    with Session(engine) as session:
        load_calendar(session)  # the page's process has its calendar loaded
        measured = scopes(session, args.team)
    print(f"{'query':30s} " + " ".join(f"{name:>22s}" for name in measured))
    for name, call in QUERIES.items():
        cells = []
        for viewer, filters in measured.values():
            times = []
            for _ in range(args.runs):
                with Session(engine) as session:
                    started = time.perf_counter()
                    call(session, viewer, filters)
                    times.append(time.perf_counter() - started)
            cells.append(
                f"{statistics.median(times) * 1000:9.0f} ms (max {max(times) * 1000:5.0f})"
            )
        print(f"{name:30s} " + " ".join(f"{c:>22s}" for c in cells))
    if args.pages:
        render_pages(url, args.runs)


def render_pages(url: str, runs: int) -> None:
    """Both pages through AppTest as the admin: cold (cache cleared) and warm."""
    at = signed_in_app(url)
    at.run()
    print(f"\n{'page (AppTest, admin)':30s} {'cold':>10s} {'warm':>10s}")
    for page in ("pages/deals.py", "pages/pipeline_board.py"):
        at.switch_page(page).run()
        cold, warm = cold_and_warm(at, runs)
        print(f"{page:30s} {cold:8.2f} s {warm:8.2f} s")


if __name__ == "__main__":
    main()
