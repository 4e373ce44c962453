"""``python -m salesboard bench [--size small|default|large] [--db URL] [--runs N]
[--pages N] [--sessions N]``: render every page as each role and time it cold and warm,
with the process's peak memory, beside the naive read-everything-into-pandas pattern of the
page's headline figure measured in the same run (the ratio naive / cold is the headline).
Prints a table and saves it as ``benchmarks/results/bench-<size or db name>-<stamp>.csv``.

Without ``--db`` the demo store of ``--size`` is used at /tmp/salesboard-bench-<size>.db,
generated on first use (large: 1,000,000 deals, a few minutes). The bench signs users in,
so it writes sign-in sessions to the store: point ``--db`` at a copy of a store you keep.
``--sessions N`` measures instead the memory of N sessions of different users open at once
in one process (issue 19: under 1 GB for ten at 1M). Definitions: salesboard.bench.runner."""

from __future__ import annotations

import argparse
import sys
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import make_url

from salesboard import demo
from salesboard.accounts.demo_accounts import demo_day
from salesboard.bench import runner
from salesboard.cli.common import CliError, iso_date
from salesboard.store import schema
from salesboard.store.db import create_store_engine, read_session

# The demo stores' business date (the Makefile's and the README's figures use it).
DEMO_TODAY = date(2026, 11, 23)


def add_parsers(sub) -> None:
    """Register ``bench``."""
    parser = sub.add_parser(
        "bench",
        help="time every page cold and warm against the naive pattern; memory of N sessions",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--size", default="default", choices=sorted(demo.SIZES),
                        help="demo store to generate and use when --db is not given")  # fmt: skip
    parser.add_argument("--db", metavar="URL", help="measure this store instead (it gets "
                        "sign-in sessions written)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3, help="renders per page, the median "
                        "is shown (default: 3; at 1M all pages take about 4 minutes)")  # fmt: skip
    parser.add_argument("--pages", type=int, metavar="N", help="only the first N pages")
    parser.add_argument("--sessions", type=int, metavar="N",
                        help="measure the memory of N open sessions instead of timing pages")  # fmt: skip
    parser.add_argument("--no-naive", action="store_true", help="skip the naive pattern")
    parser.add_argument("--today", type=iso_date,
                        help="business date (default: the day the store's demo was made as "
                        f"of, else {DEMO_TODAY})")  # fmt: skip
    parser.add_argument("--out", type=Path, default=runner.RESULTS,
                        help="directory of the CSV (default: benchmarks/results)")  # fmt: skip
    parser.set_defaults(func=cmd_bench)


def bench_store(args: argparse.Namespace) -> tuple[str, str]:
    """(URL, name for the CSV) of the store to measure, generating the demo store of
    ``--size`` when no ``--db`` is given and it is not there yet."""
    if args.db:
        url = make_url(args.db)
        name = Path(url.database or "store").stem
        if url.get_backend_name() == "sqlite" and not Path(url.database or "").exists():
            raise CliError(f"no store at {url.database}")
        return args.db, name
    path = Path(f"/tmp/salesboard-bench-{args.size}.db")
    url = f"sqlite:///{path}"
    if not path.exists():
        runner.progress_to_stderr(f"generating the {args.size} demo store at {path} …")
        engine = create_store_engine(url)
        schema.upgrade(engine)
        started = time.perf_counter()
        demo.generate(engine, size=args.size, seed=42, today=args.today)
        engine.dispose()
        runner.progress_to_stderr(f"generated in {time.perf_counter() - started:.0f} s")
    return url, args.size


def store_day(url: str) -> date:
    """The business date to measure a store as of: the day its demo was made as of (its
    data ends there: a page as of an earlier day counts later rows out), else ``DEMO_TODAY``."""
    engine = create_store_engine(url)
    try:
        with read_session(engine) as session:
            return demo_day(session) or DEMO_TODAY
    finally:
        engine.dispose()


def cmd_bench(args: argparse.Namespace) -> int:
    """Time the pages (or open the sessions), print the table and save the CSV."""
    if args.db is None and args.today is None:
        args.today = DEMO_TODAY  # the demo store generated below is made as of it
    url, name = bench_store(args)
    args.today = args.today or store_day(url)
    stamp = datetime.now().strftime("%Y%m%d-%H%M")
    log = runner.progress_to_stderr
    if args.sessions:
        result = runner.open_sessions(url, args.sessions, args.today, log)
        print(f"{len(result.opened)} sessions open: RSS {result.rss_after_mb:.0f} MB "
              f"(before {result.rss_before_mb:.0f} MB), peak {result.peak_mb:.0f} MB")  # fmt: skip
        runner.write_sessions_csv(result, args.out / f"sessions-{name}-{stamp}.csv")
        return 0
    runs = args.runs
    targets = runner.plan(url, args.pages)
    log(f"{len(targets)} page renders × {runs} run(s) on {name}")
    rows = runner.time_pages(url, targets, runs, args.today, log)
    if not args.no_naive:
        wanted = dict.fromkeys(runner.NAIVE_FIGURE[r.page] for r in rows
                               if r.page in runner.NAIVE_FIGURE)  # fmt: skip
        period = runner.business_period(args.today)
        rows = runner.with_naive(rows, runner.time_naive(url, wanted, runs, period,
                                                         args.today, log))  # fmt: skip
    print(runner.table(rows))
    path = runner.write_csv(rows, args.out / f"bench-{name}-{stamp}.csv")
    print(f"saved {path}", file=sys.stderr)
    return 1 if any(row.note for row in rows) else 0
