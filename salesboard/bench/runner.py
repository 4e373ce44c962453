"""The benchmark behind ``python -m salesboard bench``: every page a role may open, rendered
through the entry point (Streamlit's AppTest runs ``app.py`` by path, as the server does),
cold and warm, with the process's peak resident memory; beside each page the naive pattern
of its headline figure (``salesboard.bench.naive``), timed in the same run. The headline is
the ratio naive time / cold page time.

Definitions:
- one signed-in session per role (the first leader, manager and rep by id; admin for the
  pages only admins open) renders the pages one after another, as a user clicking through;
  the deal and customer pages open a sample (the open deal with the most key actions among
  the newest 5,000, its customer) for a leader and for the deal's rep, who may read it;
- cold = ``st.cache_data.clear()`` (no cached query result, as for the first viewer after
  the caches' 60 s lifetime) then the render; warm = the rerun right after; median of
  ``runs``;
- rss_mb = the process's peak resident set while the page rendered (Linux: the high-water
  mark is reset before each page through ``/proc/self/clear_refs``), rss_delta_mb = that
  peak minus the resident set before; the naive columns are measured the same way;
- ten sessions (``sessions``): N sessions of different users (leaders, managers and reps in
  turn) each open the landing page and then one of the heavy pages, all kept open; the
  process's resident set after the last one and its peak are the app's memory for N users
  (one process shares the query cache between sessions, as the server does).

Progress goes to standard error; the table to standard output; ``write_csv`` saves it."""

from __future__ import annotations

import csv
import functools
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from pathlib import Path

from sqlalchemy import func
from sqlmodel import Session, select

from salesboard.accounts import auth
from salesboard.bench import naive
from salesboard.calendar.periods import Period, quarter
from salesboard.store.db import create_store_engine, write_session
from salesboard.store.models import OpportunityStatus, Role, User
from salesboard.store.tables import ACTION, OPP, USER

ROOT = Path(__file__).resolve().parent.parent.parent
APP = ROOT / "app.py"
RESULTS = ROOT / "benchmarks" / "results"
ROLES = (Role.LEADER, Role.MANAGER, Role.REP)

# The headline figure of each page, computed the naive way (``naive.FIGURES``); pages not
# listed have none (forms, settings, one deal or customer: nothing to read in bulk).
NAIVE_FIGURE = {
    "my_work": "overdue",
    "overview": "won by owner",
    "goal_attainment": "won by owner",
    "goal_forecast": "won by owner",
    "goal_leaderboard": "won by owner",
    "top_performers": "won by owner",
    "pipeline_review": "funnel",
    "deals": "open pipeline",
    "pipeline_board": "open pipeline",
    "lead_inbox": "leads",
    "customer_list": "customers",
    "customer_matrix": "customers",
    "region_page": "customers",
    "scorecard": "stage durations",
}
# The pages the ten-session measurement opens, in turn (the heaviest of each role).
SESSION_PAGES = {
    Role.LEADER: ("pages/pipeline_review.py", "pages/scorecard.py", "pages/top_performers.py"),
    Role.MANAGER: ("pages/pipeline_review.py", "pages/pipeline_board.py", "pages/region_page.py"),
    Role.REP: ("pages/my_work.py", "pages/pipeline_board.py", "pages/customer_matrix.py"),
}  # fmt: skip


@dataclass(frozen=True)
class Target:
    """One page to time for one user; ``query`` holds the sample's query parameters."""

    path: str
    role: str
    username: str
    query: tuple[tuple[str, str], ...] = ()

    @property
    def name(self) -> str:
        """The page's file name without ``.py``."""
        return Path(self.path).stem


@dataclass
class Row:
    """One line of the table and the CSV (seconds, megabytes; None: not measured)."""

    page: str
    role: str
    cold_s: float | None = None
    warm_s: float | None = None
    naive_s: float | None = None
    ratio: float | None = None
    rss_mb: float | None = None
    rss_delta_mb: float | None = None
    naive: str = ""
    naive_rss_mb: float | None = None
    note: str = ""


