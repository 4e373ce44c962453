"""My work (我的工作台) for a rep and a manager: the lists' computation (``worklist.my_work``)
and the page as the user sees it (AppTest, signed in as that user): cold (query cache
cleared) and warm (a rerun), median of ``--runs``.

Usage: python benchmarks/bench_my_work.py [--size small|default|large] [--url URL] [--runs 5]
Without --url a temporary SQLite store is generated with the demo company of --size.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_store import TODAY, arguments, store_url  # noqa: E402
from sqlalchemy import select  # noqa: E402

from salesboard.accounts.access import load_viewer  # noqa: E402
from salesboard.store.db import create_store_engine, read_session  # noqa: E402
from salesboard.store.models import Role, User  # noqa: E402
from salesboard.worklist.lists import my_work  # noqa: E402


def first_of(url: str, role: str) -> tuple[int, str]:
    """(id, username) of the first user with ``role``."""
    engine = create_store_engine(url)
    with read_session(engine) as session:
        row = session.execute(
            select(User.id, User.username).where(User.role == role).order_by(User.id)
        ).first()
    engine.dispose()
    return int(row[0]), row[1]


def lists_time(url: str, user_id: int, runs: int) -> float:
    """Median seconds of ``my_work`` (a fresh session each run)."""
    engine = create_store_engine(url)
    times = []
    for _ in range(runs):
        with read_session(engine) as session:
            viewer = load_viewer(session, user_id)
            started = time.perf_counter()
            my_work(session, viewer, TODAY)
            times.append(time.perf_counter() - started)
    engine.dispose()
    return statistics.median(times)


def page_times(url: str, username: str, runs: int) -> tuple[float, float]:
    """Median cold and warm seconds of the page, signed in as ``username``."""
    from streamlit.testing.v1 import AppTest

    from salesboard.store.settings import get_settings
    from salesboard.ui import clear_cached
    from salesboard.ui.signin import TOKEN_KEY
    from tests.apptest_support import session_token

    os.environ["SALESBOARD_DATABASE_URL"] = url
    os.environ["SALESBOARD_TODAY"] = TODAY.isoformat()
    get_settings.cache_clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state[TOKEN_KEY] = session_token(username, url)
    at.run()
    started = time.perf_counter()
    at.switch_page("pages/my_work.py").run()
    first = time.perf_counter() - started
    assert not at.exception, [e.value for e in at.exception]
    cold, warm = [first], []
    for _ in range(runs):
        clear_cached()
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    assert not at.exception, [e.value for e in at.exception]
    return statistics.median(cold), statistics.median(warm)


def main() -> None:
    args = arguments()
    url = store_url(args)
    print(f"{'My work':28s} {'lists':>8s} {'page cold':>10s} {'page warm':>10s}")
    for role in (Role.REP, Role.MANAGER):
        user_id, username = first_of(url, role)
        lists = lists_time(url, user_id, args.runs)
        cold, warm = page_times(url, username, args.runs)
        print(f"{role + ' ' + username:28s} {lists:7.2f}s {cold:9.2f}s {warm:9.2f}s")


if __name__ == "__main__":
    main()
