"""Monday 09:00: N sessions arrive within a few seconds, each signs in as a different demo
user, waits for a finished Overview and opens the Pipeline review; some of them also save an
overdue edit (managers) or a feedback draft (reps). Prints figures (not a timed test): time
to a finished Overview (p50/p95), errors, server CPU per session, server RSS, lost writes and
"database is locked" in the server log.

    python benchmarks/bench_load.py --sessions 1,10,30 [--processes 1] [--writers 5]
        [--client protocol|browser]

``--client protocol`` (the default) drives each session over Streamlit's own websocket
protocol (``benchmarks/st_protocol.py``): what the server does for a user, without a browser
that parses and renders the frontend bundle. ``--client browser`` drives headless Chromium
instead; with thirty of them on two cores it measures the browsers more than the server.

``--processes K`` (K > 1) runs K app processes behind nginx with the sticky routing cookie of
docs/deployment.md. The servers run at normal priority; this script and its browsers run
niced (``--nice``), so the load generator yields the two cores to the servers first.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import streamlit.logger  # noqa: E402

streamlit.logger.set_log_level("error")  # no "No runtime found" from the imports below

from benchmarks import st_protocol as sp  # noqa: E402
from benchmarks.bench_store import TODAY  # noqa: E402
from salesboard.accounts.demo_accounts import DEMO_PASSWORD  # noqa: E402
from salesboard.i18n import TRANSLATIONS  # noqa: E402
from salesboard.ui.handoff import CSRF_HEADER  # noqa: E402
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, _wait_healthy  # noqa: E402
from tests.pg_server import free_port  # noqa: E402

TIMEOUT_MS = 300_000
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
NEXT_STEP_COLUMN = 10  # the overdue table's next-step column (tests/browser/test_pipeline_...)
KPI_REASON_COLUMN = 10  # the KPI table's reason column (tests/browser/test_feedback_browser)
NGINX = """
worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  map $cookie_sb_route $sb_route {{ "" $request_id; default $cookie_sb_route; }}
  map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
  upstream salesboard {{ hash $sb_route consistent; {servers} }}
  server {{
    listen 127.0.0.1:{port};
    client_max_body_size 60m;
    location / {{
      proxy_pass http://salesboard; proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade; proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $http_host; proxy_read_timeout 86400s; proxy_buffering off;
      add_header Set-Cookie "sb_route=$sb_route; Path=/; HttpOnly; SameSite=Lax" always;
    }}
  }}
}}
"""


@dataclass
class Session:
    """One simulated user: who, what they do, and what happened."""

    username: str
    role: str
    writes: str = ""  # "overdue" or "feedback" for the writers
    overview_s: float | None = None
    pipeline_s: float | None = None
    wrote: str = ""
    error: str = ""


@dataclass
class Servers:
    """The app processes (and nginx) of one round."""

    processes: list[subprocess.Popen]
    base_url: str
    logs: list[Path]
    nginx: subprocess.Popen | None = None
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="bench-load-")))

    def stop(self) -> None:
        """Stop every process this round started (by its own id)."""
        for process in self.processes:
            process.send_signal(signal.SIGTERM)
        if self.nginx is not None:
            self.nginx.send_signal(signal.SIGQUIT)
        for process in [*self.processes, *([self.nginx] if self.nginx else [])]:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def start_servers(url: str, count: int) -> Servers:
    """``count`` app processes on free ports (nginx in front when more than one)."""
    env = {**os.environ, "SALESBOARD_DATABASE_URL": url, "SALESBOARD_TODAY": TODAY.isoformat(),
           "PYTHONPATH": str(ROOT)}  # fmt: skip
    workdir = Path(tempfile.mkdtemp(prefix="bench-load-"))
    processes, logs, ports = [], [], []
    for i in range(count):
        port = free_port()
        log = workdir / f"server-{i}.log"
        command = [sys.executable, "-m", "salesboard.ui.serve", "--server.headless", "true",
                   "--server.port", str(port), "--server.address", "127.0.0.1",
                   "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]  # fmt: skip
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log.open("w"),
                                          stderr=subprocess.STDOUT))  # fmt: skip
        ports.append(port)
        logs.append(log)
    for port, process in zip(ports, processes, strict=True):
        _wait_healthy(f"http://127.0.0.1:{port}", process, timeout=120)
    if count == 1:
        return Servers(processes, f"http://127.0.0.1:{ports[0]}", logs, workdir=workdir)
    port = free_port()
    servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
    conf = workdir / "nginx.conf"
    conf.write_text(NGINX.format(prefix=workdir, servers=servers, port=port))
    nginx = subprocess.Popen(["nginx", "-p", str(workdir), "-c", str(conf), "-g", "daemon off;"])
    _wait_healthy(f"http://127.0.0.1:{port}", nginx, timeout=30)
    return Servers(processes, f"http://127.0.0.1:{port}", logs, nginx, workdir)


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its waited-for children, in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(fields[i]) for i in (11, 12, 13, 14))
    return ticks / os.sysconf("SC_CLK_TCK")


def memory_mb(pid: int, field_name: str) -> float:
    """A memory figure of /proc/PID/status (VmRSS now, VmHWM the peak) in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field_name + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def demo_users(url: str) -> list[tuple[str, str]]:
    """(username, role) of every active demo user of the sales organisation, reps and
    managers first (support staff do not open the Overview or the Pipeline review)."""
    import sqlite3

    order = {"rep": 0, "manager": 1, "leader": 2, "admin": 3}
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        rows = db.execute("SELECT username, role FROM user WHERE active ORDER BY id").fetchall()
    return sorted((r for r in rows if r[1] in order), key=lambda r: order[r[1]])


