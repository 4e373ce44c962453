"""Who may see what. Enforced in the ``salesboard`` queries, not only by hiding widgets:
every query that returns business rows narrows its filter with ``scoped_filter``.

- rep: own opportunities, own forms, own scorecard;
- manager: the teams they lead (``team_manager``) and their own team;
- leader: everything, read-only, plus goals;
- admin: everything, plus settings and users.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import select
from sqlmodel import Session

from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import Role, TeamManager, User


class PermissionDenied(Exception):
    """The viewer may not read or change this; ``code`` names the rule (for translation)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class Viewer:
    """The signed-in user as the queries see them (immutable, safe to cache on)."""

    user_id: int | None
    username: str
    display_name: str
    role: str
    # Teams whose data the viewer sees: a rep's own team, a manager's led teams (+ own).
    team_ids: tuple[int, ...] = ()
    # Set after an admin reset: the app asks for a new password before anything else.
    must_change_password: bool = False

    @property
    def sees_everything(self) -> bool:
        """Leaders and admins read every row."""
        return self.role in (Role.LEADER, Role.ADMIN)

    @property
    def is_admin(self) -> bool:
        """Admins change settings and users."""
        return self.role == Role.ADMIN

    @property
    def can_edit_goals(self) -> bool:
        """Leaders and admins set goals."""
        return self.role in (Role.LEADER, Role.ADMIN)

    @property
    def can_edit_opportunities(self) -> bool:
        """Reps (own deals), managers (their teams) and admins edit opportunities; leaders
        read only."""
        return self.role in (Role.REP, Role.MANAGER, Role.ADMIN)


# Batch jobs and the CLI act as the system: they see everything and are audited as such.
SYSTEM = Viewer(user_id=None, username="system", display_name="system", role=Role.ADMIN)


def viewer_for(session: Session, user: User) -> Viewer:
    """The ``Viewer`` of ``user`` with the teams they may see."""
    teams: set[int] = set()
    if user.team_id is not None:
        teams.add(user.team_id)
    if user.role == Role.MANAGER:
        led = session.execute(select(TeamManager.team_id).where(TeamManager.user_id == user.id))
        teams.update(led.scalars())
    return Viewer(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        role=user.role,
        team_ids=tuple(sorted(teams)),
        must_change_password=user.must_change_password,
    )


def load_viewer(session: Session, user_id: int) -> Viewer | None:
    """The viewer for an active user id, or None when the user is gone or deactivated."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    return viewer_for(session, user)


def _narrow(requested: tuple[int, ...], allowed: tuple[int, ...]) -> tuple[tuple[int, ...], bool]:
    """(ids to filter on, nothing-visible flag): the requested ids within ``allowed``."""
    if not requested:
        return allowed, not allowed
    kept = tuple(i for i in requested if i in allowed)
    return kept, not kept


def scoped_filter(viewer: Viewer, requested: OpportunityFilter) -> OpportunityFilter:
    """``requested`` narrowed to the opportunities ``viewer`` may read.

    Asking for another rep's or team's deals yields an empty result, never an error that
    would confirm the rows exist.
    """
    if viewer.sees_everything:
        return requested
    if viewer.role == Role.REP:
        owners, nothing = _narrow(requested.owner_ids, (viewer.user_id,))
        return replace(requested, owner_ids=owners, nothing=requested.nothing or nothing)
    if viewer.role == Role.MANAGER:
        teams, nothing = _narrow(requested.team_ids, viewer.team_ids)
        return replace(requested, team_ids=teams, nothing=requested.nothing or nothing)
    return replace(requested, nothing=True)  # an unknown role sees nothing


def can_read_owned_by(viewer: Viewer, owner_id: int, team_id: int | None) -> bool:
    """Whether ``viewer`` may read a row owned by ``owner_id`` in ``team_id``."""
    if viewer.sees_everything:
        return True
    if viewer.role == Role.REP:
        return owner_id == viewer.user_id
    if viewer.role == Role.MANAGER:
        return team_id in viewer.team_ids
    return False


def can_write_owned_by(viewer: Viewer, owner_id: int, team_id: int | None) -> bool:
    """Whether ``viewer`` may change a row owned by ``owner_id`` in ``team_id``."""
    if viewer.role == Role.LEADER:
        return False
    return can_read_owned_by(viewer, owner_id, team_id)


def require(allowed: bool, code: str, message: str) -> None:
    """Raise ``PermissionDenied(code, message)`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(code, message)
