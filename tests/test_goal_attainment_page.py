"""AppTest of the goal attainment page on the demo company: drill from the company to a rep
and check the numbers at each level against sums computed straight from the store; the
breadcrumb goes back up; the drilled node is in the URL; each role sees its part."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard import demo
from salesboard.calendar.periods import parse_period
from salesboard.goals.format import format_goal_value, to_display
from salesboard.i18n import format_percent, t
from salesboard.store.db import create_store_engine
from salesboard.store.models import Goal, Opportunity, User
from tests.apptest_support import first_user, open_app
from tests.conftest import DEMO_TODAY

PAGE = "pages/goal_attainment.py"
TODAY = date.fromisoformat(DEMO_TODAY)
QUARTER = demo.quarter_label(TODAY)


def won_for(session: Session, goal: Goal) -> int:
    """Won amount in the goal's quarter up to today matching the goal's dimensions."""
    period = parse_period(goal.period)
    query = select(func.coalesce(func.sum(Opportunity.amount_minor), 0)).where(
        Opportunity.status == "won", Opportunity.won_on.between(period.start, TODAY)
    )
    for column, value in (
        (Opportunity.product_line_id, goal.product_line_id),
        (Opportunity.region_id, goal.region_id),
        (Opportunity.team_id, goal.team_id),
        (Opportunity.owner_id, goal.user_id),
    ):
        if value is not None:
            query = query.where(column == value)
    return int(session.execute(query).scalar_one())


def tiles(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def assert_level(at, session, goal, lang):
    """The tiles show the goal's target, its actual from the store and their ratio; the table
    lists its children with their targets."""
    actual = won_for(session, goal)
    shown = tiles(at)
    target = float(goal.target)
    assert shown[t("goals.col.target", lang)] == format_goal_value(target, "revenue", lang)
    assert shown[t("goals.col.actual", lang)] == format_goal_value(actual, "revenue", lang)
    assert shown[t("goals.col.attainment", lang)] == format_percent(actual / target)
    table = at.dataframe[0].value
    children = (
        session.execute(
            select(Goal).where(Goal.parent_id == goal.id).order_by(Goal.target.desc(), Goal.id)
        )
        .scalars()
        .all()
    )
    if children:
        assert table["id"].tolist() == [c.id for c in children]
        assert table["target"].tolist() == pytest.approx(
            [to_display(float(c.target), "revenue", lang) for c in children]
        )
        assert table["actual"].tolist() == pytest.approx(
            [to_display(won_for(session, c), "revenue", lang) for c in children]
        )
    else:
        assert table["id"].tolist() == [goal.id]
    return children


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_drill_from_company_to_a_rep_and_back(demo_app_env, lang):
    engine = create_store_engine(demo_app_env)
    at = open_app(PAGE, lang=lang)
    assert not at.exception
    assert at.title[0].value == t("goals.title", lang)
    with Session(engine) as session:
        goal = session.execute(
            select(Goal).where(
                Goal.period == QUARTER, Goal.metric == "revenue", Goal.scope == "company"
            )
        ).scalar_one()
        company_id = goal.id
        scopes = ["company"]
        while True:
            children = assert_level(at, session, goal, lang)
            if not children:
                break
            # Drill into the largest child, as a user picking from the drill-down list.
            goal = children[0]
            at.selectbox(key="goal_drill").set_value(goal.id).run()
            assert not at.exception
            assert at.query_params["node"] == str(goal.id)
            scopes.append(goal.scope)
        assert scopes == ["company", "product_line", "region", "team", "rep"]
        # The breadcrumb names every level and goes back to the top.
        crumbs = [b.label for b in at.button if b.key and b.key.startswith("crumb_")]
        assert len(crumbs) == 4 and crumbs[0] == t("goals.company", lang)
        at.button(key=f"crumb_{company_id}").click().run()
        assert at.query_params["node"] == str(company_id)
        assert_level(at, session, session.get(Goal, company_id), lang)
    engine.dispose()


def test_a_link_with_the_node_reopens_the_drilled_view(demo_app_env):
    engine = create_store_engine(demo_app_env)
    with Session(engine) as session:
        # The last region of the quarter (the misaligned one is the first).
        region = (
            session.execute(
                select(Goal)
                .where(Goal.period == QUARTER, Goal.metric == "revenue", Goal.scope == "region")
                .order_by(Goal.id.desc())
            )
            .scalars()
            .first()
        )
        at = open_app(None, lang="zh")
        at.query_params["node"] = str(region.id)
        at.switch_page(PAGE).run()
        assert not at.exception
        assert_level(at, session, region, "zh")
        # The misaligned branch is the one finding of the quarter, named by its path, with a
        # button that opens it.
        finding = [m.value for m in at.markdown if "未分配完" in m.value]
        assert len(finding) == 1 and finding[0].startswith("**全公司 › ")
        misaligned = [b for b in at.button if b.key and b.key.startswith("finding_")]
        assert len(misaligned) == 1
        misaligned[0].click().run()
        node = session.get(Goal, int(at.query_params["node"]))
        assert node.scope == "region" and node.id != region.id
        assert not [b for b in at.button if b.key == misaligned[0].key]  # it is open now
    engine.dispose()


def test_switching_the_period_keeps_the_drilled_level(demo_app_env):
    at = open_app(PAGE, lang="en")
    team = at.dataframe[0].value["id"].iloc[0]  # the largest product line
    at.selectbox(key="goal_drill").set_value(int(team)).run()
    name = [m for m in at.markdown if m.value.startswith("**")][0].value
    previous = at.selectbox(key="period_quarter").options[1]
    at.selectbox(key="period_quarter").set_value(previous).run()
    assert not at.exception
    # Another quarter has other goal ids, but the same product line is still open.
    assert [m for m in at.markdown if m.value.startswith("**")][0].value == name
    assert at.query_params["node"] != str(team)


def test_rep_lands_on_own_goal_and_sees_only_targets_above(demo_app_env):
    rep = first_user("rep")
    at = open_app(PAGE, lang="en", user=rep)
    assert not at.exception
    assert any("Grey goals above yours" in i.value for i in at.info)
    engine = create_store_engine(demo_app_env)
    with Session(engine) as session:
        user_id = session.execute(select(User.id).where(User.username == rep)).scalar_one()
        own = {
            g.id: g
            for g in session.execute(
                select(Goal).where(
                    Goal.period == QUARTER, Goal.metric == "revenue", Goal.user_id == user_id
                )
            ).scalars()
        }
        # The rep lands on their own (largest) goal, with its actual.
        landed = int(at.query_params["node"])
        assert landed in own
        assert tiles(at)["Actual"] == format_goal_value(
            won_for(session, own[landed]), "revenue", "en"
        )
        # Up at the company they see the target, not the result.
        top = [b for b in at.button if b.key and b.key.startswith("crumb_")][0]
        top.click().run()
        shown = tiles(at)
        assert shown["Target"] != "—" and shown["Actual"] == "—"
        # Down the tree, each level offers only the branches that lead to the rep's goals.
        options = []
        while [box for box in at.selectbox if box.key == "goal_drill"]:
            options = at.selectbox(key="goal_drill").options
            at.selectbox(key="goal_drill").set_value(at.dataframe[0].value["id"].iloc[0]).run()
            assert not at.exception
        assert int(at.query_params["node"]) in own
        assert len(options) == 1  # the team level lists the rep alone, no colleague
    engine.dispose()


def test_other_metric_and_empty_period(demo_app_env):
    at = open_app(PAGE, lang="zh")
    at.selectbox(key="metric").set_value("new_customers").run()
    assert not at.exception
    assert at.query_params["metric"] == "new_customers"
    assert tiles(at)[t("goals.col.target", "zh")].endswith("家")
    at.selectbox(key="metric").set_value("collection").run()
    assert any("还没有可查看" in i.value for i in at.info)
