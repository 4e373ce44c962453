"""A company's first day in the real browser (issue 14): an admin signs in to a store that
``init-db`` made, finds the setup checklist on the Overview, follows its first link to the
Organisation page and sets up a region, a team and a product line, follows the customers
step to the upload page and imports a customer list, and comes back to the checklist with
those steps ticked."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import text

from salesboard.store.db import create_store_engine, write_session
from salesboard.store.reference_data import ensure_reference_data, mark_company_store
from tests.browser.conftest import _serve, ensure_signed_in, screenshot, shows, wait_for_app
from tests.builders import TEST_PASSWORD, add_user

pytestmark = pytest.mark.browser

SLOW = 90_000  # ms: a shared 2-core machine


@pytest.fixture
def own_store(sqlite_engine) -> str:
    """What ``init-db`` leaves: the schema, the reference lists, the mark, one admin."""
    with write_session(sqlite_engine) as session:
        ensure_reference_data(session)
        mark_company_store(session)
    add_user(sqlite_engine, "admin")
    return str(sqlite_engine.url)


@pytest.fixture
def server(own_store):
    yield from _serve(own_store)


def rows(url: str, sql: str) -> list[tuple]:
    engine = create_store_engine(url)
    with engine.connect() as conn:
        found = [tuple(r) for r in conn.execute(text(sql))]
    engine.dispose()
    return found


def sign_in_admin(page) -> None:
    page.locator(".st-key-sign_in_username input").fill("admin")
    page.locator(".st-key-sign_in_password input").fill(TEST_PASSWORD)
    page.locator(".st-key-sign_in_password input").press("Enter")
    page.wait_for_selector(".st-key-sign_out")
    wait_for_app(page)


def add_entry(page, fields: dict[str, str]) -> None:
    """Fill the add form's fields (label → text) and submit it."""
    form = page.get_by_test_id("stForm").filter(has=page.get_by_role("button", name="添加"))
    for label, value in fields.items():
        box = form.get_by_label(label, exact=True)
        box.fill(value)
        expect(box).to_have_value(value)
    form.get_by_role("button", name="添加").click()
    name = fields.get("中文名称") or fields["团队名称"]
    expect(page.get_by_text(f"已添加：{name}")).to_be_visible(timeout=SLOW)
    wait_for_app(page)


def pick_list(page, name: str) -> None:
    """Show another list of the Organisation page."""
    page.locator(".st-key-list").get_by_text(name, exact=True).click()
    expect(page.get_by_role("heading", name=f"新增{name}")).to_be_visible(timeout=SLOW)
    wait_for_app(page)


@pytest.mark.slow  # several pages and an import on a loaded 2-core machine
def test_an_admin_follows_the_checklist_from_an_empty_store(server, own_store, page, tmp_path):
    page.goto(f"{server}/?lang=zh")
    page.wait_for_selector(".st-key-sign_in_username input")
    sign_in_admin(page)
    expect(page.get_by_text("开始使用：设置你的公司")).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("设置进度：已完成 0/6 步")).to_be_visible()
    screenshot(page, "first_day_checklist_zh")

    # Step 1 links to the Organisation page.
    # A page link may load the page anew (no run counter survives): wait for its heading.
    page.get_by_test_id("stPageLink").first.click()
    expect(page.get_by_role("heading", name="组织架构")).to_be_visible(timeout=SLOW)
    wait_for_app(page)
    add_entry(page, {"编码": "south", "中文名称": "华南", "英文名称": "South China"})
    pick_list(page, "团队")
    add_entry(page, {"团队名称": "华南一组"})
    pick_list(page, "产品线")
    add_entry(page, {"编码": "mfg", "中文名称": "智能制造"})
    screenshot(page, "first_day_organisation_zh")
    assert rows(own_store, "SELECT code FROM region") == [("south",)]
    assert rows(own_store, "SELECT name FROM team") == [("华南一组",)]

    # Back on the Overview the first step is ticked; the customers step opens the upload page.
    page.goto(f"{server}/?lang=zh")
    ensure_signed_in(page)
    expect(page.get_by_text("设置进度：已完成 1/6 步")).to_be_visible(timeout=SLOW)
    page.get_by_test_id("stPageLink").nth(2).click()
    expect(page.get_by_role("heading", name="上传表格：分析与导入")).to_be_visible(timeout=SLOW)
    wait_for_app(page)
    customers = tmp_path / "客户清单.csv"
    customers.write_text("客户名称,区域,客户类型\n深圳智造有限公司,华南,企业\n广州云联科技,华南,中小企业\n",
                         encoding="utf-8-sig")  # fmt: skip
    page.locator('[data-testid="stFileUploaderDropzone"] input[type="file"]').set_input_files(
        str(customers)
    )
    expect(page.get_by_role("tab", name="导入到系统")).to_be_visible(timeout=SLOW)
    wait_for_app(page)
    page.get_by_role("tab", name="导入到系统").click()
    page.locator(".st-key-import_check button").click()
    shows(page, page.locator(".st-key-import_run button"))  # the check's report and its button
    screenshot(page, "first_day_customers_checked_zh")
    page.locator(".st-key-import_run button").click()
    expect(page.get_by_text("新增 2")).to_be_visible(timeout=SLOW)
    assert sorted(rows(own_store, "SELECT name FROM customer")) == [("广州云联科技",),
                                                                  ("深圳智造有限公司",)]  # fmt: skip

    page.goto(f"{server}/?lang=zh")
    ensure_signed_in(page)
    expect(page.get_by_text("设置进度：已完成 2/6 步")).to_be_visible(timeout=SLOW)
    screenshot(page, "first_day_checklist_two_done_zh")
