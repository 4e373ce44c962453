"""Goal settings in a real browser, on a private copy of the demo store: type a new target
into the goal tree's data editor, save, and find it in the store (and in the audit log)."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.audit import audit_trail
from salesboard.demo import company as demo
from salesboard.store.db import create_store_engine
from salesboard.store.models import Goal
from tests.browser.conftest import _serve, ensure_signed_in, screenshot, wait_for_app
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.browser

QUARTER = demo.quarter_label(date.fromisoformat(DEMO_TODAY))


@pytest.fixture
def private_store(demo_store, tmp_path) -> str:
    """A copy of the demo store this test may change."""
    source = demo_store.removeprefix("sqlite:///")
    target = tmp_path / "goals-edit.db"
    shutil.copy(source, target)
    return f"sqlite:///{target}"


@pytest.fixture
def private_server(private_store):
    yield from _serve(private_store)


def test_edit_a_target_in_the_goal_tree(private_server, private_store, page):
    page.goto(f"{private_server}/goal-setup?lang=zh&plan_kind=quarter&plan_quarter={QUARTER}")
    ensure_signed_in(page)
    expect(page.get_by_role("heading", name="目标设置与拆解")).to_be_visible()
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    engine = create_store_engine(private_store)
    with Session(engine) as s:
        line = (
            s.execute(
                select(Goal)
                .where(
                    Goal.period == QUARTER, Goal.metric == "revenue", Goal.scope == "product_line"
                )
                .order_by(Goal.target.desc())
            )
            .scalars()
            .first()
        )
    # Row 2 is the largest product line (rows are in tree order); the target is column 4.
    wait_for_app(page)
    grid.click(position={"x": 40, "y": 35 + 17})  # first data row, name column
    page.keyboard.press("ArrowDown")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")  # open the cell editor (glide's overlay input) …
    editor = page.locator("input.gdg-input")
    expect(editor).to_be_focused()
    editor.fill("30000")  # … replace its value and confirm
    editor.press("Enter")
    expect(editor).to_have_count(0)
    # The grid hands the edit to the form a moment later; submitting at once would send none.
    page.wait_for_timeout(1500)
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_text("已保存 1 个目标。")).to_be_visible(timeout=30_000)
    screenshot(page, "goal_settings_saved_zh")
    with Session(engine) as s:
        saved = s.get(Goal, line.id)
        assert saved.target == Decimal(30000 * 1_000_000) and saved.version == 2
        trail = audit_trail(s, entity="goal", entity_id=line.id)
        assert trail.iloc[0]["actor_name"] == "admin"
    engine.dispose()