def plan(url: str, count: int, writers: int) -> list[Session]:
    """``count`` sessions with different users: reps, managers, leaders, the admin; the
    first ``writers`` managers and reps (alternating) also write."""
    users = demo_users(url)
    managers = [u for u in users if u[1] == "manager"]
    reps = [u for u in users if u[1] == "rep"]
    chosen: list[Session] = []
    for i in range(writers):
        pool, writes = (managers, "overdue") if i % 2 == 0 else (reps, "feedback")
        if pool:
            name, role = pool.pop(0)
            chosen.append(Session(name, role, writes))
    taken = {s.username for s in chosen}
    chosen += [Session(n, r) for n, r in users if n not in taken][: count - len(chosen)]
    return chosen[:count]


async def finished(page) -> None:
    """Wait until Streamlit has finished the script run that is under way."""
    await page.wait_for_timeout(300)
    await page.wait_for_selector(FINISHED, timeout=TIMEOUT_MS)


async def run_session(browser, base: str, session: Session, start: float) -> None:
    """Sign in, wait for a finished Overview, open the Pipeline review, write if a writer."""
    context = await browser.new_context(viewport={"width": 1400, "height": 2400}, locale="en-US")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        await page.goto(f"{base}/?lang=en")
        await page.locator(".st-key-sign_in_username input").fill(session.username)
        await page.locator(".st-key-sign_in_password input").fill(DEMO_PASSWORD)
        await page.locator(".st-key-sign_in_password input").press("Enter")
        await page.wait_for_selector('[data-testid="stMetric"]')
        await finished(page)
        session.overview_s = time.monotonic() - start
        opened = time.monotonic()
        await page.locator('[data-testid="stSidebarNav"] a[href$="/pipeline"]').click()
        await page.get_by_role("heading", name="Weekly pipeline review").wait_for()
        await finished(page)
        session.pipeline_s = time.monotonic() - opened
        if session.writes == "overdue":
            await write_overdue(page, session)
        elif session.writes == "feedback":
            await write_feedback(page, base, session)
        if await page.locator('[data-testid="stException"]').count():
            session.error = "exception shown on the page"
    except Exception as error:  # a timeout or a missing element: an error of this session
        session.error = f"{type(error).__name__}: {str(error).splitlines()[0][:120]}"
    finally:
        await context.close()


async def editor_open(page) -> None:
    """Wait until the grid's cell editor has the focus (keys typed earlier are lost)."""
    await page.wait_for_function(
        "(e => e && ['INPUT', 'TEXTAREA'].includes(e.tagName))(document.activeElement)"
    )
    await page.wait_for_timeout(200)


