"""Shared by the benchmark scripts: the store to measure, generated when no URL is given."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from salesboard import demo  # noqa: E402
from salesboard.store import schema  # noqa: E402
from salesboard.store.db import create_store_engine  # noqa: E402

TODAY = date(2026, 11, 23)


def argument_parser(runs: int = 5) -> argparse.ArgumentParser:
    """A parser with ``--size``, ``--url`` and ``--runs`` (a script may add its own)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="default", choices=("small", "default", "large"))
    parser.add_argument("--url")
    parser.add_argument("--runs", type=int, default=runs)
    return parser


def arguments() -> argparse.Namespace:
    """``--size``, ``--url`` and ``--runs``."""
    return argument_parser().parse_args()


def signed_in_app(url: str, username: str = "admin"):
    """An AppTest of the whole app on the store at ``url`` (business date ``TODAY``), with
    ``username`` signed in as a user is; not yet run."""
    import os

    from streamlit.testing.v1 import AppTest

    from salesboard.store.settings import get_settings
    from salesboard.ui.signin import TOKEN_KEY
    from tests.apptest_support import session_token

    os.environ["SALESBOARD_DATABASE_URL"] = url
    os.environ["SALESBOARD_TODAY"] = TODAY.isoformat()
    get_settings.cache_clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state[TOKEN_KEY] = session_token(username, url)
    return at


def store_url(args: argparse.Namespace) -> str:
    """``--url``, or a temporary SQLite store filled with the demo company of ``--size``."""
    if args.url:
        return args.url
    path = Path(tempfile.mkdtemp()) / f"bench-{args.size}.db"
    url = f"sqlite:///{path}"
    engine = create_store_engine(url)
    schema.upgrade(engine)
    started = time.perf_counter()
    summary = demo.generate(engine, size=args.size, seed=42, today=TODAY)
    print(f"generated {args.size}: {summary.opportunities:,} opportunities "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    return url


def cold_and_warm(at, runs: int, prepare=None) -> tuple[float, float]:
    """Median seconds of ``runs`` renders of the app's current page: cold (query cache
    cleared, after ``prepare(at)`` if given) and warm (the rerun right after)."""
    from salesboard.ui import clear_cached

    cold, warm = [], []
    for _ in range(runs):
        clear_cached()
        if prepare is not None:
            prepare(at)
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        assert not at.exception, [e.value for e in at.exception]
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(warm)
