"""Markdown injection in a real browser (issue 18, item 6): the Opportunity page of a deal
whose name, next step, risk flag, customer, team and owner were typed as Markdown and HTML
loads no remote image, offers no foreign link and shows the text as typed."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import _serve, screenshot, sign_in, wait_for_app
from tests.conftest import copy_sqlite
from tests.test_markdown_injection import PAYLOAD, inject


@pytest.fixture
def hostile_server(demo_store, tmp_path):
    path = tmp_path / "store.db"
    copy_sqlite(demo_store.removeprefix("sqlite:///"), path)
    found = inject(f"sqlite:///{path}")
    for base_url in _serve(f"sqlite:///{path}"):
        yield base_url, found


def test_the_opportunity_page_loads_nothing_a_user_typed(hostile_server, page):
    base_url, found = hostile_server
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(f"{base_url}/opportunity?code={found['code']}&lang=en")
    sign_in(page, found["manager"])
    wait_for_app(page)
    heading = page.get_by_role("heading", name=found["code"])
    expect(heading).to_be_visible()
    shown = heading.inner_text().replace("\u2060", "")
    assert shown == f"{found['code']} · 项目 {PAYLOAD}"
    assert "下一步 ![p](http://evil.example/p.png)" in page.inner_text("body").replace("\u2060", "")
    screenshot(page, "injection_opportunity")
    assert page.locator('img[src*="evil.example"], img[src="x"]').count() == 0
    assert page.locator('a[href*="phish.example"]').count() == 0
    assert not [url for url in requested if "evil.example" in url or "phish.example" in url]