async def to_column(page, grid, column: int) -> None:
    """Open the editor of ``column`` in the grid's first row with the keyboard (the column
    widths differ by language: no pixel offsets)."""
    box = await grid.bounding_box()
    await page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)
    await page.wait_for_timeout(300)
    for _ in range(20):  # to the first column, wherever the click landed
        await page.keyboard.press("ArrowLeft")
    for _ in range(column):
        await page.keyboard.press("ArrowRight")
    await page.keyboard.press("Enter")


async def write_overdue(page, session: Session) -> None:
    """Type a next step into the first overdue row and save it."""
    await page.get_by_role("tab", name="Overdue deals").click()
    # Wait on state, not on time: the overdue editor is drawn only by the run the tab click
    # started, and the run has ended (a grid found before then is replaced and detached).
    grid = page.locator('[class*="st-key-pl_overdue_editor_"] [data-testid="stDataFrame"]')
    await grid.wait_for(state="visible")
    await page.wait_for_selector(FINISHED)
    await grid.scroll_into_view_if_needed()
    cells = grid.locator("td")
    await cells.first.wait_for(state="attached")
    link = await cells.first.inner_text()
    code = link.split("code=")[1].split("&")[0] if "code=" in link else ""
    await to_column(page, grid, NEXT_STEP_COLUMN)
    await editor_open(page)
    session.wrote = f"bench {session.username} {time.time():.0f}|{code}"
    await page.keyboard.type(session.wrote.split("|")[0])
    await page.wait_for_timeout(400)
    await page.keyboard.press("Enter")
    await page.wait_for_timeout(500)
    await page.get_by_role("button", name="Save changes").click()
    await page.get_by_test_id("stAlert").filter(has_text="Saved (1)").wait_for()


async def write_feedback(page, base: str, session: Session) -> None:
    """Open this month's feedback form (starting it if needed) and type an anomaly reason."""
    await page.locator('[data-testid="stSidebarNav"] a[href$="/feedback"]').click()
    await page.get_by_role("heading", name="Sales performance feedback form").wait_for()
    await finished(page)
    await page.get_by_test_id("stSelectbox").first.click()
    await page.get_by_role("option", name=TODAY.strftime("%Y-%m")).click()
    await finished(page)
    await page.wait_for_selector('.st-key-fb_start button, [class*="st-key-fb_kpis_"]')
    start = page.locator(".st-key-fb_start button")
    if await start.count():
        await start.first.click()
        await finished(page)
    grid = page.locator('[class*="st-key-fb_kpis_"]')
    await grid.locator("canvas").first.wait_for()
    await page.wait_for_timeout(1500)
    await to_column(page, grid, KPI_REASON_COLUMN)
    await editor_open(page)
    saved_line = page.get_by_text("Every change is saved automatically")
    before = await saved_line.inner_text()
    session.wrote = f"bench {session.username} {time.time():.0f}"
    await page.keyboard.type(session.wrote)
    await page.wait_for_timeout(500)
    await page.keyboard.press("Enter")
    # The autosave's run bumps the draft's version on the saved line: wait for that.
    await page.wait_for_function(
        "t => !document.body.innerText.includes(t)", arg=before, timeout=TIMEOUT_MS
    )
    await page.wait_for_selector(FINISHED)


_UNEXPECTED = tuple(text.split("{id}")[0] for text in TRANSLATIONS["error.unexpected"].values())


def _check(run: sp.Run, what: str) -> sp.Run:
    """Fail the session when the run showed an exception or the app's error boundary."""
    if run.of_kind("exception"):
        raise sp.ProtocolError(f"{what}: exception shown on the page")
    if any(text.startswith(_UNEXPECTED) for text in run.texts()):
        raise sp.ProtocolError(f"{what}: the error boundary's message shown")
    return run


