"""User administration: list, create, change role / team / managed teams, lock, deactivate,
reset passwords. Every function takes the acting ``Viewer``, refuses anyone but an admin (the
CLI acts as the system, an admin) and records the change in the audit log in the same
transaction. Also maps an identity provider's e-mail to a user (OIDC sign-in).

The reading side (lists, details, lookups) is in ``user_directory``; its names are
re-exported here so callers find every user function in one place.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from types import EllipsisType

from sqlalchemy import delete, func, select
from sqlmodel import Session

from salesboard.accounts import audit, auth
from salesboard.accounts.access import SYSTEM, PermissionDenied, Viewer, viewer_for
from salesboard.accounts.user_directory import (
    MANUAL_LOCK_UNTIL,
    USER,
    USER_COLUMNS,
    UserDetails,
    UserError,
    account_summary,
    as_utc,
    is_manual_lock,
    list_users,
    managed_team_ids,
    require_admin,
    stored_user,
    team_choices,
    team_id_for,
    user_by_name,
    user_details,
)
from salesboard.i18n import LANGUAGES
from salesboard.store.models import Role, TeamManager, User, utcnow


def _check_role(role: str) -> None:
    if role not in set(Role):
        raise auth.AuthError("bad_role", f"role {role!r} is not one of {', '.join(Role)}")


def _set_managed_teams(session: Session, user_id: int, team_ids: Iterable[int]) -> None:
    known = {team_id for team_id, _ in team_choices(session)}
    wanted = sorted(set(team_ids))
    unknown = [t for t in wanted if t not in known]
    if unknown:
        raise UserError("unknown_team", f"no team with id {unknown[0]}", team=unknown[0])
    session.execute(delete(TeamManager).where(TeamManager.user_id == user_id))
    session.add_all(TeamManager(team_id=t, user_id=user_id) for t in wanted)
    session.flush()


def add_user(session: Session, actor: Viewer, *, manages: Iterable[int] = (), **account) -> User:
    """Create a user (admins only): ``account`` are the keywords of ``auth.create_user``
    (username, display_name, role, password, team_id, email, must_change_password; a blank
    email is none); ``manages`` are the teams a manager leads. By default the user must
    choose a new password at first sign-in."""
    require_admin(actor)
    if "email" in account:
        account["email"] = (account["email"] or "").strip() or None
    user = auth.create_user(session, actor, **account)
    manages = tuple(manages) if user.role == Role.MANAGER else ()
    if manages:
        _set_managed_teams(session, user.id, manages)
        audit.record_user(
            session,
            actor,
            user,
            "update",
            summary=f"{user.username}: managed_team_ids",
            new={"managed_team_ids": list(manages)},
        )
    return user


def admin_can_sign_in(session: Session) -> bool:
    """True when some active admin has a password (the store is not locked out)."""
    return bool(
        session.execute(
            select(USER.c.id).where(
                USER.c.role == Role.ADMIN, USER.c.active.is_(True), USER.c.password_hash != ""
            )
        ).first()
    )


def _admins_left(session: Session, excluding: int) -> int:
    return int(
        session.execute(
            select(func.count()).where(
                USER.c.role == Role.ADMIN, USER.c.active.is_(True), USER.c.id != excluding
            )
        ).scalar_one()
    )


def _keep_an_admin(session: Session, user: User) -> None:
    """Refuse a change that would leave the store without an active admin."""
    if user.role == Role.ADMIN and user.active and _admins_left(session, user.id) == 0:
        raise UserError("last_admin", f"{user.username} is the last active admin")


def update_user(
    session: Session,
    actor: Viewer,
    user_id: int,
    *,
    role: str | None = None,
    team_id: int | None | EllipsisType = ...,
    display_name: str | None = None,
    email: str | None = None,
    manages: Iterable[int] | None = None,
    language: str | None = None,
) -> dict[str, object]:
    """Change a user's role, team (``None`` = no team; omit to keep), name, e-mail, managed
    teams or reminder language ("" = the company default) (admins only); returns the changed fields' new values. Non-managers manage no team;
    the last active admin keeps the admin role."""
    require_admin(actor)
    user = stored_user(session, user_id)
    old = {
        "role": user.role,
        "team_id": user.team_id,
        "display_name": user.display_name,
        "email": user.email or "",
        "managed_team_ids": list(managed_team_ids(session, user_id)),
        "language": user.language,
    }
    new = dict(old)
    if role is not None:
        _check_role(role)
        if role != Role.ADMIN:
            _keep_an_admin(session, user)
        new["role"] = role
    if team_id is not ...:
        if team_id is not None and team_id not in {t for t, _ in team_choices(session)}:
            raise UserError("unknown_team", f"no team with id {team_id}", team=team_id)
        new["team_id"] = team_id
    if display_name is not None:
        if not display_name.strip() or len(display_name.strip()) > 64:
            raise UserError("bad_name", "a display name needs 1 to 64 characters")
        new["display_name"] = display_name.strip()
    if email is not None:
        new["email"] = email.strip()[:128]
    if manages is not None:
        new["managed_team_ids"] = sorted(set(manages))
    if language is not None:
        if language not in ("", *LANGUAGES):
            raise UserError("bad_language", f"no language {language!r} (zh, en or empty)")
        new["language"] = language
    if new["role"] != Role.MANAGER:
        new["managed_team_ids"] = []
    before, after = audit.changed_fields(old, new)
    if not after:
        return {}
    user.role = new["role"]
    user.team_id = new["team_id"]
    user.display_name = new["display_name"]
    user.email = new["email"] or None
    user.language = new["language"]
    if "managed_team_ids" in after:
        _set_managed_teams(session, user_id, new["managed_team_ids"])
    audit.record_user(
        session,
        actor,
        user,
        "update",
        summary=f"{user.username}: {', '.join(sorted(after))}",
        old=before,
        new=after,
    )
    return after


def _revoke_sessions(session: Session, user_id: int) -> None:
    auth._revoke_all(session, user_id, utcnow())  # the one revocation rule, in auth


def _record(session: Session, actor: Viewer, user: User, action: str, old: dict, new: dict) -> None:
    audit.record_user(session, actor, user, action, summary=user.username, old=old, new=new)


def set_locked(session: Session, actor: Viewer, user_id: int, locked: bool) -> None:
    """Lock an account until an admin unlocks it (its sessions end), or unlock it (also
    clears a lockout after wrong passwords and the failure count). Admins only."""
    require_admin(actor)
    user = stored_user(session, user_id)
    if locked and user.id == actor.user_id:
        raise UserError("self", "you cannot lock your own account")
    old = {"locked_until": user.locked_until, "failed_logins": user.failed_logins}
    user.locked_until = MANUAL_LOCK_UNTIL if locked else None
    user.failed_logins = 0
    if locked:
        _revoke_sessions(session, user_id)
    new = {"locked_until": user.locked_until, "failed_logins": 0}
    _record(session, actor, user, "lock" if locked else "unlock", old, new)


def set_active(session: Session, actor: Viewer, user_id: int, active: bool) -> None:
    """Deactivate (cannot sign in, sessions end; history stays) or reactivate a user.
    Admins only; the last active admin stays active."""
    require_admin(actor)
    user = stored_user(session, user_id)
    if user.active == active:
        return
    if not active:
        if user.id == actor.user_id:
            raise UserError("self", "you cannot deactivate your own account")
        _keep_an_admin(session, user)
        _revoke_sessions(session, user_id)
    user.active = active
    action = "reactivate" if active else "deactivate"
    _record(session, actor, user, action, {"active": not active}, {"active": active})


def reset_password(
    session: Session, actor: Viewer, user_id: int, password: str, *, must_change: bool = True
) -> None:
    """Set a new password for a user (admins only): their sessions end, the account unlocks,
    and unless ``must_change`` is False they choose their own at next sign-in."""
    require_admin(actor)
    stored_user(session, user_id)
    auth.reset_password(session, actor, user_id, password)
    if not must_change:
        session.get(User, user_id).must_change_password = False


def viewer_for_email(
    session: Session,
    email: str,
    *,
    display_name: str = "",
    provision_role: str = "",
    record_sign_in: bool = False,
) -> Viewer | None:
    """The viewer of the active user whose e-mail is ``email`` (case-insensitive), for an
    identity provider's sign-in. Unknown e-mails give None, unless ``provision_role`` is set:
    then a user with that role is created (no password; audited as the system)."""
    email = email.strip().lower()
    if not email or "@" not in email:
        return None
    matches = (
        session.execute(select(User).where(func.lower(User.email) == email).order_by(User.id))
        .scalars()
        .all()
    )
    user = matches[0] if len(matches) == 1 else None
    if not matches and provision_role:
        _check_role(provision_role)
        user = _provision(session, email, display_name, provision_role)
    if user is None or not user.active:
        return None  # unknown, ambiguous (two users share the e-mail) or deactivated
    if user.locked_until is not None and as_utc(user.locked_until) > utcnow():
        return None
    if record_sign_in:
        audit.record_user(session, viewer_for(session, user), user, "sign_in", summary="oidc")
    viewer = viewer_for(session, user)
    # The identity provider owns the password: never ask for a change here.
    return replace(viewer, must_change_password=False)


def _provision(session: Session, email: str, display_name: str, role: str) -> User:
    base = email.split("@", 1)[0][: auth.USERNAME_MAX] or "user"
    username, n = base, 1
    while session.execute(select(User.id).where(User.username == username)).first():
        n += 1
        username = f"{base[: auth.USERNAME_MAX - 4]}.{n}"
    user = User(username=username, display_name=(display_name or base)[:64], email=email, role=role)
    session.add(user)
    session.flush()
    audit.record_user(
        session,
        SYSTEM,
        user,
        "create",
        summary=f"{username}: first sign-in through the identity provider",
        new={"username": username, "role": role, "email": email},
    )
    return user


__all__ = [
    "MANUAL_LOCK_UNTIL",
    "USER_COLUMNS",
    "PermissionDenied",
    "UserDetails",
    "UserError",
    "account_summary",
    "add_user",
    "admin_can_sign_in",
    "is_manual_lock",
    "list_users",
    "managed_team_ids",
    "reset_password",
    "set_active",
    "set_locked",
    "team_choices",
    "team_id_for",
    "update_user",
    "user_by_name",
    "user_details",
    "viewer_for_email",
]
