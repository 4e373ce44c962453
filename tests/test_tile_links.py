"""Every KPI tile opens what is behind it: the Overview's won, open and win-rate tiles list
their deals (and the list adds up to the tile), the overdue tile opens the overdue deals, the
attainment tile the goals; a goal's actual lists the deals won under it."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from salesboard.accounts.access import viewer_for
from salesboard.calendar.periods import parse_period
from salesboard.i18n import format_count, format_money, format_percent, t
from salesboard.overview.figures import overview_kpis
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Role, User
from salesboard.ui.navigation import PAGES
from salesboard.ui.signin import TOKEN_KEY
from tests.apptest_support import APP_PATH, first_user, open_app, session_token
from tests.conftest import DEMO_TODAY

TODAY = date.fromisoformat(DEMO_TODAY)


def links(at) -> list[tuple[str, dict]]:
    """The page links on the page: (page file, query parameters)."""
    files = {entry.url_path: entry.path for entry in PAGES}
    return [
        (files[link.proto.page], {k: v[0] for k, v in parse_qs(link.proto.query_string).items()})
        for link in at.get("page_link")
    ]


def follow(page: str, params: dict, user: str, lang: str) -> AppTest:
    """Open a link in the user's session (a fresh one: the same as a click)."""
    at = AppTest.from_file(APP_PATH, default_timeout=60)
    at.session_state[TOKEN_KEY] = session_token(user)
    at.query_params = {**params, "lang": lang}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def kpis_of(url: str, username: str, period: str):
    engine = create_store_engine(url)
    with read_session(engine) as session:
        user = session.execute(select(User).where(User.username == username)).scalar_one()
        viewer = viewer_for(session, user)
        figures = overview_kpis(session, viewer, parse_period(period), TODAY)
    engine.dispose()
    return figures


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("role", [Role.MANAGER, Role.REP, Role.LEADER])
def test_each_overview_tile_opens_the_deals_or_goals_behind_it(demo_app_env, role, lang):
    user = first_user(role)
    at = open_app("pages/overview.py", lang=lang, user=user)
    found = links(at)
    assert len(found) == len(at.metric) == 5  # one link under each tile
    kpis = kpis_of(demo_app_env, user, "2026Q4")
    by_list = {
        params.get("deals") or params.get("section") or "goals": (page, params)
        for page, params in found
    }

    won = follow(*by_list["won"], user, lang)
    assert won.caption[0].value.startswith(
        t("deals.summary", lang, count=format_count(kpis.won_count),
          amount=format_money(kpis.won_amount_minor, lang))
    )  # fmt: skip
    assert len(won.dataframe[0].value) == kpis.won_count

    still_open = follow(*by_list["open"], user, lang)
    assert still_open.caption[0].value.startswith(
        t("deals.summary", lang, count=format_count(kpis.open_count),
          amount=format_money(kpis.open_pipeline_minor, lang))
    )  # fmt: skip

    closed = follow(*by_list["closed"], user, lang)
    statuses = closed.dataframe[0].value["status"]
    won_share = (statuses == t("status.won", lang)).mean() if len(statuses) else None
    assert format_percent(won_share) == format_percent(kpis.win_rate)

    overdue = follow(*by_list["overdue"], user, lang)
    shown = {m.label: m.value for m in overdue.metric}
    assert shown[t("pipeline.overdue_count", lang)] == format_count(kpis.overdue_count)

    goals = follow(*by_list["goals"], user, lang)
    assert [w.value for w in goals.selectbox if w.key == "period_quarter"] == ["2026Q4"]


def test_a_goals_actual_opens_the_deals_won_under_it(demo_app_env):
    user = first_user(Role.MANAGER)
    at = open_app("pages/goal_attainment.py", user=user)
    [(page, params)] = links(at)
    assert params["deals"] == "won" and "team" in params  # the manager lands on a team goal
    actual = {m.label: m.value for m in at.metric}[t("goals.col.actual", "zh")]
    listed = follow(page, params, user, "zh")
    total = listed.dataframe[0].value["amount"].sum()  # in 万元
    assert actual == f"{total:,.1f}万元"
