"""The app in a real headless Chromium: it loads in Chinese and switches to English."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import screenshot, wait_for_app


def test_language_switch_translates_the_page(app_server, page):
    page.goto(app_server)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="销售总览")).to_be_visible()
    expect(page.get_by_test_id("stMetric").first).to_be_visible()
    screenshot(page, "overview_zh")

    page.get_by_test_id("stSidebar").locator("label").filter(has_text="English").click()
    expect(page.get_by_role("heading", name="Sales overview")).to_be_visible()
    wait_for_app(page)
    expect(page.get_by_text("Won amount", exact=True)).to_be_visible()
    assert "lang=en" in page.url
    screenshot(page, "overview_en")

    # The language is in the URL, so a shared link opens in English.
    page.goto(page.url)
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Sales overview")).to_be_visible()
