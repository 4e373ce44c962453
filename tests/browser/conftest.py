"""Real-browser harness: `streamlit run` on a free loopback port, driven by Playwright in
Debian's headless Chromium (never a downloaded browser build)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesboard.ui.handoff import EXCHANGE_PATH
from tests.conftest import DEMO_TODAY
from tests.pg_server import free_port

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("SALESBOARD_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _wait_healthy(base_url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as response:
                if response.read().strip() == b"ok":
                    return
        except OSError:  # not listening yet: give it a moment, or notice it has exited
            try:
                process.wait(timeout=0.3)
            except subprocess.TimeoutExpired:
                continue
            raise RuntimeError(f"streamlit exited early with {process.returncode}") from None
    raise TimeoutError(f"streamlit did not answer on {base_url} within {timeout} s")


@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium; missing is a failure in CI (it must install it) and a skip elsewhere."""
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        if os.environ.get("CI"):
            pytest.fail(
                f"{CHROMIUM} is missing: CI must install Debian's chromium (make system-deps)"
            )
        pytest.skip(f"{CHROMIUM} not installed (run `make system-deps`)")
    return CHROMIUM


@pytest.fixture(scope="session")
def app_server(demo_store) -> Iterator[str]:
    """Base URL of the app serving the demo store (shared by the tests of a session)."""
    yield from _serve(demo_store)


@pytest.fixture
def fresh_app_server(demo_store) -> Iterator[str]:
    """A server no browser has talked to yet (first-request behaviour differs)."""
    yield from _serve(demo_store)


@pytest.fixture
def app_process(demo_store) -> Iterator[tuple[str, subprocess.Popen]]:
    """(base URL, process) of a server of its own, for tests that watch the process."""
    processes: list[subprocess.Popen] = []
    for base_url in _serve(demo_store, processes):
        yield base_url, processes[0]


def _serve(demo_store: str, processes: list | None = None) -> Iterator[str]:
    port = free_port()
    env = {
        **os.environ,
        "SALESBOARD_DATABASE_URL": demo_store,
        "SALESBOARD_TODAY": DEMO_TODAY,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable, "-m", "salesboard.ui.serve",
        "--server.headless", "true", "--server.port", str(port),
        "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    ARTIFACTS.mkdir(exist_ok=True)
    log = (ARTIFACTS / "streamlit.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    if processes is not None:
        processes.append(process)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, process)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session", autouse=True)
def _patient_expectations():
    """Assertions wait up to 20 s (Playwright's default is 5 s): a loaded 2-core CI machine
    can take that long to rerun a heavy page, and a slow pass is not a failure."""
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def wait_for_app(page) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=90_000
    )


# How long an interaction's outcome may take to show: a heavy page's rerun on a loaded 2-core
# machine (the full suite on both backends) has taken over 30 s.
PATIENCE = 90_000


def shows(page, locator) -> None:
    """After an interaction that reruns the script: wait (patiently) until the page shows
    ``locator`` — what that run draws — then until the run is over. Never a count of runs:
    under load a quick run can start and finish within one render of the page, so it is
    never seen running and a wait for it times out."""
    from playwright.sync_api import expect

    expect(locator).to_be_visible(timeout=PATIENCE)
    wait_for_app(page)


def keep_socket(page) -> None:
    """Keep the Streamlit websocket ``page`` opens next (call before its ``goto``), for
    ``run_finishes``."""
    page.on("websocket", lambda socket: setattr(page, "streamlit_socket", socket))


def _finished(payload) -> bool:
    """Whether a websocket frame is the server's "script run finished" message."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    if isinstance(payload, str):
        return False
    message = ForwardMsg.FromString(payload)
    return (
        message.WhichOneof("type") == "script_finished"
        and message.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY
    )


def run_finishes(page):
    """Around an interaction that reruns the script but changes nothing the page shows (a
    click on a tab whose content is already drawn): wait for the server's message that a
    run has finished. Read off the websocket, where no run is missed however quickly it
    ends (``keep_socket`` first)."""
    return page.streamlit_socket.expect_event(
        "framereceived", predicate=_finished, timeout=PATIENCE
    )


def cookie_route(path: str):
    """A predicate for ``page.expect_response``: the response of our cookie route ``path``."""
    return lambda response: response.url.endswith(f"/{path}")


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/ and return its path."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, username: str = "admin", password: str | None = None) -> None:
    """Fill the sign-in form (shown on any page while signed out) and wait for the app."""
    from salesboard.accounts.demo_accounts import DEMO_PASSWORD

    wait_for_app(page)
    page.locator(".st-key-sign_in_username input").fill(username)
    page.locator(".st-key-sign_in_password input").fill(password or DEMO_PASSWORD)
    # Signed in, the page swaps its one-time code for the sign-in cookie (so a reload that
    # follows stays signed in): wait for that answer.
    with page.expect_response(cookie_route(EXCHANGE_PATH)) as exchange:
        page.locator(".st-key-sign_in_password input").press("Enter")
        page.wait_for_selector(".st-key-sign_out")
    exchange.value.finished()  # the whole answer is in, its cookie in the browser's jar
    assert exchange.value.ok and session_cookie(page) is not None
    wait_for_app(page)


def ensure_signed_in(page, username: str = "admin") -> None:
    """Sign in only when the sign-in form shows (a reload may keep the session): waits for
    either the form or the signed-in sidebar first, so a page still loading is not taken
    for a signed-in one."""
    page.wait_for_selector(".st-key-sign_in_username input, .st-key-sign_out")
    wait_for_app(page)
    if page.locator(".st-key-sign_in_username input").count():
        sign_in(page, username)
    wait_for_app(page)


SESSION_COOKIE = "salesboard_session"


def session_cookie(page) -> dict | None:
    """The browser's sign-in cookie (set by the app after a sign-in), if any."""
    return next((c for c in page.context.cookies() if c["name"] == SESSION_COOKIE), None)
