"""A rep's day in the real browser (issue 15), on a private copy of the demo store: the rep
creates a deal, logs an effective visit, completes the lead stage's key actions (one with a
PDF deliverable attached), plans a visit and moves the deal to 需求分析; a second tab opened
before the move has its stale edit refused; the rep's manager then finds the deal on My
work, on the board and among this week's changes. Screenshots at 1280 and 390 px."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from sqlmodel import Session

from salesboard.store.db import create_store_engine
from salesboard.store.models import Role, TeamManager, User
from salesboard.store.tables import ATTACHMENT, OPP, STAGE, VISIT
from tests.browser.conftest import (
    ARTIFACTS,
    _serve,
    ensure_signed_in,
    keep_socket,
    run_finishes,
    shows,
    wait_for_app,
)
from tests.browser.test_page_screenshots import whole_page_screenshot

pytestmark = pytest.mark.browser

SLOW = 90_000  # ms: a shared 2-core machine
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def server(private_demo_env):
    yield from _serve(private_demo_env)


def people(url: str) -> tuple[str, str]:
    """(rep, their manager) in the demo store."""
    engine = create_store_engine(url)
    with Session(engine) as s:
        rep, team = s.execute(
            select(User.username, User.team_id).where(User.role == Role.REP, User.active)
            .order_by(User.id)
        ).first()  # fmt: skip
        manager = s.execute(
            select(User.username).join(TeamManager, TeamManager.user_id == User.id)
            .where(TeamManager.team_id == team)
        ).scalars().first()  # fmt: skip
    engine.dispose()
    return rep, manager


def stored(url: str, code: str) -> dict:
    engine = create_store_engine(url)
    with Session(engine) as s:
        deal = s.execute(
            select(OPP.c.id, OPP.c.version, STAGE.c.code.label("stage"), OPP.c.next_step)
            .join(STAGE, STAGE.c.id == OPP.c.current_stage_id).where(OPP.c.code == code)
        ).one()  # fmt: skip
        visits = s.execute(
            select(VISIT.c.status, VISIT.c.effective).where(VISIT.c.opportunity_id == deal.id)
            .order_by(VISIT.c.id)
        ).all()  # fmt: skip
        files = s.execute(select(ATTACHMENT.c.filename).where(
            ATTACHMENT.c.opportunity_id == deal.id)).scalars().all()  # fmt: skip
    engine.dispose()
    return {"stage": deal.stage, "version": deal.version, "next_step": deal.next_step,
            "visits": [tuple(v) for v in visits], "files": files}  # fmt: skip


def submit(page, form_key: str, button: str, expected: str) -> None:
    """Click the submit button ``button`` of the form whose first widget is keyed in
    ``form_key``'s family, and wait for ``expected``."""
    form = page.get_by_test_id("stForm").filter(has=page.locator(f"[class*='st-key-{form_key}']"))
    form.get_by_role("button", name=button, exact=True).click()
    expect(page.get_by_text(expected).first).to_be_visible(timeout=SLOW)
    wait_for_app(page)


# What each tab of the deal page shows (every tab is drawn on every run).
TAB_SHOWS = {
    "拜访": ".st-key-deal_visit_mode",
    "关键动作": ".st-key-deal_done_on",
    "阶段推进": ".st-key-deal_move_reason",
    "编辑": ".st-key-deal_ed_step",
}


def open_tab(page, name: str) -> None:
    """Open a tab of the deal page and wait for its content and for the run the switch
    makes (keyed tabs rerun the page). The content is drawn already, so it cannot tell when
    that run is over, and a file picked while it runs was lost: the run's end is read off
    the websocket, not counted from the page's run state, which a quick run never shows."""
    tab = page.get_by_role("tab", name=name, exact=True)
    wait_for_app(page)
    if tab.get_attribute("aria-selected") != "true":
        with run_finishes(page):
            tab.click()
        expect(tab).to_have_attribute("aria-selected", "true")
    shows(page, page.locator(TAB_SHOWS[name]).first)


