"""Sign-in: argon2 password hashes, lockout after repeated failures, server-side sessions
with idle and absolute timeouts, password changes and user creation.

Session tokens are random (``secrets``); only their SHA-256 is stored, so a copy of the
database does not let anyone sign in.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlmodel import Session
from zxcvbn import zxcvbn

from salesboard.accounts import audit, throttle
from salesboard.accounts.access import SYSTEM, Viewer, viewer_for
from salesboard.store.models import AuthSession, Role, User, utcnow
from salesboard.store.settings import get_settings

# argon2id with OWASP's recommended parameters (19 MiB, 2 passes, 1 lane): argon2-cffi's
# default (64 MiB, 3 passes, 4 lanes) cost 150 ms of CPU per sign-in, half of what a whole
# session costs the server when the sales org signs in at once. Stored hashes with other
# parameters are upgraded at their next sign-in (``check_needs_rehash``).
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
# Verified against when the user does not exist, so a wrong name costs as long as a wrong
# password and response time does not reveal which usernames exist.
_DUMMY_HASH = _HASHER.hash("salesboard-dummy-password")
# Update a session's last-seen stamp at most this often (not a write on every rerun).
_TOUCH_EVERY = timedelta(seconds=60)
# zxcvbn's score 3: "safely unguessable", about 10^8 guesses (12345678, password,
# iloveyou1, P@ssw0rd score 0-1). Only the first characters are rated (its cost grows).
_MIN_STRENGTH = 3
_RATED_CHARACTERS = 64
# A lock further away than this was set by an admin, not by the failure counter.
_ADMIN_LOCK_BEYOND = timedelta(days=366)

# Why a sign-in or password change was refused; the UI translates the code.
AUTH_ERRORS = (
    "bad_credentials",
    "locked",
    "inactive",
    "weak_password",
    "guessable_password",
    "wrong_password",
    "username_taken",
    "bad_username",
    "bad_role",
)


class AuthError(ValueError):
    """A refused sign-in or account change; ``code`` is one of ``AUTH_ERRORS``."""

    def __init__(self, code: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """An argon2id hash of ``password`` (random salt unless one is given; safe to store)."""
    return _HASHER.hash(password, salt=salt) if salt else _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True if ``password`` matches ``password_hash`` (False for an empty or broken hash)."""
    try:
        return bool(password_hash) and _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# One-time passwords: no look-alikes (0/O, 1/l/I) and nothing a spreadsheet reads as a
# formula, grouped in fours so an admin can read one out over the phone.
_ONE_TIME_ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
_ONE_TIME_GROUP = 4


def one_time_password() -> str:
    """A random password for a new account, to be changed at first sign-in (at least
    ``password_min_length`` letters and digits in groups of four, e.g. ``x7Kp-Qm3r-T9wz``;
    about 6 bits of entropy per character)."""
    length = max(12, get_settings().password_min_length)
    length += -length % _ONE_TIME_GROUP
    chars = "".join(secrets.choice(_ONE_TIME_ALPHABET) for _ in range(length))
    groups = [chars[i : i + _ONE_TIME_GROUP] for i in range(0, length, _ONE_TIME_GROUP)]
    return "-".join(groups)


def check_password_policy(password: str, user_inputs: tuple[str, ...] = ()) -> None:
    """Raise ``AuthError("weak_password")`` unless ``password`` is long enough and not blank,
    and ``AuthError("guessable_password")`` when zxcvbn rates it guessable (common passwords,
    keyboard runs, dates, words, ``user_inputs`` such as the user's own names)."""
    minimum = get_settings().password_min_length
    if len(password) < minimum or not password.strip():
        raise AuthError(
            "weak_password", f"the password needs at least {minimum} characters", min=minimum
        )
    names = [n for n in user_inputs if n]
    if zxcvbn(password[:_RATED_CHARACTERS], user_inputs=names)["score"] < _MIN_STRENGTH:
        raise AuthError("guessable_password", "the password is too easy to guess")


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SignIn:
    """The outcome of ``authenticate``: a user, or an error code (and lock expiry)."""

    user: User | None
    error: str | None = None
    locked_until: datetime | None = None


