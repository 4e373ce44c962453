"""Sign-in, lockout, session timeouts and password changes on a real store."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from salesboard.accounts import auth
from salesboard.accounts.access import SYSTEM
from salesboard.accounts.audit import audit_trail
from salesboard.store.db import write_session
from salesboard.store.models import AuthSession, Role, User, utcnow
from salesboard.store.settings import get_settings
from tests.builders import TEST_PASSWORD, add_user


def _sign_in(engine, username, password, now=None):
    with write_session(engine) as session:
        outcome = auth.authenticate(session, username, password, now=now)
        token = auth.start_session(session, outcome.user, now=now) if outcome.user else None
    return outcome, token


def _resolve(engine, token, now=None):
    with write_session(engine) as session:
        return auth.resolve_session(session, token, now=now)


def test_right_password_signs_in_and_the_hash_is_not_the_password(engine):
    user_id = add_user(engine, "li.na", Role.REP)
    outcome, token = _sign_in(engine, "li.na", TEST_PASSWORD)
    assert outcome.error is None and token
    viewer = _resolve(engine, token)
    assert (viewer.user_id, viewer.role) == (user_id, Role.REP)
    with Session(engine) as session:
        stored = session.get(User, user_id).password_hash
        token_hashes = session.exec(select(AuthSession.token_hash)).all()
    assert stored.startswith("$argon2id$") and TEST_PASSWORD not in stored
    assert token not in token_hashes  # only the token's digest is stored


@pytest.mark.parametrize("username", ["li.na", "nobody"])
def test_wrong_password_or_unknown_user_give_the_same_answer(engine, username):
    add_user(engine, "li.na", Role.REP)
    outcome, token = _sign_in(engine, username, "wrong password")
    assert (outcome.error, token) == ("bad_credentials", None)


def test_lockout_after_repeated_failures_then_unlocks_after_the_wait(engine):
    add_user(engine, "li.na", Role.REP)
    threshold = get_settings().lockout_threshold
    now = utcnow()
    errors = [_sign_in(engine, "li.na", f"guess {i}", now)[0].error for i in range(threshold)]
    assert errors == ["bad_credentials"] * (threshold - 1) + ["locked"]
    # Locked: even the right password is refused, and says until when.
    outcome, token = _sign_in(engine, "li.na", TEST_PASSWORD, now + timedelta(minutes=1))
    assert outcome.error == "locked" and token is None
    assert outcome.locked_until == now + timedelta(minutes=get_settings().lockout_minutes)
    later = now + timedelta(minutes=get_settings().lockout_minutes, seconds=1)
    outcome, token = _sign_in(engine, "li.na", TEST_PASSWORD, later)
    assert outcome.error is None and token
    with Session(engine) as session:
        assert not audit_trail(session, action="lock").empty


def test_a_failure_streak_is_reset_by_a_success(engine):
    add_user(engine, "li.na", Role.REP)
    threshold = get_settings().lockout_threshold
    for _ in range(threshold - 1):
        _sign_in(engine, "li.na", "wrong")
    assert _sign_in(engine, "li.na", TEST_PASSWORD)[1]
    for _ in range(threshold - 1):
        _sign_in(engine, "li.na", "wrong")
    assert _sign_in(engine, "li.na", TEST_PASSWORD)[1]


def test_deactivated_user_cannot_sign_in_and_loses_sessions(engine):
    user_id = add_user(engine, "li.na", Role.REP)
    _, token = _sign_in(engine, "li.na", TEST_PASSWORD)
    with write_session(engine) as session:
        session.get(User, user_id).active = False
    assert _sign_in(engine, "li.na", TEST_PASSWORD)[0].error == "inactive"
    assert _resolve(engine, token) is None


def test_idle_and_absolute_session_timeouts(engine):
    add_user(engine, "li.na", Role.REP)
    settings = get_settings()
    now = utcnow()
    _, token = _sign_in(engine, "li.na", TEST_PASSWORD, now)
    idle = timedelta(minutes=settings.session_idle_minutes)
    # Activity within the idle limit keeps the session alive, up to the absolute limit.
    step = idle - timedelta(minutes=1)
    t = now
    while t + step < now + timedelta(hours=settings.session_max_hours):
        t += step
        assert _resolve(engine, token, t) is not None
    assert _resolve(engine, token, now + timedelta(hours=settings.session_max_hours)) is None
    # A second session left alone for longer than the idle limit is over.
    _, other = _sign_in(engine, "li.na", TEST_PASSWORD, now)
    assert _resolve(engine, other, now + idle + timedelta(seconds=1)) is None


def test_sign_out_revokes_the_token(engine):
    add_user(engine, "li.na", Role.REP)
    _, token = _sign_in(engine, "li.na", TEST_PASSWORD)
    with write_session(engine) as session:
        auth.end_session(session, token)
    assert _resolve(engine, token) is None


def test_change_password_checks_the_old_one_and_ends_other_sessions(engine):
    user_id = add_user(engine, "li.na", Role.REP)
    _, mine = _sign_in(engine, "li.na", TEST_PASSWORD)
    _, elsewhere = _sign_in(engine, "li.na", TEST_PASSWORD)
    with pytest.raises(auth.AuthError) as wrong, write_session(engine) as session:
        auth.change_password(session, user_id, "not it", "a new long password")
    assert wrong.value.code == "wrong_password"
    with pytest.raises(auth.AuthError) as weak, write_session(engine) as session:
        auth.change_password(session, user_id, TEST_PASSWORD, "short")
    assert weak.value.code == "weak_password"
    with write_session(engine) as session:
        auth.change_password(
            session, user_id, TEST_PASSWORD, "a new long password", keep_token=mine
        )
    assert _resolve(engine, mine) is not None
    assert _resolve(engine, elsewhere) is None
    assert _sign_in(engine, "li.na", TEST_PASSWORD)[0].error == "bad_credentials"
    assert _sign_in(engine, "li.na", "a new long password")[1]


def test_admin_reset_forces_a_change_and_unlocks(engine):
    user_id = add_user(engine, "li.na", Role.REP)
    for _ in range(get_settings().lockout_threshold):
        _sign_in(engine, "li.na", "wrong")
    with write_session(engine) as session:
        auth.reset_password(session, SYSTEM, user_id, "temporary password")
    outcome, token = _sign_in(engine, "li.na", "temporary password")
    assert outcome.error is None
    assert _resolve(engine, token).must_change_password


@pytest.mark.parametrize(
    ("username", "role", "code"),
    [
        ("li.na", Role.REP, "username_taken"),
        ("has space", Role.REP, "bad_username"),
        ("", Role.REP, "bad_username"),
        ("x" * 65, Role.REP, "bad_username"),
        ("new.user", "superuser", "bad_role"),
    ],
)
def test_create_user_refuses_bad_input(engine, username, role, code):
    add_user(engine, "li.na", Role.REP)
    with pytest.raises(auth.AuthError) as error, write_session(engine) as session:
        auth.create_user(
            session,
            SYSTEM,
            username=username,
            display_name="x",
            role=role,
            password="long enough password",
        )
    assert error.value.code == code


def test_first_run_admin_from_a_password(engine):
    with write_session(engine) as session:
        assert auth.ensure_admin(session, "first admin password")
    with write_session(engine) as session:
        assert not auth.ensure_admin(session, "another password!")  # only once
    assert _sign_in(engine, "admin", "first admin password")[1]
