"""Goal settings in a real browser, on a private copy of the demo store: type a new target
into the goal tree's data editor, save, and find it in the store (and in the audit log)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlmodel import Session

from salesboard import demo
from salesboard.accounts.audit import audit_trail
from salesboard.store.db import create_store_engine
from salesboard.store.models import Goal, ProductLine
from tests.browser.conftest import _serve, ensure_signed_in, screenshot
from tests.browser.grid import Grid
from tests.conftest import DEMO_TODAY, copy_sqlite

pytestmark = pytest.mark.browser

QUARTER = demo.quarter_label(date.fromisoformat(DEMO_TODAY))


@pytest.fixture
def private_store(demo_store, tmp_path) -> str:
    """A copy of the demo store this test may change."""
    source = demo_store.removeprefix("sqlite:///")
    target = tmp_path / "goals-edit.db"
    copy_sqlite(source, target)
    return f"sqlite:///{target}"


@pytest.fixture
def private_server(private_store):
    yield from _serve(private_store)


@pytest.mark.slow  # > 10 s on a loaded 2-core machine
def test_edit_a_target_in_the_goal_tree(private_server, private_store, page):
    page.goto(f"{private_server}/goal-setup?lang=zh&plan_kind=quarter&plan_quarter={QUARTER}")
    ensure_signed_in(page)
    expect(page.get_by_role("heading", name="目标设置与拆解")).to_be_visible()
    grid = Grid(page.get_by_test_id("stDataFrame").first)
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
        line_name = s.get(ProductLine, line.product_line_id).name_zh
    # Row 1 is the largest product line (rows are in tree order); the target is column 3.
    assert grid.texts(0)[1].strip() == line_name
    grid.type_into(1, 3, "30000")
    # Saved with the editor still open, the way a user types and clicks: the grid commits
    # the edit and hands it to the form before the click lands.
    page.get_by_role("button", name="保存修改").click()
    expect(page.get_by_text("已保存 1 个目标。")).to_be_visible(timeout=30_000)
    screenshot(page, "goal_settings_saved_zh")
    with Session(engine) as s:
        saved = s.get(Goal, line.id)
        assert saved.target == Decimal(30000 * 1_000_000) and saved.version == 2
        trail = audit_trail(s, entity="goal", entity_id=line.id)
        assert trail.iloc[0]["actor_name"] == "admin"
    engine.dispose()
