"""The app in a real headless Chromium: it loads in Chinese and switches to English."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in, wait_for_app

pytestmark = pytest.mark.browser


@pytest.mark.slow  # > 10 s on a loaded 2-core machine
def test_language_switch_translates_the_page(app_server, page):
    page.goto(app_server)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="登录销售过程管控看板")).to_be_visible()
    sign_in(page)
    expect(page.get_by_role("heading", name="销售总览")).to_be_visible()
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    screenshot(page, "overview_zh")
    # The admin's navigation lists every page (no English-only "View N more" link).
    nav = page.get_by_test_id("stSidebarNav")
    expect(nav.get_by_role("link", name="审计日志")).to_be_visible()
    expect(nav.get_by_text("View", exact=False)).to_have_count(0)

    page.get_by_test_id("stSidebar").locator("label").filter(has_text="English").click()
    expect(page.get_by_role("heading", name="Sales overview")).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_text("Won amount", exact=True)).to_be_visible()
    assert "lang=en" in page.url
    screenshot(page, "overview_en")

    # The language is in the URL, so a link opens in English; the sign-in cookie keeps the
    # user signed in across the reload (a new Streamlit session).
    page.goto(page.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Sales overview")).to_be_visible()
    expect(page.locator(".st-key-sign_in_username")).to_have_count(0)


def test_deep_links_open_through_the_shell(fresh_app_server, page):
    """A link to a page, as the server's very first request, opens inside the navigation."""
    page.goto(f"{fresh_app_server}/calendar?lang=en")
    sign_in(page)
    expect(page.get_by_role("heading", name="Working calendar")).to_be_visible()
    expect(page.get_by_text("Page not found")).to_have_count(0)
    screenshot(page, "calendar_en")
    # A URL naming a file in pages/ must not bypass the entry point: the shell (language
    # switch) and the sign-in gate run, and the page itself does not (signed out: without
    # the sign-in cookie).
    page.context.clear_cookies()
    page.goto(f"{fresh_app_server}/overview")
    wait_for_app(page)
    expect(page.get_by_test_id("stSidebar").get_by_text("English")).to_be_visible()
    expect(page.locator(".st-key-sign_in_username input")).to_have_count(1)
    expect(page.get_by_test_id("stMetric")).to_have_count(0)