async def protocol_sign_in(client: sp.StreamlitSession, username: str) -> sp.Run:
    """The sign-in form as a user fills it in: both fields and the submit button in one
    message (a form sends its values on submit); then the cookie handoff the page's script
    would POST."""
    run = _check(await client.rerun(query_string="lang=en"), "sign-in page")
    name = run.widget("sign_in_username", "text_input")
    password = run.widget("sign_in_password", "text_input")
    submit = run.submit_button("sign_in")
    if not (name and password and submit):
        raise sp.ProtocolError("no sign-in form")
    widgets = [sp.string_state(name.id, username), sp.string_state(password.id, DEMO_PASSWORD),
               sp.trigger_state(submit.id)]  # fmt: skip
    run = _check(await client.rerun(widgets=widgets), "Overview")
    if not run.of_kind("metric"):
        raise sp.ProtocolError("Overview without figures (not signed in?)")
    return run


async def protocol_handoff(client: sp.StreamlitSession, run: sp.Run) -> None:
    """The POSTs the page's script makes (the one-time code swapped for the cookie)."""
    posts = run.fetch_posts()
    if not posts:
        raise sp.ProtocolError("no sign-in cookie handoff on the page")
    for url, body in posts:
        status = await client.post_json(url, body, {CSRF_HEADER: "1"})
        if status != 204:
            raise sp.ProtocolError(f"POST {url}: HTTP {status}")
    if "salesboard_session" not in client.cookies:
        raise sp.ProtocolError("the handoff set no session cookie")


async def protocol_overdue(client: sp.StreamlitSession, run: sp.Run, session: Session) -> None:
    """Open the Overdue tab, type a next step into the first row and press Save changes."""
    tabs = run.widget_prefix("pl_tabs_", "tab_container")
    labels = [t.label for _, t in sorted((p, b.tab) for p, b in run.blocks.items()
                                         if b.WhichOneof("type") == "tab")]  # fmt: skip
    if tabs is None or len(labels) < 3:
        raise sp.ProtocolError("no pipeline tabs")
    run = _check(await client.rerun(widgets=[sp.string_state(tabs.id, labels[2])]), "Overdue")
    editor = run.widget_prefix("pl_overdue_editor_", "dataframe")
    save = run.widget("pl_overdue_save", "button")
    if editor is None or save is None:
        raise sp.ProtocolError("no overdue editor")
    link = str(sp.arrow_frame(editor)["link"].iloc[0])
    code = link.split("code=")[1].split("&")[0] if "code=" in link else ""
    text = f"bench {session.username} {time.time():.0f}"
    session.wrote = f"{text}|{code}"
    widgets = [sp.editor_state(editor.id, {0: {"next_step": text}}), sp.trigger_state(save.id)]
    run = _check(await client.rerun(widgets=widgets), "overdue save")
    if not any("Saved (1)" in t for t in run.texts()):
        raise sp.ProtocolError("the save was not confirmed")


async def protocol_feedback(client: sp.StreamlitSession, session: Session) -> None:
    """Open this month's feedback form (starting it if needed), type an anomaly reason
    into the KPI table's first row (its autosave runs on the change)."""
    period = TODAY.strftime("%Y-%m")
    run = _check(await client.rerun(page="feedback", query_string=f"period={period}"), "form")
    start = run.widget("fb_start", "button")
    if start is not None:
        run = _check(await client.rerun(widgets=[sp.trigger_state(start.id)]), "start")
    editor = run.widget_prefix("fb_kpis_", "dataframe")
    if editor is None:
        raise sp.ProtocolError("no KPI table to edit")
    session.wrote = f"bench {session.username} {time.time():.0f}"
    edit = sp.editor_state(editor.id, {0: {"reason": session.wrote}})
    run = _check(await client.rerun(widgets=[edit]), "autosave")
    if not any(t.startswith("Every change is saved") for t in run.texts()):
        raise sp.ProtocolError("the form is gone after the autosave")


