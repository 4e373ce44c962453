"""Sign-in in a real browser: the HttpOnly cookie keeps a sign-in across reloads, sign-out
and revoked or expired sessions end it, brute force locks the account, and no page opens by
URL while signed out. Also screenshots of the account, users and audit pages."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from salesboard.accounts.demo_accounts import DEMO_PASSWORD
from salesboard.ui.handoff import SIGN_OUT_PATH
from salesboard.ui.navigation import PAGES
from tests.apptest_support import first_user
from tests.browser.conftest import (
    SESSION_COOKIE,
    _serve,
    cookie_route,
    screenshot,
    session_cookie,
    shows,
    sign_in,
    wait_for_app,
)
from tests.conftest import copy_sqlite

pytestmark = pytest.mark.browser

URL_PATHS = [entry.url_path for entry in PAGES]  # every page in the registry


@pytest.fixture
def own_store(demo_store, tmp_path) -> str:
    """A private copy of the demo store (these tests lock accounts and revoke sessions)."""
    target = tmp_path / "store.db"
    copy_sqlite(demo_store.removeprefix("sqlite:///"), target)
    return str(target)


@pytest.fixture
def own_server(own_store) -> Iterator[str]:
    yield from _serve(f"sqlite:///{own_store}")


def signed_in(page) -> bool:
    return page.locator(".st-key-sign_out").count() == 1


def expect_sign_in_form(page) -> None:
    wait_for_app(page)
    expect(page.locator(".st-key-sign_in_username input")).to_be_visible()
    expect(page.locator(".st-key-sign_out")).to_have_count(0)


@pytest.mark.slow  # > 10 s on a loaded 2-core machine
def test_a_reload_keeps_the_sign_in_and_the_page(app_server, page):
    page.goto(f"{app_server}/calendar?lang=en")
    sign_in(page)
    expect(page.get_by_role("heading", name="Working calendar")).to_be_visible()
    cookie = session_cookie(page)
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/"
    assert cookie["expires"] > datetime.now(UTC).timestamp() + 3600
    # HttpOnly: the page's own scripts cannot read it.
    assert SESSION_COOKIE not in page.evaluate("document.cookie")

    page.reload()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Working calendar")).to_be_visible()
    assert signed_in(page) and page.url.endswith("/calendar?lang=en")
    # A new tab of the same browser is signed in too.
    other = page.context.new_page()
    other.goto(f"{app_server}/?lang=en")
    wait_for_app(other)
    expect(other.get_by_role("heading", name="Sales overview")).to_be_visible()
    other.close()


def test_sign_out_ends_the_session_for_good(app_server, page):
    page.goto(f"{app_server}/?lang=en")
    sign_in(page)
    stolen = session_cookie(page)
    with page.expect_response(cookie_route(SIGN_OUT_PATH)) as sign_out:
        page.locator(".st-key-sign_out button").click()
        expect_sign_in_form(page)
    sign_out.value.finished()
    assert session_cookie(page) is None  # the browser dropped the cookie
    page.reload()
    expect_sign_in_form(page)
    # A copy of the cookie taken before signing out is worthless: revoked in the store.
    page.context.add_cookies([{k: stolen[k] for k in ("name", "value", "domain", "path")}])
    page.reload()
    expect_sign_in_form(page)


@pytest.mark.parametrize("how", ["expired", "revoked", "forged"])
def test_an_expired_revoked_or_forged_cookie_shows_the_sign_in_form(
    own_server, own_store, page, how
):
    page.goto(f"{own_server}/users?lang=en")
    sign_in(page)
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    cookie = session_cookie(page)
    digest = hashlib.sha256(cookie["value"].encode()).hexdigest()
    store = sqlite3.connect(own_store)
    past = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
    column = {"expired": "expires_at", "revoked": "revoked_at"}.get(how)
    if column:
        changed = store.execute(
            f"UPDATE auth_session SET {column} = ? WHERE token_hash = ?", (past, digest)
        ).rowcount
        store.commit()
        assert changed == 1
    else:
        page.context.clear_cookies()
        page.context.add_cookies(
            [{**{k: cookie[k] for k in ("domain", "path")}, "name": SESSION_COOKIE,
              "value": "forged-" + cookie["value"][7:]}]
        )  # fmt: skip
    store.close()
    # The page asks the browser to drop the stale cookie.
    with page.expect_response(cookie_route(SIGN_OUT_PATH)) as dropped:
        page.reload()
        expect_sign_in_form(page)
    expect(page.get_by_text("Your session ended; please sign in again.")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
    dropped.value.finished()
    assert session_cookie(page) is None


def test_brute_force_locks_the_account_in_the_browser(own_server, own_store, page):
    rep = first_user("rep", f"sqlite:///{own_store}")
    wrong = page.get_by_text("Wrong username or password.")
    locked = page.get_by_text(re.compile("Too many wrong passwords"))

    def attempt(password: str, answer) -> None:
        """One try on a fresh form (every answer reads the same: a reload clears the last
        one, so the answer seen is this try's, and the next try never cuts its run short)."""
        page.goto(f"{own_server}/?lang=en")
        expect_sign_in_form(page)
        expect(wrong).to_have_count(0)
        expect(locked).to_have_count(0)
        page.locator(".st-key-sign_in_username input").fill(rep)
        page.locator(".st-key-sign_in_password input").fill(password)
        page.locator(".st-key-sign_in_password input").press("Enter")
        shows(page, answer)

    for guess in range(4):
        attempt(f"wrong guess {guess}", wrong)
    attempt("wrong guess 4", locked)  # the fifth wrong password locks the account
    attempt(DEMO_PASSWORD, locked)  # then even the right one is refused
    assert not signed_in(page) and session_cookie(page) is None
    screenshot(page, "signin_locked_en")


@pytest.mark.slow  # > 10 s on a loaded 2-core machine
def test_no_page_opens_by_url_while_signed_out(app_server, page):
    assert {"home", "calendar", "users", "audit", "account"} <= set(URL_PATHS)
    for path in URL_PATHS:
        # The default page ("home") is served at the root: Streamlit gives it url_path "".
        page.goto(f"{app_server}/{'' if path == 'home' else path}?lang=en")
        expect_sign_in_form(page)
        expect(page.get_by_text("Page not found")).to_have_count(0)
        expect(page.get_by_test_id("stMetric")).to_have_count(0)
        expect(page.get_by_test_id("stDataFrame")).to_have_count(0)
        expect(page.get_by_test_id("stTable")).to_have_count(0)
    # Signing in on a deep link lands on that page.
    sign_in(page)
    expect(page.get_by_role("heading", name="My account")).to_be_visible()


def busiest_rep(url: str) -> str:
    """The demo rep with the most opportunities (their Overview is far from empty)."""
    store = sqlite3.connect(url.removeprefix("sqlite:///"))
    (name,) = store.execute(
        "SELECT u.username FROM user u JOIN opportunity o ON o.owner_id = u.id "
        "WHERE u.role = 'rep' GROUP BY u.id ORDER BY count(*) DESC LIMIT 1"
    ).fetchone()
    store.close()
    return name


def _post(url: str, headers: dict[str, str], body: bytes = b"{}") -> tuple[int, str]:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("set-cookie", "")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("set-cookie", "")


def test_cookie_routes_refuse_foreign_or_unknown_requests(app_server):
    exchange, sign_out = f"{app_server}/salesboard/session", f"{app_server}/salesboard/sign-out"
    ours = {"X-Salesboard-Request": "1", "Content-Type": "application/json"}
    host = app_server.removeprefix("http://")
    # A cross-site form or fetch cannot add our header; a foreign Origin is refused too.
    assert _post(exchange, {"Content-Type": "application/json"}, b'{"code": "x"}')[0] == 403
    assert _post(exchange, {**ours, "Origin": "https://evil.example"}, b'{"code": "x"}')[0] == 403
    assert _post(sign_out, {"Origin": f"http://{host}"})[0] == 403
    # Ours, but no such code: gone; not JSON: bad request; and never a cookie.
    assert _post(exchange, {**ours, "Origin": f"http://{host}"}, b'{"code": "guess"}') == (410, "")
    assert _post(exchange, ours, b"not json")[0] == 400
    # Signing out without a cookie still answers with the deletion of the cookie.
    status, cookie = _post(sign_out, {**ours, "Origin": f"http://{host}"})
    assert status == 204 and cookie.startswith(f"{SESSION_COOKIE}=") and "Max-Age=0" in cookie


@pytest.mark.slow  # > 10 s on a loaded 2-core machine
def test_screenshots_of_the_access_pages(app_server, demo_store, page):
    page.goto(f"{app_server}/users?lang=zh")
    sign_in(page)
    for path, heading in (
        ("users", {"zh": "用户管理", "en": "Users"}),
        ("audit", {"zh": "审计日志", "en": "Audit log"}),
        ("account", {"zh": "我的账号", "en": "My account"}),
    ):
        for lang in ("zh", "en"):
            page.goto(f"{app_server}/{path}?lang={lang}")
            wait_for_app(page)
            expect(page.get_by_role("heading", name=heading[lang], exact=True)).to_be_visible()
            expect(page.get_by_test_id("stException")).to_have_count(0)
            expect(page.get_by_test_id("stSkeleton")).to_have_count(0)
            for table in page.get_by_test_id("stDataFrame").all():  # painted: headers laid out
                expect(table.locator("th").first).to_be_attached()
            screenshot(page, f"{path}_{lang}")
    page.context.clear_cookies()
    rep = busiest_rep(demo_store)
    page.goto(f"{app_server}/?lang=zh")
    sign_in(page, rep)
    page.goto(f"{app_server}/home?lang=zh")  # a rep lands on My work; the Overview is /home
    wait_for_app(page)
    expect(page.get_by_text(re.compile("你本人的商机与目标"))).to_be_visible()
    screenshot(page, "overview_rep_zh")
    page.goto(f"{app_server}/home?lang=en")
    wait_for_app(page)
    expect(page.get_by_text(re.compile("Your own deals and goal"))).to_be_visible()
    screenshot(page, "overview_rep_en")
    page.context.clear_cookies()
    page.goto(f"{app_server}/?lang=zh")
    expect_sign_in_form(page)
    screenshot(page, "signin_zh")
