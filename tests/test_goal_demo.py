"""The goal tree on the demo company: the decomposition check finds exactly the one branch
the demo misaligns on purpose, the company actual agrees with an independent sum, and the
`report goals` command writes the tree as XLSX, CSV and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard import demo
from salesboard.accounts.access import SYSTEM
from salesboard.goals.view import goal_tree
from salesboard.store.db import create_store_engine
from salesboard.store.models import Goal, Opportunity, ProductLine, Region
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)


@pytest.fixture
def demo_session(demo_store):
    engine = create_store_engine(demo_store)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_the_check_finds_exactly_the_misaligned_branch(demo_session):
    periods = demo_session.execute(select(Goal.period, Goal.metric).distinct()).all()
    assert len(periods) > 20  # months, quarters and years for two metrics
    found = []
    for period, metric in periods:
        view = goal_tree(demo_session, SYSTEM, period, metric, TODAY)
        found += [(period, metric, int(i), k) for i, k in view.findings[["id", "kind"]].values]
    assert len(found) == 1
    period, metric, goal_id, kind = found[0]
    goal = demo_session.get(Goal, goal_id)
    wanted = demo.MISALIGNED_GOAL
    assert (period, metric, goal.scope) == (demo.quarter_label(TODAY), wanted.metric, wanted.scope)
    assert demo_session.get(ProductLine, goal.product_line_id).code == wanted.product_line_code
    assert demo_session.get(Region, goal.region_id).code == wanted.region_code
    # The region's target is above its teams' sum: not all of it has been handed out.
    assert kind == "under_allocated"
    children = demo_session.execute(
        select(func.sum(Goal.target)).where(Goal.parent_id == goal_id)
    ).scalar_one()
    view = goal_tree(demo_session, SYSTEM, period, metric, TODAY)
    finding = view.findings.iloc[0]
    assert finding["difference"] == pytest.approx(float(children) - float(goal.target))
    assert float(goal.target) / float(children) == pytest.approx(1 + wanted.excess, abs=0.01)


def test_company_actual_is_the_won_amount_of_the_quarter(demo_session):
    label = demo.quarter_label(TODAY)
    view = goal_tree(demo_session, SYSTEM, label, "revenue", TODAY)
    won = demo_session.execute(
        select(func.sum(Opportunity.amount_minor)).where(
            Opportunity.status == "won",
            Opportunity.won_on >= view.period.start,
            Opportunity.won_on <= TODAY,
        )
    ).scalar_one()
    top = view.node(view.root_id)
    assert top["scope"] == "company" and top["actual"] == won
    # Every rep's revenue over the product lines adds up to the company's (no deal is lost
    # between the levels, and no deal counts twice).
    reps = view.nodes[view.nodes["scope"] == "rep"]
    assert reps["actual"].sum() == pytest.approx(won)


def _cli(*args, url):
    return subprocess.run(
        [sys.executable, "-m", "salesboard", "--database-url", url, *args],
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_report_goals_cli_writes_xlsx_csv_and_json(demo_store, tmp_path):
    label = demo.quarter_label(TODAY)
    base = ["report", "goals", "--period", label, "--metric", "revenue", "--as-of", DEMO_TODAY]
    xlsx = tmp_path / "goals.xlsx"
    run = _cli(*base, "--format", "xlsx", "--output", str(xlsx), url=demo_store)
    assert run.returncode == 0, run.stderr
    sheet = load_workbook(BytesIO(xlsx.read_bytes()))["目标树"]
    assert sheet["A1"].value.startswith("销售额目标达成")
    assert sheet["A2"].value == "名称" and sheet["D2"].value == "目标（万元）"
    assert sheet["A3"].value == "全公司" and sheet["A4"].alignment.indent == 1
    rep_rows = [r for r in sheet.iter_rows(min_row=3) if r[1].value == "销售代表"]
    assert rep_rows and all(r[0].alignment.indent == 4 for r in rep_rows)

    out = tmp_path / "goals.json"
    run = _cli(*base, "--format", "json", "--output", str(out), url=demo_store)
    assert run.returncode == 0, run.stderr
    payload = json.loads(out.read_text())
    assert payload["period"] == label and payload["nodes"][0]["scope"] == "company"
    assert [f["kind"] for f in payload["findings"]] == ["under_allocated"]

    run = _cli(*base, "--format", "csv", "--lang", "en", "--output", "-", url=demo_store)
    assert run.returncode == 0, run.stderr
    text = run.stdout.decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[:4] == ["id", "parent_id", "level", "Goal"]
    assert "Target (CNY)" in header
    assert len(text.splitlines()) == len(payload["nodes"]) + 1


def test_report_goals_cli_says_when_there_is_nothing(demo_store):
    run = _cli("report", "goals", "--period", "2019Q1", "--format", "csv", url=demo_store)
    assert run.returncode == 1
    assert run.stderr.decode().startswith("error: no revenue goals for 2019Q1")
    bad = _cli("report", "goals", "--period", "2026Q9", url=demo_store)
    assert bad.returncode == 1 and "2026Q9" in bad.stderr.decode()