def authenticate(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> SignIn:
    """Check a username and password, counting failures and locking the account after
    ``lockout_threshold`` wrong passwords in a row. Never raises for bad input: the caller
    commits the session either way, so the failure count persists."""
    settings = get_settings()
    now = now or utcnow()
    user = session.execute(
        select(User).where(User.username == username.strip())
    ).scalar_one_or_none()
    if user is None or not user.active or _locked_by_admin(user, now):
        return _no_usable_account(session, user, username, password, now)
    if user.locked_until is not None and _aware(user.locked_until) > now:
        verify_password(_DUMMY_HASH, password)  # as slow as any other answer
        return SignIn(None, "locked", _aware(user.locked_until))
    if not verify_password(user.password_hash, password):
        user.failed_logins += 1
        if user.failed_logins >= settings.lockout_threshold:
            user.failed_logins = 0
            user.locked_until = now + timedelta(minutes=settings.lockout_minutes)
            audit.record_user(
                session,
                SYSTEM,
                user,
                "lock",
                summary=f"{user.username} locked after {settings.lockout_threshold} failures",
            )
            return SignIn(None, "locked", user.locked_until)
        return SignIn(None, "bad_credentials")
    user.failed_logins = 0
    user.locked_until = None
    if _HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return SignIn(user)


def _locked_by_admin(user: User, now: datetime) -> bool:
    return user.locked_until is not None and _aware(user.locked_until) - now > _ADMIN_LOCK_BEYOND


def _no_usable_account(
    session: Session, user: User | None, username: str, password: str, now: datetime
) -> SignIn:
    """A name without a usable account (none, deactivated, locked by an admin) answers like
    a real account with a wrong password: the password is checked just as long, failures
    lock it out after as many tries and as long (``throttle``). The code says why, for the
    audit and the tests; the sign-in form shows them all as a wrong password or a lockout."""
    until = throttle.locked_until(username, now)
    right = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if until is not None:
        return SignIn(None, "locked", until)
    until = throttle.record_failure(username, now)
    if until is not None:
        return SignIn(None, "locked", until)
    if user is not None and _locked_by_admin(user, now):
        return SignIn(None, "locked", _aware(user.locked_until))
    if user is not None and right:
        return SignIn(None, "inactive")
    return SignIn(None, "bad_credentials")


def _aware(stamp: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stamp we store is UTC."""
    from datetime import UTC

    return stamp if stamp.tzinfo else stamp.replace(tzinfo=UTC)


def start_session(session: Session, user: User, *, now: datetime | None = None) -> str:
    """Open a session for ``user``; returns the token to keep in the browser session."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    session.add(
        AuthSession(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + timedelta(hours=get_settings().session_max_hours),
        )
    )
    audit.record_user(session, viewer_for(session, user), user, "sign_in")
    return token


def resolve_session(
    session: Session, token: str, *, now: datetime | None = None, touch: bool = True
) -> Viewer | None:
    """The viewer behind ``token`` as the store has them now (role, teams), or None when
    the token is unknown, revoked, expired or idle for longer than ``session_idle_minutes``,
    or the user is deactivated. Refreshes the idle clock (at most once a minute) unless
    ``touch`` is False: then it only reads, cheap enough for every request."""
    if not token:
        return None
    now = now or utcnow()
    row = session.execute(
        select(AuthSession).where(AuthSession.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if row is None or row.revoked_at is not None or _aware(row.expires_at) <= now:
        return None
    idle = timedelta(minutes=get_settings().session_idle_minutes)
    if now - _aware(row.last_seen_at) > idle:
        if touch:
            row.revoked_at = now
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    if touch and now - _aware(row.last_seen_at) > _TOUCH_EVERY:
        row.last_seen_at = now
    return viewer_for(session, user)


def session_needs_touch(last_touched: datetime | None, now: datetime | None = None) -> bool:
    """True when the session's idle clock is due for a refresh (``resolve_session`` with
    ``touch``), given when this browser session last refreshed it."""
    return last_touched is None or (now or utcnow()) - last_touched > _TOUCH_EVERY


def active_viewer(session: Session, user_id: int) -> Viewer | None:
    """The viewer of ``user_id`` as the store has them now; None once they are deactivated
    or locked (for sign-ins that have no session token, e.g. through an identity provider)."""
    user = session.get(User, user_id)
    if user is None or not user.active:
        return None
    if user.locked_until is not None and _aware(user.locked_until) > utcnow():
        return None
    return viewer_for(session, user)


def end_session(session: Session, token: str, *, now: datetime | None = None) -> None:
    """Sign out: revoke the session behind ``token`` (unknown tokens are ignored)."""
    session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == _token_hash(token), AuthSession.revoked_at.is_(None))
        .values(revoked_at=now or utcnow())
    )


def _revoke_all(session: Session, user_id: int, now: datetime) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.user_id == user_id, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now)
    )


