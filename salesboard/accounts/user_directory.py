"""Who the users are: the admin's user list and editor fields, one's own account summary,
lookups by name and team, and ``UserError``, the refusal every user function raises.
Reading only; the changes are in ``users``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, require
from salesboard.store.models import Team, TeamManager, User, utcnow
from salesboard.store.queries import greatest_per
from salesboard.store.tables import AUDIT, TEAM, USER

# An admin's lock has no natural end: it lasts until an admin unlocks the account.
MANUAL_LOCK_UNTIL = datetime(2999, 12, 31, tzinfo=UTC)
# Shown as "locked by an admin" rather than a date from this year on.
MANUAL_LOCK_YEAR = 2900

USER_COLUMNS = (
    "id", "username", "display_name", "email", "role", "team", "managed_teams", "active",
    "locked_until", "must_change_password", "last_sign_in",
)  # fmt: skip


class UserError(ValueError):
    """A refused user change; ``code`` is translated by the UI (``users.error.<code>``)."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def require_admin(actor: Viewer) -> None:
    """Refuse (``PermissionDenied``) anyone but an admin."""
    require(actor.is_admin, "admin_only", "only an admin may manage users")


def stored_user(session: Session, user_id: int) -> User:
    """The user with ``user_id``; ``UserError("unknown_user")`` when there is none."""
    user = session.get(User, user_id)
    if user is None:
        raise UserError("unknown_user", f"no user with id {user_id}", user=user_id)
    return user


def user_by_name(session: Session, username: str) -> User:
    """The user called ``username``; ``UserError("unknown_user")`` when there is none."""
    user = session.execute(
        select(User).where(User.username == username.strip())
    ).scalar_one_or_none()
    if user is None:
        raise UserError("unknown_user", f"no user named {username!r}", user=username)
    return user


def team_choices(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every team, by name (for pickers and the CLI's ``--team``)."""
    rows = session.execute(select(TEAM.c.id, TEAM.c.name).order_by(TEAM.c.name)).all()
    return [(int(i), str(n)) for i, n in rows]


def team_id_for(session: Session, name_or_id: str | None) -> int | None:
    """The team id for a team name or numeric id (None for None/empty)."""
    if not name_or_id:
        return None
    for team_id, name in team_choices(session):
        if name == name_or_id or str(team_id) == name_or_id:
            return team_id
    raise UserError("unknown_team", f"no team {name_or_id!r}", team=name_or_id)


def managed_team_ids(session: Session, user_id: int) -> tuple[int, ...]:
    """The teams ``user_id`` leads as a manager (``team_manager``)."""
    rows = session.execute(
        select(TeamManager.team_id).where(TeamManager.user_id == user_id).order_by("team_id")
    )
    return tuple(rows.scalars())


def list_users(session: Session, viewer: Viewer) -> pd.DataFrame:
    """Every user with role, team, managed teams, state and last sign-in (admins only).

    Columns: ``USER_COLUMNS``; ``managed_teams`` is a comma-separated list of team names,
    ``last_sign_in`` the newest sign-in in the audit log (UTC), empty when never.
    """
    require_admin(viewer)
    signed_in = (AUDIT.c.action == "sign_in", AUDIT.c.actor_id.is_not(None))
    last = greatest_per(AUDIT.c.actor_id, AUDIT.c.at, *signed_in, label="last_sign_in").subquery()
    rows = session.execute(
        select(
            USER.c.id,
            USER.c.username,
            USER.c.display_name,
            USER.c.email,
            USER.c.role,
            TEAM.c.name.label("team"),
            USER.c.active,
            USER.c.locked_until,
            USER.c.must_change_password,
            last.c.last_sign_in,
        )
        .outerjoin(TEAM, TEAM.c.id == USER.c.team_id)
        .outerjoin(last, last.c.actor_id == USER.c.id)
        .order_by(USER.c.username)
    ).all()
    managed: dict[int, list[str]] = {}
    for user_id, name in session.execute(
        select(TeamManager.user_id, TEAM.c.name)
        .join(TEAM, TEAM.c.id == TeamManager.team_id)
        .order_by(TEAM.c.name)
    ):
        managed.setdefault(user_id, []).append(name)
    frame = pd.DataFrame(
        [
            {
                **row._asdict(),
                "email": row.email or "",
                "team": row.team or "",
                "managed_teams": ", ".join(managed.get(row.id, [])),
            }
            for row in rows
        ],
        columns=list(USER_COLUMNS),
    )
    # Python datetimes (aware, UTC) or None: no NaT for callers to trip over.
    frame["locked_until"] = pd.Series([lock_in_force(r.locked_until) for r in rows], dtype=object)
    frame["last_sign_in"] = pd.Series([as_utc(r.last_sign_in) for r in rows], dtype=object)
    return frame


@dataclass(frozen=True)
class UserDetails:
    """One user's editable fields, for the admin's editor (stamps in UTC)."""

    id: int
    username: str
    display_name: str
    email: str
    role: str
    team_id: int | None
    managed_team_ids: tuple[int, ...]
    active: bool
    locked_until: datetime | None


def user_details(session: Session, viewer: Viewer, user_id: int) -> UserDetails:
    """The editable fields of ``user_id`` (admins only); ``locked_until`` only while in force."""
    require_admin(viewer)
    user = stored_user(session, user_id)
    return UserDetails(
        id=user.id,
        username=user.username,
        display_name=user.display_name,
        email=user.email or "",
        role=user.role,
        team_id=user.team_id,
        managed_team_ids=managed_team_ids(session, user_id),
        active=user.active,
        locked_until=lock_in_force(user.locked_until),
    )


def account_summary(session: Session, viewer: Viewer) -> dict[str, object]:
    """The signed-in user's own account: username, name, e-mail, role, team, managed teams,
    last password change and the sign-in before this one (UTC)."""
    user = stored_user(session, viewer.user_id)
    team = session.get(Team, user.team_id) if user.team_id else None
    managed = session.execute(
        select(TEAM.c.name)
        .join(TeamManager, TeamManager.team_id == TEAM.c.id)
        .where(TeamManager.user_id == user.id)
        .order_by(TEAM.c.name)
    ).scalars()
    sign_ins = session.execute(
        select(AUDIT.c.at)
        .where(AUDIT.c.action == "sign_in", AUDIT.c.actor_id == user.id)
        .order_by(AUDIT.c.at.desc())
        .limit(2)
    ).scalars()
    previous = list(sign_ins)[1:]
    return {
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email or "",
        "role": user.role,
        "team": team.name if team else "",
        "managed_teams": ", ".join(managed),
        "password_changed_at": as_utc(user.password_changed_at),
        "previous_sign_in": as_utc(previous[0]) if previous else None,
    }


def as_utc(stamp: datetime | None) -> datetime | None:
    """A stored stamp as an aware datetime; a naive one is taken as UTC."""
    if stamp is None:
        return None
    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def lock_in_force(stamp: datetime | None) -> datetime | None:
    """The lock's end when it is still in force, else None."""
    stamp = as_utc(stamp)
    return stamp if stamp is not None and stamp > utcnow() else None


def is_manual_lock(stamp: datetime | None) -> bool:
    """True for an admin's open-ended lock (as opposed to a lockout after wrong passwords)."""
    return stamp is not None and stamp.year >= MANUAL_LOCK_YEAR
