"""Overview page render time (AppTest, entry point → Overview) and its queries, on a store.

Usage: python benchmarks/bench_overview.py [--size small|default|large] [--url URL] [--runs 5]
Without --url a temporary SQLite store is generated with the demo company of --size.
Prints figures; asserts nothing (speed targets live here, not in timed tests).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import TODAY, arguments, signed_in_app, store_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from salesboard.accounts.access import SYSTEM  # noqa: E402
from salesboard.calendar.periods import period_containing  # noqa: E402
from salesboard.overview.figures import (  # noqa: E402
    monthly_won_vs_goal,
    overview_kpis,
    pipeline_by_stage,
)
from salesboard.store.db import create_store_engine  # noqa: E402


def main() -> None:
    args = arguments()
    url = store_url(args)
    engine = create_store_engine(url)
    quarter = period_containing("quarter", TODAY)

    for name, call in {
        "overview_kpis": lambda s: overview_kpis(s, SYSTEM, quarter, TODAY),
        "monthly_won_vs_goal": lambda s: monthly_won_vs_goal(s, SYSTEM, TODAY),
        "pipeline_by_stage": lambda s: pipeline_by_stage(s, SYSTEM),
    }.items():
        times = []
        for _ in range(args.runs):
            with Session(engine) as session:
                started = time.perf_counter()
                call(session)
                times.append(time.perf_counter() - started)
        print(
            f"{name:22s} median {statistics.median(times) * 1000:8.1f} ms  max {max(times) * 1000:8.1f} ms"
        )

    cold, warm = [], []
    for _ in range(args.runs):
        at = signed_in_app(url)
        started = time.perf_counter()
        at.run()  # new session; query cache cleared below, so this is a cold render
        cold.append(time.perf_counter() - started)
        assert not at.exception, at.exception
        started = time.perf_counter()
        at.run()  # same session, cached queries: what a user sees when touching a widget
        warm.append(time.perf_counter() - started)
        from salesboard.ui import clear_cached

        clear_cached()
    print(
        f"{'AppTest overview cold':22s} median {statistics.median(cold):8.2f} s   max {max(cold):8.2f} s"
    )
    print(
        f"{'AppTest overview warm':22s} median {statistics.median(warm):8.2f} s   max {max(warm):8.2f} s"
    )


if __name__ == "__main__":
    main()