async def run_protocol_session(base: str, session: Session, start: float) -> None:
    """The protocol client's user: sign in, a finished Overview, the Pipeline review, and a
    write for the writers."""
    client = sp.StreamlitSession(base)
    try:
        await client.connect()
        run = await protocol_sign_in(client, session.username)
        session.overview_s = time.monotonic() - start
        await protocol_handoff(client, run)
        opened = time.monotonic()
        run = _check(await client.rerun(page="pipeline"), "Pipeline")
        if run.widget_prefix("pl_tabs_", "tab_container") is None:
            raise sp.ProtocolError("Pipeline review without its tabs")
        session.pipeline_s = time.monotonic() - opened
        if session.writes == "overdue":
            await protocol_overdue(client, run, session)
        elif session.writes == "feedback":
            await protocol_feedback(client, session)
    except Exception as error:  # a timeout, a closed stream, a missing widget
        session.error = f"{type(error).__name__}: {(str(error) or '-').splitlines()[0][:120]}"
    finally:
        await client.close()


def lost_writes(url: str, sessions: list[Session]) -> list[str]:
    """Writers whose text is not in the store (an overdue next step, a feedback reason)."""
    import sqlite3

    lost = []
    with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
        for s in sessions:
            if not s.writes or s.error or not s.wrote:
                continue
            text = s.wrote.split("|")[0]
            if s.writes == "overdue":
                found = db.execute("SELECT 1 FROM opportunity WHERE next_step = ?", (text,))
            else:
                found = db.execute("SELECT 1 FROM feedback_form WHERE body LIKE ?", (f"%{text}%",))
            if found.fetchone() is None:
                lost.append(s.username)
    return lost


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))] if ordered else 0.0


async def drive_protocol(base: str, sessions: list[Session], arrival_s: float) -> None:
    gap = arrival_s / max(len(sessions) - 1, 1)

    async def arrive(i: int, session: Session) -> None:
        await asyncio.sleep(i * gap)
        await run_protocol_session(base, session, time.monotonic())

    await asyncio.gather(*(arrive(i, s) for i, s in enumerate(sessions)))


async def drive(base: str, sessions: list[Session], arrival_s: float) -> None:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        gap = arrival_s / max(len(sessions) - 1, 1)

        async def arrive(i: int, session: Session) -> None:
            await asyncio.sleep(i * gap)
            await run_session(browser, base, session, time.monotonic())

        await asyncio.gather(*(arrive(i, s) for i, s in enumerate(sessions)))
        await browser.close()


