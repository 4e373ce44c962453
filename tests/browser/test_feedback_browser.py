"""The feedback form in a real browser: typing is saved at once and survives a reload; a
second browser editing the same form gets the conflict message with its input kept for the
merge; bad input gets a message naming the field and leaves the stored form intact."""

from __future__ import annotations

import json
import re
import sqlite3
import time

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import FeedbackForm, Role, User
from tests.browser.conftest import _serve, ensure_signed_in, screenshot, wait_for_app

pytestmark = pytest.mark.browser

MONTH = "2026-11"  # the demo has no forms for the current month: each test starts one
# Each change reruns the script on a shared 2-core machine: give assertions time.
expect.set_options(timeout=20_000)


@pytest.fixture(scope="module")
def feedback_store(tmp_path_factory, demo_store) -> str:
    """A private copy of the demo store (these tests write forms)."""
    path = tmp_path_factory.mktemp("feedback_browser") / "store.db"
    source = sqlite3.connect(demo_store.removeprefix("sqlite:///"))
    target = sqlite3.connect(path)
    source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{path}"


@pytest.fixture(scope="module")
def server(feedback_store):
    yield from _serve(feedback_store)


def reps(url: str) -> list[tuple[int, str]]:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        rows = s.execute(
            select(User.id, User.username).where(User.role == Role.REP).order_by(User.id)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def stored(url: str, rep_id: int) -> tuple[int, dict]:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        form = s.execute(
            select(FeedbackForm).where(FeedbackForm.rep_id == rep_id, FeedbackForm.period == MONTH)
        ).scalar_one()
    engine.dispose()
    return form.version, json.loads(form.body)


def open_form(page, base: str, username: str) -> None:
    # Tall enough that every table is on screen: the grid takes clicks where it is drawn.
    page.set_viewport_size({"width": 1400, "height": 2400})
    page.goto(f"{base}/feedback?period={MONTH}")
    ensure_signed_in(page, username)
    page.wait_for_selector('.st-key-fb_start button, [class*="st-key-fb_kpis_"]')
    start = page.locator(".st-key-fb_start button")
    if start.count():
        start.first.click()
        wait_for_app(page)
    try:
        editor(page, "kpis").locator("canvas").first.wait_for()
    except Exception:
        screenshot(page, "feedback_open_form_failed")
        raise
    time.sleep(1.5)  # the grid draws after its element appears


def editor(page, section: str):
    return page.locator(f'[class*="st-key-fb_{section}_"]')


# The KPI table's column widths in pixels (salesboard.ui.feedback_editor sets them).
KPI_WIDTHS = (64, 130, 64, 64, 72, 32, 64, 64, 64, 170, 140)


def edit_cell(page, section: str, row: int, column: int, text: str | None = None) -> None:
    """Open the editor of a cell by row and column (0 = first data column); type ``text``
    and commit it with Enter when given. KPI cells are clicked where they are drawn; other
    tables are reached from their first cell with the arrow keys."""
    box = editor(page, section).bounding_box()
    y = box["y"] + 35 + 35 * row + 17
    if section == "kpis":
        page.mouse.click(box["x"] + sum(KPI_WIDTHS[:column]) + 12, y)
        time.sleep(0.3)
        page.keyboard.press("Enter")
    else:
        page.mouse.click(box["x"] + 60, y)  # growable tables start with a row marker
        for _ in range(column):
            page.keyboard.press("ArrowRight")
        page.keyboard.press("Enter")
    # Type only once the cell's editor has the focus (earlier keys would be lost).
    try:
        page.wait_for_function(
            "(e => e && ['INPUT', 'TEXTAREA'].includes(e.tagName)"
            " && String(e.className).includes('gdg'))(document.activeElement)"
        )
    except Exception:
        screenshot(page, "feedback_edit_cell_failed")
        raise
    time.sleep(0.2)
    if text is not None:
        type_and_commit(page, text)
        wait_for_app(page)


def type_and_commit(page, text: str) -> None:
    """Type into the open cell editor and commit with Enter once the editor has taken the
    keys (an Enter straight after them can commit the value from before, or nothing)."""
    page.keyboard.type(text)
    time.sleep(0.5)
    page.keyboard.press("Enter")


def cell(page, section: str, row: int, column: int) -> str:
    offset = 0 if section in ("kpis", "carried") else 1
    return editor(page, section).locator(f"#glide-cell-{column + offset}-{row}").inner_text()


REASON, ACTUAL = 9, 4  # KPI table columns: reason and actual


def test_typed_text_survives_a_reload(server, feedback_store, page):
    rep_id, username = reps(feedback_store)[0]
    open_form(page, server, username)
    edit_cell(page, "kpis", 0, REASON, "大客户A订单延迟交付")
    expect(page.get_by_text("版本 2", exact=False)).to_be_visible()
    assert stored(feedback_store, rep_id)[1]["kpis"][0]["reason"] == "大客户A订单延迟交付"
    page.reload()  # before submitting: nothing typed may be lost
    ensure_signed_in(page, username)
    editor(page, "kpis").locator("canvas").first.wait_for()
    expect(editor(page, "kpis").locator("#glide-cell-9-0")).to_have_text("大客户A订单延迟交付")
    screenshot(page, "feedback_after_reload_zh")


def test_second_browser_gets_the_conflict_and_keeps_its_input(server, feedback_store, browser):
    rep_id, username = reps(feedback_store)[1]
    pages = []
    for _ in range(2):
        context = browser.new_context(viewport={"width": 1400, "height": 1400}, locale="zh-CN")
        p = context.new_page()
        p.set_default_timeout(60_000)
        pages.append(p)
    first, second = pages
    open_form(first, server, username)
    open_form(second, server, username)  # both hold version 1
    edit_cell(first, "kpis", 0, REASON, "第一个窗口的说明")
    expect(first.get_by_text("版本 2", exact=False)).to_be_visible()
    edit_cell(second, "kpis", 1, REASON, "第二个窗口的说明")
    expect(second.get_by_text("保存被拒绝", exact=False)).to_be_visible()
    version, body = stored(feedback_store, rep_id)
    assert version == 2 and body["kpis"][1]["reason"] == ""  # nothing overwritten
    # The second user's input is kept beside the saved version, to merge.
    expect(second.get_by_text("第二个窗口的说明").first).to_be_visible()
    screenshot(second, "feedback_conflict_zh")
    second.get_by_role("button", name="保存合并结果").click()
    expect(second.get_by_text("版本 3", exact=False)).to_be_visible()  # the merge saved
    version, body = stored(feedback_store, rep_id)
    assert version == 3
    assert body["kpis"][0]["reason"] == "第一个窗口的说明"
    assert body["kpis"][1]["reason"] == "第二个窗口的说明"
    for p in pages:
        p.context.close()


def test_bad_input_gets_a_message_and_the_stored_form_stays_intact(server, feedback_store, page):
    rep_id, username = reps(feedback_store)[2]
    open_form(page, server, username)
    before = stored(feedback_store, rep_id)

    # A 10 MB paste into a text cell: refused with the field and the limit named. (The text
    # is built in the page: 10 MB through the driver would also flood a failure message.)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("navigator.clipboard.writeText('长'.repeat(10 * 1024 * 1024))")
    box = editor(page, "kpis").bounding_box()
    page.mouse.click(box["x"] + sum(KPI_WIDTHS[:REASON]) + 12, box["y"] + 35 + 17)
    page.keyboard.press("Control+v")
    wait_for_app(page)
    alert = page.get_by_test_id("stAlert").filter(has_text="异常原因说明")
    expect(alert).to_contain_text("最多 500 字")
    assert stored(feedback_store, rep_id) == before

    # Letters over a number: the grid's number editor drops them and sends an empty value;
    # the actual is kept and the message names the field.
    original = cell(page, "kpis", 4, ACTUAL)
    message = page.get_by_test_id("stAlert").filter(has_text="实际值")
    for _ in range(3):  # the grid sometimes takes the first keys before its editor has focus
        edit_cell(page, "kpis", 4, ACTUAL)
        page.keyboard.press("Control+a")
        type_and_commit(page, "abc")
        wait_for_app(page)
        try:
            message.wait_for(timeout=10_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    expect(message).to_contain_text("须为数字")
    assert stored(feedback_store, rep_id) == before
    screenshot(page, "feedback_bad_input_zh")

    # After a reload the refused values are gone and the stored ones show.
    page.reload()
    ensure_signed_in(page, username)
    editor(page, "kpis").locator("canvas").first.wait_for()
    expect(editor(page, "kpis").locator(f"#glide-cell-{ACTUAL}-4")).to_have_text(original)
    time.sleep(1.5)

    # A date pasted in another format (as copied from a spreadsheet): whatever the grid makes
    # of it, the store holds the old value or an ISO date, never the pasted text.
    page.evaluate("navigator.clipboard.writeText('15/10/2026')")
    box = editor(page, "actions").bounding_box()
    page.mouse.click(box["x"] + 60, box["y"] + 35 + 17)
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Control+v")
    wait_for_app(page)
    time.sleep(2)
    version, body = stored(feedback_store, rep_id)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(body["actions"][0]["date"]))
    # Typed through the date editor, the date saves as an ISO date.
    saved = page.get_by_text(f"版本 {version + 1}", exact=False)
    for _ in range(3):  # as above: retry when the grid took the keys before its editor
        edit_cell(page, "actions", 0, 2)
        page.locator(":focus").fill("2026-10-16")
        page.keyboard.press("Enter")
        try:
            saved.wait_for(timeout=10_000)
            break
        except Exception:
            page.keyboard.press("Escape")
    expect(saved).to_be_visible()
    version, body = stored(feedback_store, rep_id)
    assert body["actions"][0]["date"] == "2026-10-16"
    assert body["kpis"] == before[1]["kpis"]  # the refused edits never reached the store
