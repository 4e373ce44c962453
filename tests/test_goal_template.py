"""Goal template XLSX out and in (SQLite and PostgreSQL): a round trip changes only what was
edited, new rows hang under the right parent, and problems come back by row number with
nothing written."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from salesboard.accounts.access import load_viewer
from salesboard.goals import template
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Goal
from tests.companies.goals import WAN, build_goal_store


@pytest.fixture
def store(engine):
    return engine, build_goal_store(engine)


def edited(data: bytes, change) -> bytes:
    book = load_workbook(BytesIO(data))
    change(book["goals"])
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def header(sheet) -> dict[str, int]:
    row = [c.value for c in sheet[2]]  # row 1 is the title
    return {name: i + 1 for i, name in enumerate(row)}


def test_template_round_trip_updates_and_creates(store):
    engine, ids = store
    with read_session(engine) as s:
        admin = load_viewer(s, ids.users["admin"])
        data = template.template_xlsx(s, "2026Q4", "revenue", "zh")
    sheet = load_workbook(BytesIO(data))["goals"]
    cols = header(sheet)
    assert sheet.cell(3, cols["scope"]).value == "company"
    assert sheet.cell(3, cols["target"]).value == 1000  # 万元

    def change(ws):
        cols = header(ws)
        for row in ws.iter_rows(min_row=3):
            if (
                row[cols["scope"] - 1].value == "product_line"
                and row[cols["product_line"] - 1].value == "A"
            ):
                row[cols["target"] - 1].value = 650
        # A new 2027Q1 company goal and a product line under it, in Chinese labels.
        ws.append(["2027Q1", "销售额", "公司", None, None, None, None, "boss", 1200])
        ws.append(["2027Q1", "revenue", "产品线", "产品A", None, None, None, "老板", 700])

    with write_session(engine) as s:
        rows = template.read_template(s, edited(data, change))
        result = template.import_goals(s, admin, rows)
    assert (result.created, result.updated, result.unchanged) == (2, 1, 16)
    with read_session(engine) as s:
        assert s.get(Goal, ids.goals["A"]).target == 650 * WAN
        line = s.execute(
            select(Goal).where(Goal.period == "2027Q1", Goal.scope == "product_line")
        ).scalar_one()
        top = s.get(Goal, line.parent_id)
        assert (top.period, top.scope, top.target) == ("2027Q1", "company", 1200 * WAN)
        assert line.owner_id == ids.users["boss"]


def test_problems_come_back_by_row_and_nothing_is_written(store):
    engine, ids = store
    with read_session(engine) as s:
        admin = load_viewer(s, ids.users["admin"])
        data = template.template_xlsx(s, "2026Q4", "new_customers", "en")
        before = s.execute(select(func.count()).select_from(Goal)).scalar_one()

    def change(ws):
        ws.cell(3, header(ws)["target"]).value = -3  # row 3: the company goal
        ws.append(["2026Q5", "new_customers", "region", None, "south", None, None, None, 1])
        ws.append(["2026Q4", "new_customers", "team", None, None, "火星组", None, None, 2])
        ws.append(["2026Q4", "revenue", "team", None, None, "华南一组", None, None, None])

    with pytest.raises(template.TemplateError) as caught, read_session(engine) as s:
        template.read_template(s, edited(data, change))
    assert [(row, column) for row, column, _ in caught.value.problems] == [
        (3, "target"), (11, "period"), (12, "team"), (13, "target"),
    ]  # fmt: skip
    assert "negative" in caught.value.problems[0][2]

    # Rows that read well but break a rule (a rep in the wrong team) stop the whole import.
    def wrong_team(ws):
        ws.cell(3, header(ws)["target"]).value = 11
        ws.append(["2026Q4", "new_customers", "rep", None, None, "华南一组", "r3", None, 1])

    with pytest.raises(template.TemplateError) as caught, write_session(engine) as s:
        template.import_goals(s, admin, template.read_template(s, edited(data, wrong_team)))
    assert caught.value.problems[0][:2] == (11, "team")
    with read_session(engine) as s:
        assert s.execute(select(func.count()).select_from(Goal)).scalar_one() == before
        assert s.get(Goal, ids.goals["nc_company"]).target == 10


def test_a_file_that_is_not_a_workbook(store):
    engine, _ = store
    with pytest.raises(template.TemplateError) as caught, read_session(engine) as s:
        template.read_template(s, b"period,target\n2026Q4,1\n")
    assert caught.value.problems[0][1] == "file"