@pytest.mark.slow
def test_a_reps_day_in_the_deal_workspace(server, private_demo_env, browser, tmp_path):
    rep, manager = people(private_demo_env)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    keep_socket(page)
    page.goto(f"{server}/new-deal?lang=zh")
    ensure_signed_in(page, rep)
    page.locator(".st-key-deal_new_customer_name input").fill("星河测试科技有限公司")
    page.locator(".st-key-deal_new_amount input").fill("85万")
    submit(page, "deal_new_", "创建商机", "已创建商机")
    code = re.search(r"XS\d+", page.get_by_text("已创建商机").first.inner_text())[0]

    page.goto(f"{server}/opportunity?code={code}&lang=zh")
    wait_for_app(page)
    expect(page.get_by_role("heading", name=re.compile(code))).to_be_visible(timeout=SLOW)
    # A second tab, opened now, keeps the version it saw.
    stale = context.new_page()
    keep_socket(stale)
    stale.goto(f"{server}/opportunity?code={code}&lang=zh")
    wait_for_app(stale)

    open_tab(page, "拜访")
    page.locator(".st-key-deal_visit_min input").fill("40")
    page.locator(".st-key-deal_visit_dm").get_by_text("见到了决策人").click()
    page.locator(".st-key-deal_visit_need textarea").fill("需要私有化部署与移动端报表")
    page.locator(".st-key-deal_visit_commit input").fill("下周安排技术交流")
    submit(page, "deal_visit_need", "保存拜访", "已记录拜访（有效拜访）")
    # … and plans the next one for this week (the manager's My work lists it).
    open_tab(page, "拜访")
    page.locator(".st-key-deal_visit_mode").get_by_text("计划一次拜访").click()
    wait_for_app(page)
    submit(page, "deal_visit_need", "保存拜访", "已计划拜访")

    pdf = tmp_path / "线索记录.pdf"
    pdf.write_bytes(PDF)
    for index in range(2):  # the lead stage's two key actions
        open_tab(page, "关键动作")
        if index == 0:
            page.locator(".st-key-deal_deliverable input").fill("线索记录表")
            page.locator("[class*='st-key-deal_done_file'] input[type=file]").set_input_files(
                str(pdf)
            )
            # Uploaded (not still uploading): the picker then shows the file's size.
            expect(page.locator("[class*='st-key-deal_done_file']")).to_contain_text(
                re.compile(r"线索记录\.pdf\s*\d+(\.\d+)?\s?[KM]?B"), timeout=SLOW
            )
            wait_for_app(page)
        submit(page, "deal_done_on", "标记完成", "已完成。")

    open_tab(page, "阶段推进")
    expect(page.get_by_text("需要填写原因")).to_have_count(0)  # everything on the list is done
    submit(page, "deal_move_reason", "推进", "已推进到 需求分析。")
    whole_page_screenshot(page, ARTIFACTS / "deal-workspace-rep-zh-1280.png", 1280)
    after = stored(private_demo_env, code)
    assert after["stage"] == "needs_analysis"
    assert after["visits"] == [("done", True), ("planned", False)]
    assert after["files"] == ["线索记录.pdf"]

    # The tab opened before all that: its edit is refused and writes nothing.
    open_tab(stale, "编辑")
    stale.locator(".st-key-deal_ed_step input").fill("过时的下一步")
    stale.get_by_role("button", name="保存修改", exact=True).click()
    expect(stale.get_by_text("被别人修改了").first).to_be_visible(timeout=SLOW)
    assert stored(private_demo_env, code)["next_step"] == ""
    context.close()

    # The manager sees it on My work, on the board and in this week's changes.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{server}/my-work?lang=zh&rep={rep}")
    ensure_signed_in(page, manager)
    page.goto(f"{server}/my-work?lang=zh&rep={rep}")
    wait_for_app(page)
    expect(page.locator(f"a[href*='code={code}']").first).to_be_visible(timeout=SLOW)

    page.goto(f"{server}/board?lang=zh&rep={rep}&stage=needs_analysis")
    wait_for_app(page)
    card = page.locator(f".st-key-card_{code}")
    for _ in range(30):  # oldest first: show more until the new deal's card is loaded
        if card.count():
            break
        page.locator(".st-key-board_more_needs_analysis button").click()
        wait_for_app(page)
    expect(card).to_be_visible()

    page.goto(f"{server}/pipeline?lang=zh&section=changes&rep={rep}")
    wait_for_app(page)
    expect(page.locator("td", has_text=code).first).to_be_attached(timeout=SLOW)
    context.close()
