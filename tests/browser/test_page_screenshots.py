"""Every page a manager and a rep may open, in both languages, at a desktop width (1400 px)
and a phone width (390 px), in the real browser: no page shows an exception box or a
traceback, and each is saved as ``test-artifacts/pages/<page>-<role>-<lang>-<width>.png`` for
a person to look at (the closing note of a UI change lists what was checked)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from salesboard.store.models import Role
from salesboard.ui.navigation import PAGES
from tests.apptest_support import first_user
from tests.browser.conftest import ARTIFACTS, ensure_signed_in, wait_for_app

pytestmark = pytest.mark.browser

WIDTHS = (1400, 390)
ROLES = (Role.MANAGER, Role.REP)


# Charts draw after the script run ends: every Plotly chart on the page has its SVG. Waited
# for, not slept on (a fixed 1.2 s a page was half of this test's time: 280 pages).
CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
    .every(chart => chart.querySelector('.main-svg'))"""
# Two animation frames: whatever the last change laid out has been painted.
PAINTED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"


def drawn(page) -> None:
    """Wait until the script run is over, its charts are drawn and the page is painted."""
    wait_for_app(page)
    page.wait_for_function(CHARTS_DRAWN)
    page.evaluate(PAINTED)


def whole_page_screenshot(page, path, width: int) -> None:
    """Screenshot the whole page: Streamlit scrolls inside its main block, not the document,
    so the viewport grows to the block's height first."""
    drawn(page)
    height = page.evaluate(
        "Math.max(...[...document.querySelectorAll('[data-testid=stMain], "
        "[data-testid=stSidebarContent]')].map(e => e.scrollHeight))"
    )
    page.set_viewport_size({"width": width, "height": min(max(900, height), 12_000)})
    drawn(page)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": width, "height": 900})


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_page_renders_in_both_languages(app_server, browser, demo_app_env, role, width):
    user = first_user(role)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        page.goto(f"{app_server}/?lang=zh")
        ensure_signed_in(page, user)
        for entry in PAGES:
            if role not in entry.roles:
                continue
            for lang in ("zh", "en"):
                # The default page lives at the root (its url_path answers "not found").
                path = "" if role in entry.default_for else entry.url_path
                page.goto(f"{app_server}/{path}?lang={lang}")
                name = f"{entry.url_path}-{role}-{lang}-{width}"
                whole_page_screenshot(page, folder / f"{name}.png", width)
                expect(page.get_by_test_id("stException"), name).to_have_count(0)
                expect(page.get_by_text("Traceback"), name).to_have_count(0)
    finally:
        context.close()
