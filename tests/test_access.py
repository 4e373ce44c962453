"""Role visibility on the demo store: the scoped filter decides which opportunities a
query returns, and the sign-in form lets only real users in."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts.access import SYSTEM, load_viewer, scoped_filter
from salesboard.store.db import create_store_engine
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import Opportunity, Role, TeamManager, User
from tests.apptest_support import open_app

OPP = Opportunity.__table__


def _visible(session, viewer, requested=NO_FILTER) -> set[int]:
    query = scoped_filter(viewer, requested).apply(select(OPP.c.id))
    return set(session.execute(query).scalars())


@pytest.fixture
def demo_session(demo_store):
    engine = create_store_engine(demo_store)
    with Session(engine) as session:
        yield session
    engine.dispose()


def _first(session, role):
    return (
        session.execute(select(User).where(User.role == role).order_by(User.id)).scalars().first()
    )


def test_rep_sees_only_own_opportunities(demo_session):
    rep = _first(demo_session, Role.REP)
    viewer = load_viewer(demo_session, rep.id)
    own = set(demo_session.execute(select(OPP.c.id).where(OPP.c.owner_id == rep.id)).scalars())
    assert own and _visible(demo_session, viewer) == own
    colleague = demo_session.execute(
        select(OPP.c.owner_id).where(OPP.c.owner_id != rep.id).limit(1)
    ).scalar_one()
    # Asking for a colleague's deals (e.g. a crafted URL) gives nothing, not their rows.
    assert _visible(demo_session, viewer, OpportunityFilter(owner_ids=(colleague,))) == set()
    assert _visible(demo_session, viewer, OpportunityFilter(owner_ids=(rep.id, colleague))) == own


def test_manager_sees_their_teams_only(demo_session):
    manager = _first(demo_session, Role.MANAGER)
    viewer = load_viewer(demo_session, manager.id)
    led = set(
        demo_session.execute(
            select(TeamManager.team_id).where(TeamManager.user_id == manager.id)
        ).scalars()
    )
    assert led and set(viewer.team_ids) >= led
    visible = _visible(demo_session, viewer)
    teams_seen = set(
        demo_session.execute(select(OPP.c.team_id).where(OPP.c.id.in_(visible))).scalars()
    )
    assert visible and teams_seen <= set(viewer.team_ids)
    total = demo_session.execute(select(func.count()).select_from(OPP)).scalar_one()
    assert len(visible) < total
    other_team = demo_session.execute(
        select(OPP.c.team_id).where(OPP.c.team_id.not_in(viewer.team_ids)).limit(1)
    ).scalar_one()
    assert _visible(demo_session, viewer, OpportunityFilter(team_ids=(other_team,))) == set()


@pytest.mark.parametrize("role", [Role.LEADER, Role.ADMIN])
def test_leaders_and_admins_see_everything(demo_session, role):
    viewer = load_viewer(demo_session, _first(demo_session, role).id)
    total = demo_session.execute(select(func.count()).select_from(OPP)).scalar_one()
    assert len(_visible(demo_session, viewer)) == total == len(_visible(demo_session, SYSTEM))


def test_sign_in_form_refuses_a_wrong_password_and_admits_the_right_one(demo_app_env):
    from salesboard.accounts.demo_accounts import DEMO_PASSWORD

    at = open_app(user=None, lang="en")
    assert at.title[0].value == "Sign in to Salesboard"
    assert any(DEMO_PASSWORD in c.value for c in at.caption)  # demo accounts are listed
    at.text_input(key="sign_in_username").input("admin")
    at.text_input(key="sign_in_password").input("not the password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["Wrong username or password."]
    assert not at.metric
    at.text_input(key="sign_in_password").input(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Sales overview" and at.metric


def test_non_admin_does_not_get_admin_pages(demo_app_env):
    from tests.apptest_support import first_user

    at = open_app(user=first_user(Role.MANAGER), lang="en")
    assert at.title[0].value == "Sales overview"
    # The admin page is not in a manager's navigation at all, so no URL reaches it.
    with pytest.raises(ValueError, match="Known pages"):
        at.switch_page("pages/calendar_settings.py")
