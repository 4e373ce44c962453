"""AppTest of the goal settings page on the hand-made company: add a goal, see a field-named
error, copy last period, import a template; managers and reps cannot open it. The data
editor's cell edits are covered by tests/browser/test_goal_settings_browser.py and the
write-back function by tests/test_goal_editing.py."""

from __future__ import annotations

from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from salesboard.goals import template
from salesboard.store.db import read_session
from salesboard.store.models import Goal
from tests.apptest_support import open_app, use_store
from tests.companies.goals import AS_OF, WAN, build_goal_store

PAGE = "pages/goal_settings.py"


@pytest.fixture
def settings_store(sqlite_engine, monkeypatch):
    ids = build_goal_store(sqlite_engine)
    use_store(monkeypatch, str(sqlite_engine.url), AS_OF.isoformat())
    yield sqlite_engine, ids
    from salesboard.store.settings import get_settings

    monkeypatch.undo()
    get_settings.cache_clear()


def goals_of(engine, period):
    with read_session(engine) as s:
        return s.execute(select(Goal).where(Goal.period == period)).scalars().all()


def test_add_a_goal_and_see_a_field_named_error(settings_store):
    engine, ids = settings_store
    at = open_app(PAGE, lang="zh", user="boss")
    assert not at.exception
    at.selectbox(key="plan_quarter").set_value("2027Q1").run()
    at.selectbox(key="add_scope").set_value("company").run()
    at.selectbox(key="add_owner").set_value(ids.users["boss"])
    at.number_input(key="add_target").set_value(-5)
    at.button[[b.label for b in at.button].index("新增")].click().run()
    assert [e.value for e in at.error] == ["目标值：目标值不能为负数（填写的是 -5）。"]
    assert goals_of(engine, "2027Q1") == []
    at.number_input(key="add_target").set_value(1200)
    at.button[[b.label for b in at.button].index("新增")].click().run()
    assert not at.exception
    (goal,) = goals_of(engine, "2027Q1")
    assert (goal.scope, goal.target, goal.owner_id) == ("company", 1200 * WAN, ids.users["boss"])
    assert any("已新增目标" in s.value for s in at.success)


def test_copy_last_quarter_with_growth(settings_store):
    engine, _ = settings_store
    at = open_app(PAGE, lang="en", user="admin")
    at.selectbox(key="plan_quarter").set_value("2027Q1").run()
    at.number_input(key="copy_growth").set_value(10.0)
    at.button[[b.label for b in at.button].index("Copy")].click().run()
    assert not at.exception
    copied = goals_of(engine, "2027Q1")
    assert len([g for g in copied if g.metric == "revenue"]) == 17
    top = [g for g in copied if g.metric == "revenue" and g.scope == "company"][0]
    assert top.target == 1100 * WAN
    # Now 2027Q1 has goals: the copy button is off and says why.
    assert any("already has goals" in i.value for i in at.info)


def test_template_upload_reports_rows_and_imports(settings_store):
    engine, ids = settings_store
    with read_session(engine) as s:
        data = template.template_xlsx(s, "2026Q4", "revenue", "en")
    book = load_workbook(BytesIO(data))
    sheet = book["goals"]
    sheet.cell(3, 9).value = "lots"  # target of the company goal
    broken = BytesIO()
    book.save(broken)
    at = open_app(PAGE, lang="en", user="admin")
    at.file_uploader(key="goal_template").set_value(
        ("goals.xlsx", broken.getvalue(), "application/octet-stream")
    ).run()
    assert not at.exception
    assert any("1 problem" in e.value for e in at.error)
    problems = at.dataframe[-1].value
    assert problems.iloc[0]["row"] == 3 and problems.iloc[0]["column"] == "target"

    sheet.cell(3, 9).value = 1500
    fixed = BytesIO()
    book.save(fixed)
    at.file_uploader(key="goal_template").set_value(
        ("goals.xlsx", fixed.getvalue(), "application/octet-stream")
    ).run()
    assert not at.success  # read and checked, not written until asked
    at.button(key="template_import").click().run()
    assert any("1 changed, 16 unchanged" in s.value for s in at.success)
    with read_session(engine) as s:
        assert s.get(Goal, ids.goals["company"]).target == 1500 * WAN
        assert s.execute(select(func.count()).select_from(Goal)).scalar_one() == 32  # as built


@pytest.mark.parametrize("user", ["m1", "r1"])
def test_managers_and_reps_cannot_open_it(settings_store, user):
    at = open_app(None, lang="en", user=user)
    # Not in their navigation at all (the service refuses their writes too: test_goal_editing).
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page(PAGE)
