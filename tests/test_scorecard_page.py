"""The scorecard page on the demo company: a rep sees their own score, a manager their team's
reps and teams, a leader everyone; in zh and en, with the weights editor for leaders and
the "saved with weights" line after saving."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from salesboard.i18n import t
from salesboard.store.db import create_store_engine, read_session
from salesboard.store.models import Role, TeamManager, User
from tests.apptest_support import open_app


def _users(url: str) -> dict[str, str]:
    engine = create_store_engine(url)
    with read_session(engine) as s:
        manager_id, team_id = s.execute(
            select(TeamManager.user_id, TeamManager.team_id).order_by(TeamManager.team_id)
        ).first()
        rep = s.execute(
            select(User.username)
            .where(User.team_id == team_id, User.role == Role.REP)
            .order_by(User.id)
        ).scalar()
        leader = s.execute(select(User.username).where(User.role == Role.LEADER)).scalar()
        manager = s.get(User, manager_id).username
    engine.dispose()
    return {"rep": rep, "manager": manager, "leader": leader}


def _open(user: str, lang: str, **query):
    at = open_app(None, lang, user=user, timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.switch_page("pages/scorecard.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_role_sees_its_part(demo_app_env, lang):
    users = _users(demo_app_env)
    rep = _open(users["rep"], lang, period_kind="month", period_month="2026-10")
    assert rep.title[0].value == t("score.title", lang)
    assert len(rep.selectbox(key="who").options) == 1  # their own
    labels = [m.label for m in rep.metric]
    assert t("score.total", lang) in labels and t("score.process", lang) in labels
    assert not [e for e in rep.expander if e.label == t("score.all", lang) and e.button]
    manager = _open(users["manager"], lang, period_kind="month", period_month="2026-10")
    team_reps = len(manager.selectbox(key="who").options)
    leader = _open(users["leader"], lang, period_kind="month", period_month="2026-10")
    assert len(leader.selectbox(key="who").options) > team_reps > 1
    teams = _open(users["manager"], lang, level="team")
    assert len(teams.selectbox(key="who").options) >= 1
    text = " ".join(str(m.value) for m in leader.markdown)
    assert t("score.metric.stage_time", lang) in text  # the normalisation rules


def test_leader_saves_scores_and_the_page_names_the_weights(private_demo_env):
    users = _users(private_demo_env)
    at = _open(users["leader"], "en", period_kind="month", period_month="2026-10")
    assert any("not saved" in c.value for c in at.caption)
    at.button(key="score_save").click().run()
    assert not at.exception
    at = _open(users["leader"], "en", period_kind="month", period_month="2026-10")
    assert any(c.value.startswith("Saved ") and "standard v1" in c.value for c in at.caption)


def test_the_trend_shows_a_reps_own_periods_and_anyone_elses_on_request(demo_app_env):
    users = _users(demo_app_env)
    trend = t("score.trend", "en")
    rep = _open(users["rep"], "en", period_kind="month", period_month="2026-10")
    assert trend in [h.value for h in rep.subheader]  # their own: at once
    leader = _open(users["leader"], "en", period_kind="month", period_month="2026-10")
    assert trend not in [h.value for h in leader.subheader]
    leader.toggle(key="score_show_trend").set_value(True).run()
    assert trend in [h.value for h in leader.subheader]
    assert not leader.exception
