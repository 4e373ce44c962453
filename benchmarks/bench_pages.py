"""Render times of any pages (AppTest through the entry point) for the first user of each
role: cold (query cache cleared) and warm (same session, rerun).

Usage: python benchmarks/bench_pages.py --url URL --pages pages/scorecard.py pages/top_performers.py
       [--roles leader manager rep] [--runs 3]
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

from bench_store import argument_parser, signed_in_app, store_url  # noqa: E402


def main() -> None:
    from salesboard.ui import clear_cached
    from tests.apptest_support import first_user

    parser = argument_parser(runs=3)
    parser.add_argument("--pages", nargs="+", required=True)
    parser.add_argument("--roles", nargs="+", default=["leader", "manager", "rep"])
    args = parser.parse_args()
    url = store_url(args)
    print(f"{'page (AppTest)':40s} {'cold':>9s} {'warm':>9s}")
    for role in args.roles:
        user = first_user(role, url)
        for page in args.pages:
            cold, warm = [], []
            for _ in range(args.runs):
                at = signed_in_app(url, user)
                at.run()
                clear_cached()
                started = time.perf_counter()
                try:
                    at.switch_page(page)
                except ValueError:  # not in this role's navigation
                    break
                at.run()
                cold.append(time.perf_counter() - started)
                assert not at.exception, [e.value for e in at.exception]
                assert at.title, f"{page} drew no title (is the store's schema current?)"
                started = time.perf_counter()
                at.run()
                warm.append(time.perf_counter() - started)
            if not cold:
                continue
            label = f"{Path(page).stem} ({role})"
            print(f"{label:40s} {statistics.median(cold):7.2f} s {statistics.median(warm):7.2f} s")


if __name__ == "__main__":
    main()
