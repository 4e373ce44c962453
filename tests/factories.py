"""Small factories for tests that start from an empty store."""

from __future__ import annotations

from sqlalchemy import Engine

from salesboard.access import SYSTEM
from salesboard.auth import create_user
from salesboard.db import write_session
from salesboard.models import Role

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