def change_password(
    session: Session, user_id: int, old_password: str, new_password: str, *, keep_token: str = ""
) -> None:
    """Change one's own password after checking the old one; other sessions are signed out."""
    user = session.get(User, user_id)
    if user is None or not verify_password(user.password_hash, old_password):
        raise AuthError("wrong_password", "the current password is wrong")
    check_password_policy(new_password, (user.username, user.display_name))
    now = utcnow()
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    user.must_change_password = False
    kept = _token_hash(keep_token) if keep_token else ""
    session.execute(
        update(AuthSession)
        .where(
            AuthSession.user_id == user_id,
            AuthSession.revoked_at.is_(None),
            AuthSession.token_hash != kept,
        )
        .values(revoked_at=now)
    )
    audit.record_user(session, viewer_for(session, user), user, "change_password")


def reset_password(session: Session, actor: Viewer, user_id: int, new_password: str) -> None:
    """An admin sets a new password; the user must change it at next sign-in and every
    session of theirs ends. Also unlocks the account."""
    user = session.get(User, user_id)
    if user is None:
        raise AuthError("bad_username", f"no user with id {user_id}")
    check_password_policy(new_password, (user.username, user.display_name))
    now = utcnow()
    user.password_hash = hash_password(new_password)
    user.password_changed_at = now
    user.must_change_password = True
    user.failed_logins = 0
    user.locked_until = None
    _revoke_all(session, user_id, now)
    audit.record_user(session, actor, user, "reset_password", summary=user.username)


USERNAME_MAX = 64


def create_user(
    session: Session,
    actor: Viewer,
    *,
    username: str,
    display_name: str,
    role: str,
    password: str,
    team_id: int | None = None,
    email: str | None = None,
    must_change_password: bool = True,
) -> User:
    """Add a user with a hashed password; raise ``AuthError`` for a taken or bad name."""
    username = username.strip()
    if not username or len(username) > USERNAME_MAX or any(c.isspace() for c in username):
        raise AuthError("bad_username", f"username {username!r} is empty, too long or has spaces")
    if role not in set(Role):
        raise AuthError("bad_role", f"role {role!r} is not one of {', '.join(Role)}")
    if session.execute(select(User.id).where(User.username == username)).first():
        raise AuthError("username_taken", f"username {username!r} is taken", username=username)
    check_password_policy(password, (username, display_name))
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        team_id=team_id,
        email=email,
        password_hash=hash_password(password),
        password_changed_at=utcnow(),
        must_change_password=must_change_password,
    )
    session.add(user)
    session.flush()
    audit.record_user(
        session, actor, user, "create", new={"username": username, "role": role, "team_id": team_id}
    )
    return user


def ensure_admin(session: Session, password: str) -> bool:
    """First run: create user ``admin`` with ``password`` when the store has no admin with a
    password yet. Returns True if it created (or armed) one."""
    admins = session.execute(
        select(User).where(User.role == Role.ADMIN, User.password_hash != "")
    ).first()
    if admins or not password:
        return False
    existing = session.execute(select(User).where(User.username == "admin")).scalar_one_or_none()
    if existing is not None:
        check_password_policy(password)
        existing.role = Role.ADMIN
        existing.password_hash = hash_password(password)
        existing.password_changed_at = utcnow()
        existing.active = True
        return True
    create_user(
        session,
        SYSTEM,
        username="admin",
        display_name="Administrator",
        role=Role.ADMIN,
        password=password,
        must_change_password=False,
    )
    return True
