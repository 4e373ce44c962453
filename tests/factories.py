"""Small factories for tests that start from an empty store."""

from __future__ import annotations

from sqlalchemy import Engine

from salesboard.accounts.access import SYSTEM
from salesboard.accounts.auth import create_user
from salesboard.store.db import write_session
from salesboard.store.models import Role

TEST_PASSWORD = "correct horse battery"


def add_user(
    engine: Engine,
    username: str = "admin",
    role: str = Role.ADMIN,
    *,
    team_id: int | None = None,
    password: str = TEST_PASSWORD,
) -> int:
    """Create a user who can sign in with ``password``; returns the id."""
    with write_session(engine) as session:
        user = create_user(
            session,
            SYSTEM,
            username=username,
            display_name=username,
            role=role,
            password=password,
            team_id=team_id,
            must_change_password=False,
        )
        return user.id


def add_team(engine: Engine, name: str = "一组") -> int:
    """The default stages plus region ``east`` and team 1 in it (the usual start of a store
    test that needs reps); returns the team id."""
    from salesboard.store.models import Region, Team
    from salesboard.store.reference_data import ensure_reference_data

    with write_session(engine) as session:
        ensure_reference_data(session)
        session.add(Region(id=1, code="east", name_zh="华东", name_en="East"))
        session.flush()
        session.add(Team(id=1, name=name, region_id=1))
    return 1
