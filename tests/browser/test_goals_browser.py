"""The goal treemap in a real browser: clicking a box drills into that goal (Streamlit 1.67
delivers treemap clicks as a selection event), the breadcrumb and URL follow, and a click
on the outer box goes back up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PATIENCE, ensure_signed_in, screenshot, shows, wait_for_app

pytestmark = pytest.mark.browser


def click_label(page, box, then: re.Pattern) -> None:
    """Click a treemap box where its label is drawn: its children cover the rest of it, and
    the label lets the pointer through (pointer-events: none) to the box's label band. Waits
    until the URL matches ``then`` (the run names the goal it opened) and the run is over."""
    label = box.locator("text.slicetext").first
    expect(label).to_be_visible()
    wait_for_app(page)
    label.click(force=True)  # force: the label itself never takes the pointer
    expect(page).to_have_url(then, timeout=PATIENCE)
    wait_for_app(page)


def click_box(page, name: str, then: re.Pattern) -> None:
    """Click the treemap box labelled ``name`` (see ``click_label``)."""
    click_label(page, page.locator("g.slice").filter(has_text=name).first, then)


def test_clicking_a_treemap_box_drills_down_and_back(app_server, page):
    page.goto(f"{app_server}/goals?lang=zh")
    ensure_signed_in(page)
    expect(page.get_by_role("heading", name="目标达成与拆解")).to_be_visible()
    page.wait_for_selector("g.slice")
    top = re.search(r"node=(\d+)", page.url).group(1)
    # The largest product line's box: click it and the page opens that goal.
    line = page.locator("g.slice text.slicetext").nth(1).get_attribute("data-unformatted")
    name = re.sub(r"<[^>]+>", "", line.split("<br>")[0]).replace("⚠ ", "")
    click_box(page, name, then=re.compile(r"node=(?!" + top + r"\b)\d+"))
    expect(page.get_by_text(f"目标拆解： {name}", exact=False)).to_be_visible()
    expect(page.locator(".st-key-crumb_" + top)).to_be_visible()  # the way back up
    page.wait_for_selector("g.slice")
    screenshot(page, "goals_drilled_zh")
    # A click on the outer (current) box goes back up one level.
    click_label(page, page.locator("g.slice").first, then=re.compile(r"node=" + top + r"\b"))
    expect(page.locator(".st-key-crumb_" + top)).to_have_count(0)


def test_goal_page_in_english(app_server, page):
    page.goto(f"{app_server}/goals?lang=en")
    ensure_signed_in(page)
    expect(page.get_by_role("heading", name="Goal attainment and decomposition")).to_be_visible()
    page.wait_for_selector("g.slice")
    expect(page.get_by_text("Decomposition check")).to_be_visible()
    screenshot(page, "goals_en")


def test_a_drilled_goal_survives_a_period_type_and_language_change(app_server, page):
    """Drill with the select box, then change the language and the period type: the page
    stays on that goal (the select box used to hand its stale label to the drill callback:
    ValueError with a traceback on screen), and every picker reads in the new language."""
    page.goto(f"{app_server}/goals?lang=zh")
    ensure_signed_in(page)
    expect(page).to_have_url(re.compile(r"node=\d+"))
    wait_for_app(page)
    top = re.search(r"node=(\d+)", page.url).group(1)
    page.locator(".st-key-goal_drill").click()
    page.get_by_role("option").first.click()
    # The URL names the drilled goal once its run is over.
    expect(page).to_have_url(re.compile(r"node=(?!" + top + r"\b)\d+"), timeout=PATIENCE)
    wait_for_app(page)
    node = re.search(r"node=(\d+)", page.url).group(1)
    page.get_by_test_id("stSidebar").locator("label").filter(has_text="English").click()
    shows(page, page.get_by_role("heading", name="Goal attainment and decomposition"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page).to_have_url(re.compile(rf"node={node}\b"))
    page.locator(".st-key-period_kind").get_by_text("Month").click()
    expect(page).to_have_url(re.compile(r"lang=en.*period_kind=month"))
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Metric")).to_have_value("Revenue")
    screenshot(page, "goals_drilled_then_en")
