"""AppTest of the trend & forecast page and the leaderboard page on the hand-made company
(tests/companies/goals.py): the figures worked out there show up on the pages."""

from __future__ import annotations

import pytest

from salesboard.store.settings import get_settings
from tests.apptest_support import open_app, use_store
from tests.companies.goals import AS_OF, build_goal_store

FORECAST = "pages/goal_forecast.py"
BOARD = "pages/goal_leaderboard.py"


@pytest.fixture
def small_company(sqlite_engine, monkeypatch):
    ids = build_goal_store(sqlite_engine)
    use_store(monkeypatch, str(sqlite_engine.url), AS_OF.isoformat())
    yield ids
    monkeypatch.undo()
    get_settings.cache_clear()


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_forecast_page_shows_both_forecasts_and_the_backtest(small_company):
    at = open_app(FORECAST, lang="zh", user="boss")
    assert not at.exception
    shown = tiles(at)
    # 450 万 in 28 of 62 working days → 996.43 万; pipeline 450 + 300 × 0.75 = 675 万.
    assert shown["目前实际"] == "450.0万元"
    assert shown["按当前速度预测"] == "996.4万元"
    assert shown["按加权商机预测"] == "675.0万元"
    assert shown["目标"] == "1,000.0万元"
    statement = [m.value for m in at.markdown if "平均偏差" in m.value]
    assert statement and "按当前速度 100.0%" in statement[0]  # Q3's only deal came late
    assert at.dataframe[-1].value["period"].tolist() == ["2025Q4", "2026Q1", "2026Q2", "2026Q3"]


def test_forecast_page_for_a_rep_offers_only_their_goals(small_company):
    at = open_app(FORECAST, lang="en", user="r2")
    assert not at.exception
    goals = at.selectbox(key="node").options
    assert goals and all("销售二" in g for g in goals)
    assert tiles(at)["Actual so far"] == "¥900K"  # r2's 90 万 on 产品A


def test_leaderboard_page_ranks_reps_and_teams(small_company):
    at = open_app(BOARD, lang="zh", user="boss")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["name"].tolist() == ["销售一", "销售三", "销售二"]
    assert table["visits"].tolist() == [3, 2, 0]
    at.selectbox(key="level").set_value("team").run()
    assert at.dataframe[0].value["name"].tolist() == ["华南一组", "华东一组"]
    assert at.query_params["level"] == "team"


def test_a_manager_keeps_the_goal_they_look_at_when_a_team_sits_under_several_branches(
    demo_app_env,
):
    """The demo sets a team's goal under each product line: the picker names where each one
    sits, and the page stays on the chosen goal across reruns (identical labels once made
    Streamlit hand back another goal on the next run, recomputing the forecast each time)."""
    from salesboard.store.models import Role
    from tests.apptest_support import first_user

    at = open_app(FORECAST, lang="zh", user=first_user(Role.MANAGER), timeout=60)
    picker = at.selectbox(key="node")
    assert len(set(picker.options)) == len(picker.options), "labels repeat"
    assert any("（" in label for label in picker.options)  # where a repeated name sits
    chosen = picker.value
    for _ in range(2):
        at.run()
        assert at.selectbox(key="node").value == chosen
    assert at.query_params["node"] in (chosen, [chosen])


def test_repeated_labels_are_kept_apart():
    from salesboard.ui.url_state import distinct_labels

    names = {"a": "华南销售一组", "b": "华南销售一组", "c": "华东销售一组"}
    shown = distinct_labels(list(names), names.get)
    assert [shown(o) for o in names] == ["华南销售一组", "华南销售一组\u200b", "华东销售一组"]
    get = names.get
    assert distinct_labels(["a", "c"], get) is get  # nothing to do