def run_round(url: str, count: int, processes: int, writers: int, arrival_s: float,
              niceness: int, profile: Path | None = None, kind: str = "protocol") -> dict:  # fmt: skip
    """One round on fresh servers; returns its figures. ``profile``: py-spy samples the
    first server for the round (collapsed stacks written there)."""
    servers = start_servers(url, processes)
    pids = [p.pid for p in servers.processes]
    spy = None
    if profile is not None:
        spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid", str(pids[0]), "--rate", "100", "--gil",
                                "--format", "raw", "--output", str(profile), "--nonblocking"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(1)
    cpu_before = sum(cpu_seconds(p) for p in pids)
    sessions = plan(url, count, writers)
    client = subprocess.Popen(
        [sys.executable, __file__, "--drive", servers.base_url, "--client", kind,
         "--arrival", str(arrival_s),
         "--users", ",".join(f"{s.username}:{s.role}:{s.writes}" for s in sessions)],
        preexec_fn=lambda: os.nice(niceness), stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    peak = [0.0] * len(pids)
    while client.poll() is None:
        peak = [max(m, memory_mb(p, "VmRSS")) for m, p in zip(peak, pids, strict=True)]
        time.sleep(0.5)
    cpu = sum(cpu_seconds(p) for p in pids) - cpu_before
    peak = [max(m, memory_mb(p, "VmHWM")) for m, p in zip(peak, pids, strict=True)]
    if spy is not None:
        spy.send_signal(signal.SIGINT)
        spy.wait(timeout=60)
    results = _parse_client(client.stdout.read(), sessions)
    locked = sum(
        log.read_text(errors="replace").count("database is locked") for log in servers.logs
    )
    servers.stop()
    shutil.rmtree(servers.workdir, ignore_errors=True)
    overview = [s.overview_s for s in results if s.overview_s is not None]
    pipeline = [s.pipeline_s for s in results if s.pipeline_s is not None]
    return {
        "sessions": count, "processes": processes, "client": kind,
        "overview_p50": statistics.median(overview) if overview else None,
        "overview_p95": percentile(overview, 0.95),
        "pipeline_p50": statistics.median(pipeline or [0]),
        "pipeline_p95": percentile(pipeline, 0.95),
        "errors": [f"{s.username}: {s.error}" for s in results if s.error],
        "cpu_per_session": cpu / count, "cpu_total": cpu,
        "rss_peak_mb": [round(m) for m in peak],
        "lost_writes": lost_writes(url, results),
        "writers": sum(1 for s in results if s.writes and not s.error),
        "database_is_locked": locked,
    }  # fmt: skip


def _parse_client(output: str, sessions: list[Session]) -> list[Session]:
    by_name = {s.username: s for s in sessions}
    for line in output.splitlines():
        name, overview, pipeline, wrote, error = (line.split("\t") + [""] * 5)[:5]
        if name in by_name:
            s = by_name[name]
            s.overview_s = float(overview) if overview else None
            s.pipeline_s = float(pipeline) if pipeline else None
            s.wrote, s.error = wrote, error
    return sessions


def client_main(base: str, users: str, arrival_s: float, kind: str) -> None:
    """The niced load generator: run the sessions, print one tab-separated line each."""
    sessions = [Session(*spec.split(":")) for spec in users.split(",")]
    asyncio.run((drive_protocol if kind == "protocol" else drive)(base, sessions, arrival_s))
    for s in sessions:
        print("\t".join([s.username, f"{s.overview_s or ''}", f"{s.pipeline_s or ''}",
                         s.wrote, s.error]))  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="SQLite store of the default demo company (copied per round)")
    parser.add_argument("--sessions", default="1,10,30")
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument(
        "--arrival", type=float, default=10.0, help="seconds over which they arrive"
    )
    parser.add_argument("--nice", type=int, default=10)
    parser.add_argument("--profile", type=Path, help="py-spy's collapsed stacks of the server")
    parser.add_argument(
        "--client", choices=("protocol", "browser"), default="protocol",
        help="websocket protocol clients, or headless Chromium",
    )  # fmt: skip
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    parser.add_argument("--users", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        client_main(args.drive, args.users, args.arrival, args.client)
        return
    source = args.url or _demo_store()
    for count in (int(n) for n in args.sessions.split(",")):
        store = Path(tempfile.mkdtemp(prefix="bench-load-store-")) / "store.db"
        shutil.copy(source.removeprefix("sqlite:///"), store)
        figures = run_round(f"sqlite:///{store}", count, args.processes,
                            min(args.writers, count), args.arrival, args.nice, args.profile,
                            args.client)  # fmt: skip
        print(_line(figures), flush=True)
        shutil.rmtree(store.parent, ignore_errors=True)


def _demo_store() -> str:
    """The default demo company, generated once under /tmp."""
    path = Path(tempfile.gettempdir()) / "salesboard-bench-load-default.db"
    if not path.exists():
        subprocess.run([sys.executable, "-m", "salesboard", "--database-url", f"sqlite:///{path}",
                        "demo", "--size", "default", "--today", TODAY.isoformat()],
                       cwd=ROOT, check=True)  # fmt: skip
    return f"sqlite:///{path}"


def _line(f: dict) -> str:
    return (
        f"{f['sessions']:>3} sessions ({f['client']}), {f['processes']} process(es): Overview p50 "
        f"{f['overview_p50'] or 0:.2f} s, p95 {f['overview_p95']:.2f} s; Pipeline p50 "
        f"{f['pipeline_p50']:.2f} s, p95 {f['pipeline_p95']:.2f} s; server CPU {f['cpu_per_session']:.2f} s/session "
        f"({f['cpu_total']:.1f} s); peak RSS {f['rss_peak_mb']} MB; errors {len(f['errors'])}"
        f"{' ' + str(f['errors'][:3]) if f['errors'] else ''}; writers {f['writers']}, lost "
        f"writes {f['lost_writes'] or 0}, 'database is locked' {f['database_is_locked']}"
    )


if __name__ == "__main__":
    main()
