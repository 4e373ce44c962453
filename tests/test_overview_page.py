"""AppTest of the Overview page over the seeded demo store: the tiles show what the
metrics module computes from the database, in Chinese and in English, for what the signed-in
user may see (a rep their own deals and goal, a manager their teams, leaders the company)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from salesboard.accounts.access import SYSTEM, load_viewer
from salesboard.calendar.periods import parse_period, period_containing
from salesboard.i18n import format_count, format_money, format_percent, t
from salesboard.overview.figures import figures_scope, overview_kpis
from salesboard.store.db import create_store_engine
from salesboard.store.models import Opportunity, Role, User
from tests.apptest_support import open_app
from tests.builders import add_user
from tests.conftest import DEMO_TODAY

PAGE = "pages/overview.py"


def expected_kpis(url: str, label: str, viewer=SYSTEM):
    engine = create_store_engine(url)
    with Session(engine) as session:
        return overview_kpis(session, viewer, parse_period(label), date.fromisoformat(DEMO_TODAY))


def metric_values(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_tiles_match_store(demo_app_env, lang):
    at = open_app(PAGE, lang=lang)
    assert at.title[0].value == t("overview.title", lang)
    current_quarter = period_containing("quarter", date.fromisoformat(DEMO_TODAY)).label
    kpis = expected_kpis(demo_app_env, current_quarter)
    # The demo company has business in the current quarter: the figures are not trivially zero.
    assert kpis.won_amount_minor > 0 and kpis.open_count > 0 and kpis.overdue_count > 0
    shown = metric_values(at)
    assert shown[t("overview.won_amount", lang)] == format_money(
        kpis.won_amount_minor, lang, compact=True
    )
    assert shown[t("overview.attainment", lang)] == format_percent(kpis.attainment)
    assert shown[t("overview.open_pipeline", lang)] == format_money(
        kpis.open_pipeline_minor, lang, compact=True
    )
    assert shown[t("overview.overdue", lang)] == format_count(kpis.overdue_count)
    assert shown[t("overview.win_rate", lang)] == format_percent(kpis.win_rate)


def shown_matches(at, kpis, lang):
    shown = metric_values(at)
    return {
        "won": shown[t("overview.won_amount", lang)]
        == format_money(kpis.won_amount_minor, lang, compact=True),
        "attainment": shown[t("overview.attainment", lang)] == format_percent(kpis.attainment),
        "pipeline": shown[t("overview.open_pipeline", lang)]
        == format_money(kpis.open_pipeline_minor, lang, compact=True),
        "overdue": shown[t("overview.overdue", lang)] == format_count(kpis.overdue_count),
        "win_rate": shown[t("overview.win_rate", lang)] == format_percent(kpis.win_rate),
    }


def busiest(url: str, role: str) -> tuple[str, int]:
    """The user of ``role`` with the most opportunities (their figures are far from zero)."""
    from sqlalchemy import func, select

    engine = create_store_engine(url)
    with Session(engine) as session:
        owner = Opportunity.owner_id if role == Role.REP else None
        if owner is not None:
            row = session.execute(
                select(User.username, User.id)
                .join(Opportunity, owner == User.id)
                .where(User.role == role)
                .group_by(User.username, User.id)
                .order_by(func.count().desc())
            ).first()
        else:
            row = session.execute(
                select(User.username, User.id).where(User.role == role).order_by(User.id)
            ).first()
    return row[0], row[1]


@pytest.mark.parametrize("role", [Role.REP, Role.MANAGER, Role.LEADER])
def test_each_role_sees_its_own_figures_and_goal(demo_app_env, role):
    username, user_id = busiest(demo_app_env, role)
    engine = create_store_engine(demo_app_env)
    with Session(engine) as session:
        viewer = load_viewer(session, user_id)
        scope = figures_scope(session, viewer)
    quarter = period_containing("quarter", date.fromisoformat(DEMO_TODAY)).label
    mine = expected_kpis(demo_app_env, quarter, viewer)
    company = expected_kpis(demo_app_env, quarter)
    for lang in ("zh", "en"):
        at = open_app(PAGE, lang=lang, user=username)
        assert all(shown_matches(at, mine, lang).values())
        whose = t(
            f"overview.scope_{scope.kind}", lang, teams="、".join(scope.teams), owner=scope.owner
        )
        assert at.caption[0].value.startswith(whose)
        goal = format_money(mine.revenue_goal_minor, lang)
        assert any(goal in c.value for c in at.caption)
    if role == Role.LEADER:
        assert scope.kind == "company" and mine == company
        return
    # A rep's or manager's tiles are their slice, not the company's totals.
    assert mine.won_amount_minor < company.won_amount_minor
    assert mine.open_pipeline_minor < company.open_pipeline_minor
    assert mine.revenue_goal_minor < company.revenue_goal_minor
    assert not any(shown_matches(at, company, "en")[k] for k in ("won", "pipeline"))
    assert mine.open_count > 0 and mine.won_count > 0


def test_overview_period_picker_changes_figures(demo_app_env):
    at = open_app(PAGE, lang="en")
    at.segmented_control(key="period_kind").set_value("month").run()
    previous_month = at.selectbox(key="period_month").options[1]
    at.selectbox(key="period_month").set_value(previous_month).run()
    assert not at.exception
    kpis = expected_kpis(demo_app_env, previous_month)
    shown = metric_values(at)
    assert shown["Won amount"] == format_money(kpis.won_amount_minor, "en", compact=True)
    assert shown["Win rate"] == format_percent(kpis.win_rate)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_admin_on_an_empty_store_gets_the_setup_checklist(engine, monkeypatch, lang):
    """Issue 14 item 6: each step ticks itself from the store and links to its page; a rep
    on the same store reads why there is nothing yet."""
    from salesboard.store.db import write_session
    from tests import builders as b
    from tests.apptest_support import use_store

    use_store(monkeypatch, str(engine.url), DEMO_TODAY)
    add_user(engine)

    def steps_shown(at) -> list[str]:
        return [m.value for m in at.markdown if m.value.startswith(":material/")]

    at = open_app(PAGE, lang=lang)
    assert at.expander[0].label == t("setup.title", lang)
    shown = steps_shown(at)
    assert len(shown) == 6 and all(":material/radio_button_unchecked:" in s for s in shown)
    assert t("setup.step.organisation", lang) in shown[0]
    links = [e.proto.page for e in at.get("page_link")]
    assert links == ["organisation", "users", "upload", "upload", "goal-setup", "stages"]
    assert not at.metric
    with write_session(engine) as s:
        team = b.team(s, "华南一组", region=b.region(s, "south"))
        b.product_line(s, "mfg")
        b.user(s, "li.na", Role.REP, team=team)
    from salesboard.ui.connection import clear_cached

    clear_cached()
    at = open_app(PAGE, lang=lang)
    shown = steps_shown(at)
    assert [":material/check_circle:" in s for s in shown] == [True, True] + [False] * 4
    assert t("setup.progress", lang, done=2, total=6) in at.get("progress")[0].proto.text
    rep = open_app(PAGE, lang=lang, user="li.na")
    assert [i.value for i in rep.info] == [t("setup.waiting", lang)]
    assert not rep.expander and not rep.metric


def test_unmigrated_store_names_the_command(tmp_path, monkeypatch):
    from tests.apptest_support import use_store

    use_store(monkeypatch, f"sqlite:///{tmp_path / 'blank.db'}", DEMO_TODAY)
    from streamlit.testing.v1 import AppTest

    from tests.apptest_support import APP_PATH

    at = AppTest.from_file(APP_PATH, default_timeout=30).run()
    assert any("init-db" in e.value for e in at.error)


def test_vs_previous_compares_the_same_working_days(demo_app_env):
    """Issue 13 item 2: 2026Q4 on 11-23 has had 34 working days (October 18, November 16);
    its won amount is compared with the first 34 working days of 2026Q3 (07-01 … 08-17:
    July 23, August 3 … 17 11), and the tooltip says so."""
    from sqlalchemy import func, select

    at = open_app(PAGE, lang="en")
    tile = next(m for m in at.metric if m.label == t("overview.won_amount", "en"))
    engine = create_store_engine(demo_app_env)
    with Session(engine) as session:
        before = session.execute(
            select(func.coalesce(func.sum(Opportunity.amount_minor), 0)).where(
                Opportunity.status == "won",
                Opportunity.won_on.between(date(2026, 7, 1), date(2026, 8, 17)),
            )
        ).scalar_one()
    kpis = expected_kpis(demo_app_env, "2026Q4")
    assert (kpis.previous.start, kpis.previous.end) == (date(2026, 7, 1), date(2026, 8, 17))
    assert kpis.previous.working_days == 34 and kpis.previous_won_amount_minor == before
    change = (kpis.won_amount_minor - before) / before
    assert tile.delta == f"{format_percent(change)} {t('overview.vs_previous', 'en')}"
    assert t(
        "figures.vs_previous_part", "en", previous="2026Q3", days=34,
        start=date(2026, 7, 1), end=date(2026, 8, 17),
    ) in tile.help  # fmt: skip
