"""The improvement page (AppTest on the demo store): the board by status with the demo's
overdue action marked, the table and export, an action's detail with "did it work" for the
pilot that worked and the one that did not; a rep sees only the pilots of their team, read
only; an action out of scope reads as missing; both languages."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salesboard.i18n import t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import ImprovementAction, ImprovementPilot, Role, User
from tests.apptest_support import first_user, open_app

PAGE = "pages/improvement.py"


def demo_actions(url: str) -> dict[str, int]:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        rows = s.execute(select(ImprovementAction.id, ImprovementAction.metric)).all()
    engine.dispose()
    return {metric: i for i, metric in rows}


def texts(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown] + [c.value for c in at.caption]
        + [a.value for a in at.success] + [a.value for a in at.warning] + [a.value for a in at.error]
        + [a.value for a in at.info]
    )  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_leader_sees_the_board_with_the_overdue_action(demo_app_env, lang):
    at = open_app(PAGE, lang=lang, user=first_user(Role.LEADER))
    assert at.title[0].value == t("improve.title", lang)
    body = texts(at)
    for status in ("not_started", "in_progress", "done"):
        assert t(f"improve.status.{status}", lang) in body
    assert t("improve.overdue_badge", lang) in body  # the demo's overdue action
    assert "报价审批节点多" in body
    at.segmented_control(key="view").set_value("table").run()
    assert not at.exception
    assert len(at.dataframe) == 1
    assert at.get("download_button")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_did_it_work_shows_a_pilot_that_worked_and_one_that_did_not(demo_app_env, lang):
    ids = demo_actions(demo_app_env)
    leader = first_user(Role.LEADER)
    at = open_app(PAGE, lang=lang, user=leader)
    at.query_params["action"] = str(ids["key_actions_on_time"])
    at.run()
    assert at.title[0].value == t("improve.detail_title", lang, id=ids["key_actions_on_time"])
    assert any(
        s.value.startswith(t("check.verdict.worked", lang).split("{")[0]) for s in at.success
    )
    assert len(at.get("plotly_chart")) == 1
    did = [m for m in at.metric if m.label == t("check.did", lang)]
    assert did and did[0].value.startswith("+")
    others = [
        i
        for m, i in ids.items()
        if m not in ("key_actions_on_time", "cycle_days", "lead_to_opportunity")
    ]
    at.query_params["action"] = str(others[0])
    at.run()
    assert not at.success  # not "it worked"
    assert at.error or at.warning


def test_a_rep_reads_their_pilots_only(demo_app_env):
    engine = create_store_engine(demo_app_env)
    with read_session(engine) as s:
        pilot_team, action_id = s.execute(
            select(ImprovementPilot.team_id, ImprovementPilot.action_id)
        ).first()
        rep = (
            s.execute(
                select(User.username).where(User.role == Role.REP, User.team_id == pilot_team)
            )
            .scalars()
            .first()
        )
        other = (
            s.execute(
                select(User.username).where(User.role == Role.REP, User.team_id != pilot_team)
            )
            .scalars()
            .first()
        )
    engine.dispose()
    at = open_app(PAGE, user=rep)
    at.query_params["action"] = str(action_id)
    at.run()
    assert t("improve.read_only", "zh") in texts(at)
    assert not at.get("form") and not [
        b for b in at.button if b.key and b.key.startswith("imp_move")
    ]
    at = open_app(PAGE, user=other)
    at.query_params["action"] = str(action_id)
    at.run()
    assert t("improve.not_found", "zh") in texts(at)  # reads as missing
    assert not at.title


def test_a_manager_moves_their_action_and_a_stale_tab_is_refused(private_demo_env):
    ids = demo_actions(private_demo_env)
    engine = create_store_engine(private_demo_env)
    with read_session(engine) as s:
        action = s.get(ImprovementAction, ids["key_actions_on_time"])
        manager = s.get(User, action.owner_id).username
    at = open_app(PAGE, user=manager)
    at.query_params["action"] = str(action.id)
    at.run()
    second = open_app(PAGE, user=manager)
    second.query_params["action"] = str(action.id)
    second.run()
    at.button(key="imp_move_done").click().run()
    assert not at.exception
    with read_session(engine) as s:
        assert s.get(ImprovementAction, action.id).status == "done"
    second.button(key="imp_move_not_started").click().run()
    assert t("improve.error.conflict", "zh") in [e.value for e in second.error]
    with read_session(engine) as s:
        assert s.get(ImprovementAction, action.id).status == "done"
    engine.dispose()