@dataclass
class SessionsResult:
    """The memory of ``len(opened)`` open sessions: (user, role, page, seconds) each."""

    opened: list[tuple[str, str, str, float]] = field(default_factory=list)
    rss_before_mb: float = 0.0
    rss_after_mb: float = 0.0
    peak_mb: float = 0.0


# ----------------------------------------------------------------------- process memory


def rss_mb() -> float:
    """The process's resident set now, in MB (from ``/proc/self/statm``)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except OSError:  # not Linux: the peak is the best we have
        return peak_mb()
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


def peak_mb() -> float:
    """The process's peak resident set since start or the last ``reset_peak``, in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024 / 1e6
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6


def reset_peak() -> None:
    """Start a new peak measurement (Linux ≥ 4.0; elsewhere the peak stays the process's)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def _measured(call: Callable[[], object]) -> tuple[float, float, float]:
    """(seconds, peak MB, peak increase MB) of ``call()``."""
    before = rss_mb()
    reset_peak()
    started = time.perf_counter()
    call()
    seconds = time.perf_counter() - started
    peak = peak_mb()
    return seconds, peak, peak - before


# --------------------------------------------------------------------------- the plan


def first_user(url: str, role: str) -> str | None:
    """The username of the first user with ``role`` (by id), None if there is none."""
    engine = create_store_engine(url)
    try:
        with Session(engine) as session:
            query = select(User.username).where(User.role == role).order_by(User.id)
            return session.exec(query).first()
    finally:
        engine.dispose()


def users_by_role(url: str, count: int) -> list[tuple[str, str]]:
    """``count`` (username, role) pairs taking leaders, managers and reps in turn (active
    users only; fewer if the store has fewer)."""
    engine = create_store_engine(url)
    with Session(engine) as session:
        pools = {
            role: list(session.exec(
                select(User.username).where(User.role == role, User.active).order_by(User.id)
            ))
            for role in ROLES
        }  # fmt: skip
    engine.dispose()
    chosen: list[tuple[str, str]] = []
    while len(chosen) < count and any(pools.values()):
        for role in ROLES:
            if pools[role] and len(chosen) < count:
                chosen.append((pools[role].pop(0), role))
    return chosen


def sample_deal(url: str) -> tuple[str, int, str] | None:
    """(code, customer id, owner's username) of the open deal with the most key actions
    among the newest 5,000 (a long timeline; bounded so the pick stays quick at 10M)."""
    engine = create_store_engine(url)
    try:
        with Session(engine) as s:
            newest = s.execute(select(func.max(OPP.c.id))).scalar_one() or 0
            deal_id = s.execute(
                select(ACTION.c.opportunity_id).join(OPP, OPP.c.id == ACTION.c.opportunity_id)
                .where(OPP.c.status == OpportunityStatus.OPEN, OPP.c.id > newest - 5000)
                .group_by(ACTION.c.opportunity_id).order_by(func.count().desc()).limit(1)
            ).scalar_one_or_none()  # fmt: skip
            if deal_id is None:
                return None
            return s.execute(
                select(OPP.c.code, OPP.c.customer_id, USER.c.username)
                .join(USER, USER.c.id == OPP.c.owner_id).where(OPP.c.id == deal_id)
            ).one()  # fmt: skip
    finally:
        engine.dispose()


def plan(url: str, limit: int | None = None) -> list[Target]:
    """The (page, user) pairs to time: every page of the registry for each role that may open
    it (admin where only admins may), the sample pages for a leader and the deal's rep;
    the first ``limit`` pages only if given."""
    quiet_streamlit()
    # The page registry is the UI's data: read here, in the one function that needs it.
    from salesboard.ui.navigation import PAGES

    users = {role: first_user(url, role) for role in (*ROLES, Role.ADMIN)}
    sample = sample_deal(url)
    samples = {}
    if sample is not None:
        code, customer_id, owner = sample
        samples = {
            "opportunity_detail": ((("code", code),), owner),
            "customer_detail": ((("id", str(customer_id)),), owner),
        }
    targets: list[Target] = []
    for entry in PAGES[:limit]:
        name = Path(entry.path).stem
        if name in samples:
            query, owner = samples[name]
            pairs = [(Role.LEADER, users[Role.LEADER]), (Role.REP, owner)]
        else:
            query = ()
            roles = [role for role in ROLES if role in entry.roles] or [Role.ADMIN]
            pairs = [(role, users[role]) for role in roles]
        targets += [Target(entry.path, role, user, query) for role, user in pairs if user]
    return targets


# ------------------------------------------------------------------------------ AppTest


@functools.cache  # once: each call would add another filter
def quiet_streamlit() -> None:
    """Silence Streamlit's warnings of running without a server ("missing
    ScriptRunContext"; "No runtime found", which every cache made again after a cold start
    logs whatever the level): expected under AppTest, noise between the progress lines."""
    import logging

    from streamlit import logger

    class _NoRuntimeNote(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            return "No runtime found" not in record.getMessage()

    logger.set_log_level("error")
    logger.get_logger("streamlit.runtime.caching.cache_data_api").addFilter(_NoRuntimeNote())


def session_token(url: str, username: str) -> str:
    """A fresh sign-in token for ``username`` in the store at ``url``."""
    engine = create_store_engine(url)
    try:
        with write_session(engine) as session:
            user = session.exec(select(User).where(User.username == username)).one()
            return auth.start_session(session, user)
    finally:
        engine.dispose()


def signed_in_app(url: str, username: str, today: date | None):
    """An AppTest of the whole app (``app.py``) on the store at ``url`` with ``username``
    signed in as a user is (the sign-in token in the session state); not yet run."""
    from streamlit.testing.v1 import AppTest

    from salesboard.store.settings import get_settings

    os.environ["SALESBOARD_DATABASE_URL"] = url
    if today is not None:
        os.environ["SALESBOARD_TODAY"] = today.isoformat()
    get_settings.cache_clear()
    at = AppTest.from_file(str(APP), default_timeout=600)
    # The key ``salesboard.ui.signin.TOKEN_KEY`` holds (a string: the UI is not imported).
    at.session_state["auth_token"] = session_token(url, username)
    return at


def _failure(at) -> str:
    if at.exception:
        return "; ".join(str(e.value) for e in at.exception)[:200]
    if not at.title:
        return "drew no title"
    return ""


def time_pages(
    url: str, targets: Iterable[Target], runs: int, today: date | None, progress=print
) -> list[Row]:
    """Cold and warm medians and the peak memory of each target (see the module's doc)."""
    import streamlit as st

    rows: list[Row] = []
    apps: dict[str, object] = {}
    for target in targets:
        at = apps.get(target.username)
        if at is None:  # one session per user, signed in once and reused for its pages
            at = apps[target.username] = signed_in_app(url, target.username, today)
            at.run()
        row = Row(target.name, target.role)
        cold, warm, peaks, deltas = [], [], [], []
        for _ in range(runs):
            st.cache_data.clear()
            at.query_params = dict(target.query)
            at.switch_page(target.path)
            seconds, peak, delta = _measured(at.run)
            if failure := _failure(at):
                row.note = failure
                break
            cold.append(seconds)
            peaks.append(peak)
            deltas.append(delta)
            warm.append(_measured(at.run)[0])
        if cold:
            row.cold_s, row.warm_s = statistics.median(cold), statistics.median(warm)
            row.rss_mb, row.rss_delta_mb = max(peaks), max(deltas)
        progress(f"{target.name} ({target.role}): {row.cold_s or 0:.2f} s cold "
                 f"{row.note}")  # fmt: skip
        rows.append(row)
    return rows


# -------------------------------------------------------------------------------- naive


def time_naive(
    url: str, names: Iterable[str], runs: int, period: Period, as_of: date, progress=print
) -> dict[str, tuple[float, float]]:
    """Median seconds and peak MB of each naive figure in ``names``."""
    engine = create_store_engine(url)
    figures: dict[str, tuple[float, float]] = {}
    try:
        for name in names:
            compute = naive.FIGURES[name]
            measured = [_measured(lambda c=compute: c(engine, period, as_of)) for _ in range(runs)]
            figures[name] = (
                statistics.median(m[0] for m in measured),
                max(m[1] for m in measured),
            )
            progress(f"naive {name}: {figures[name][0]:.2f} s")
    finally:
        engine.dispose()
    return figures


def with_naive(rows: list[Row], figures: dict[str, tuple[float, float]]) -> list[Row]:
    """The rows with their page's naive figure, time and ratio filled in."""
    for row in rows:
        name = NAIVE_FIGURE.get(row.page)
        if name in figures and row.cold_s:
            row.naive = name
            row.naive_s, row.naive_rss_mb = figures[name]
            row.ratio = row.naive_s / row.cold_s
    return rows


def business_period(today: date) -> Period:
    """The quarter of ``today``: the period of the naive figures (the pages' default)."""
    return quarter(today.year, (today.month - 1) // 3 + 1)


# ----------------------------------------------------------------------------- sessions


def open_sessions(url: str, count: int, today: date | None, progress=print) -> SessionsResult:
    """Open ``count`` sessions of different users, each on its landing page and then a heavy
    page of its role, and keep them all open: the process's memory after the last."""
    quiet_streamlit()
    result = SessionsResult(rss_before_mb=rss_mb())
    apps = []  # kept referenced: an open session holds its state and elements
    for number, (username, role) in enumerate(users_by_role(url, count)):
        pages = SESSION_PAGES[role]
        page = pages[number // len(ROLES) % len(pages)]
        at = signed_in_app(url, username, today)
        started = time.perf_counter()
        at.run()
        at.switch_page(page).run()
        seconds = time.perf_counter() - started
        apps.append(at)
        result.opened.append((username, role, Path(page).stem, seconds))
        progress(f"session {number + 1}: {username} ({role}) {Path(page).stem} "
                 f"{seconds:.2f} s, RSS {rss_mb():.0f} MB")  # fmt: skip
    result.rss_after_mb, result.peak_mb = rss_mb(), peak_mb()
    return result


# ------------------------------------------------------------------------------- output


def _cell(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table(rows: list[Row]) -> str:
    """The rows as a plain-text table (— where nothing was measured)."""
    lines = [f"{'page':22s} {'role':8s} {'cold s':>7s} {'warm s':>7s} {'RSS MB':>7s} "
             f"{'naive':16s} {'naive s':>8s} {'RSS MB':>7s} {'ratio':>7s}"]  # fmt: skip
    for r in rows:
        lines.append(
            f"{r.page:22s} {r.role:8s} {_cell(r.cold_s):>7s} {_cell(r.warm_s):>7s} "
            f"{_cell(r.rss_mb, 0):>7s} {r.naive or '—':16s} {_cell(r.naive_s):>8s} "
            f"{_cell(r.naive_rss_mb, 0):>7s} {_cell(r.ratio, 1):>7s}"
            + (f"  {r.note}" if r.note else "")
        )
    return "\n".join(lines)


def write_csv(rows: list[Row], path: Path) -> Path:
    """Save the rows (one per page and role) to ``path``, creating its directory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=[f.name for f in fields(Row)])
        writer.writeheader()
        for row in rows:
            writer.writerow({k: ("" if v is None else v) for k, v in asdict(row).items()})
    return path


def write_sessions_csv(result: SessionsResult, path: Path) -> Path:
    """Save the open sessions (user, role, page, seconds) and the memory figures to ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["user", "role", "page", "render_s", "rss_after_all_mb", "peak_mb"])
        for user, role, page, seconds in result.opened:
            writer.writerow([user, role, page, f"{seconds:.3f}",
                             f"{result.rss_after_mb:.0f}", f"{result.peak_mb:.0f}"])  # fmt: skip
    return path


def progress_to_stderr(message: str) -> None:
    """Print a progress line on standard error (the table goes to standard output)."""
    print(message, file=sys.stderr, flush=True)
