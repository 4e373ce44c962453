"""My work in the real browser: a rep signs in and lands on it; at a desktop and a phone
width, in both languages, the lists show with no exception; a deal's code opens the deal
page. Screenshots: test-artifacts/my-work-<role>-<lang>-<width>.png."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from salesboard.store.models import Role
from tests.apptest_support import first_user
from tests.browser.conftest import ARTIFACTS, ensure_signed_in, wait_for_app
from tests.browser.test_page_screenshots import whole_page_screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("role", [Role.REP, Role.MANAGER])
def test_my_work_in_the_browser(app_server, browser, demo_app_env, role):
    user = first_user(role)
    for width in (1280, 390):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(60_000)
        try:
            page.goto(f"{app_server}/?lang=zh")
            ensure_signed_in(page, user)
            for lang in ("zh", "en"):
                # A rep's landing page is My work (the root); a manager's is at /my-work.
                path = "" if role == Role.REP else "my-work"
                page.goto(f"{app_server}/{path}?lang={lang}")
                wait_for_app(page)
                title = {"zh": ("我的工作台", "团队工作台"), "en": ("My work", "My team's work")}
                expected = title[lang][0 if role == Role.REP else 1]
                expect(page.get_by_role("heading", name=expected)).to_be_visible()
                expect(page.get_by_test_id("stException")).to_have_count(0)
                name = f"my-work-{role}-{lang}-{width}"
                whole_page_screenshot(page, ARTIFACTS / f"{name}.png", width)
            link = page.locator("a[href*='/opportunity?code=XS']").first
            code = re.search(r"code=(XS\w+)", link.get_attribute("href"))[1]
            with context.expect_page() as opened:  # Streamlit opens Markdown links in a tab
                link.click()
            deal = opened.value
            wait_for_app(deal)
            assert code in deal.url
            expect(deal.locator("input[value='" + code + "']")).to_have_count(1)
            expect(deal.get_by_test_id("stException")).to_have_count(0)
        finally:
            context.close()
