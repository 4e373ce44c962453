"""An improvement action in the real browser (issue 16), on a private copy of the demo store:
a manager opens the pipeline review's stage durations, creates an improvement action from the
bottleneck, picks their team as the pilot, opens the action, moves it to done and reads its
before/after view; the store has the action with its source, pilot and status."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlmodel import Session

from salesboard.store.db import create_store_engine
from salesboard.store.models import (
    ImprovementAction,
    ImprovementPilot,
    Role,
    Team,
    TeamManager,
    User,
)
from tests.browser.conftest import ARTIFACTS, _serve, ensure_signed_in, wait_for_app
from tests.browser.test_page_screenshots import whole_page_screenshot

pytestmark = pytest.mark.browser

SLOW = 90_000  # ms: a shared 2-core machine


@pytest.fixture
def server(private_demo_env):
    yield from _serve(private_demo_env)


def first_manager(url: str) -> tuple[str, int, str]:
    """(username, team id, team name) of the demo's first manager."""
    engine = create_store_engine(url)
    with Session(engine) as s:
        row = s.execute(
            select(User.username, Team.id, Team.name)
            .join(TeamManager, TeamManager.user_id == User.id)
            .join(Team, Team.id == TeamManager.team_id)
            .where(User.role == Role.MANAGER).order_by(User.id, Team.id)
        ).first()  # fmt: skip
    engine.dispose()
    return tuple(row)


def newest_action(url: str) -> tuple[ImprovementAction, list[int]]:
    engine = create_store_engine(url)
    with Session(engine) as s:
        action = (
            s.execute(select(ImprovementAction).order_by(ImprovementAction.id.desc()))
            .scalars()
            .first()
        )
        pilots = (
            s.execute(
                select(ImprovementPilot.team_id).where(ImprovementPilot.action_id == action.id)
            )
            .scalars()
            .all()
        )
    engine.dispose()
    return action, list(pilots)


@pytest.mark.slow
def test_a_manager_acts_on_the_bottleneck_and_checks_it(server, private_demo_env, browser):
    manager, team_id, team_name = first_manager(private_demo_env)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    review = f"{server}/pipeline?lang=zh&period=2026Q4&section=durations"
    page.goto(review)
    ensure_signed_in(page, manager)
    page.goto(review)
    wait_for_app(page)
    expect(page.get_by_text("瓶颈").first).to_be_visible(timeout=SLOW)
    page.get_by_role("button", name="据此创建优化行动").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_text("新建优化行动")).to_be_visible(timeout=SLOW)
    dialog.locator(".st-key-imp_new_pilots input").click()
    page.get_by_role("option", name=team_name).click()
    dialog.get_by_text("新建优化行动").click()  # closes the option list
    dialog.get_by_role("button", name="创建", exact=True).click()
    expect(dialog.get_by_text("已创建优化行动").first).to_be_visible(timeout=SLOW)
    action, pilots = newest_action(private_demo_env)
    assert (action.source_kind, action.status, pilots) == ("bottleneck", "not_started", [team_id])
    assert "section=durations" in action.source_link and "period=2026Q4" in action.source_link

    dialog.get_by_role("link", name=f"打开优化行动 #{action.id}").click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name=f"优化行动 #{action.id}")).to_be_visible(timeout=SLOW)
    page.locator(".st-key-imp_move_done button").click()
    wait_for_app(page)
    # Done: the move-to-done button is gone and the other two are offered.
    expect(page.locator(".st-key-imp_move_done")).to_have_count(0, timeout=SLOW)
    expect(page.locator(".st-key-imp_move_in_progress")).to_be_visible()
    assert newest_action(private_demo_env)[0].status == "done"
    # The before/after view: the windows, the four numbers and the chart.
    expect(page.get_by_text("效果检验").first).to_be_visible()
    expect(page.get_by_text("对比窗口").first).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible(timeout=SLOW)
    expect(page.get_by_text("双重差分").first).to_be_visible()
    # … and the way back to the finding.
    expect(page.get_by_role("link", name="回到发现问题的页面")).to_have_attribute(
        "href", action.source_link
    )
    whole_page_screenshot(page, ARTIFACTS / "improvement-action-zh-1280.png", 1280)
    context.close()
