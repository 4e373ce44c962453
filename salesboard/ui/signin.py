"""Sign-in gate, sidebar account box and forced password change (Streamlit side of
``salesboard.auth``). The token lives in the browser session's state; the database decides
whether it is still valid."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from salesboard import auth
from salesboard.access import Viewer
from salesboard.db import read_session, write_session

# Session-state keys: the token, the viewer it resolved to, and when that was checked.
TOKEN_KEY = "auth_token"
_VIEWER_KEY = "_auth_viewer"
_CHECKED_KEY = "_auth_checked"
# How long a resolved viewer is trusted before the database is asked again.
_RECHECK = timedelta(seconds=30)


def _now() -> datetime:
    return datetime.now(UTC)


def current_viewer(engine, tr) -> Viewer | None:
    """The signed-in viewer, re-validated against the store at most every 30 s."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    viewer = st.session_state.get(_VIEWER_KEY)
    checked = st.session_state.get(_CHECKED_KEY)
    if viewer is not None and checked is not None and _now() - checked < _RECHECK:
        return viewer
    with write_session(engine) as session:
        viewer = auth.resolve_session(session, token)
    if viewer is None:
        forget()
        st.session_state["_auth_notice"] = tr("auth.session_ended")
        return None
    st.session_state[_VIEWER_KEY] = viewer
    st.session_state[_CHECKED_KEY] = _now()
    return viewer


def forget() -> None:
    """Drop the sign-in from this browser session."""
    for key in (TOKEN_KEY, _VIEWER_KEY, _CHECKED_KEY):
        st.session_state.pop(key, None)


def sign_in_form(engine, tr) -> None:
    """The sign-in form; on success stores the token and reruns."""
    from salesboard.demo import DEMO_PASSWORD, demo_accounts

    st.title(tr("auth.title"))
    notice = st.session_state.pop("_auth_notice", None)
    if notice:
        st.info(notice)
    with st.form("sign_in"):
        username = st.text_input(tr("auth.username"), key="sign_in_username", max_chars=64)
        password = st.text_input(
            tr("auth.password"), type="password", key="sign_in_password", max_chars=256
        )
        submitted = st.form_submit_button(tr("auth.sign_in"), type="primary")
    if submitted:
        with write_session(engine) as session:
            outcome = auth.authenticate(session, username, password)
            token = auth.start_session(session, outcome.user) if outcome.user else None
        if token:
            st.session_state[TOKEN_KEY] = token
            st.rerun()
        until = outcome.locked_until.astimezone().strftime("%H:%M") if outcome.locked_until else ""
        st.error(tr(f"auth.error.{outcome.error}", until=until))
    with read_session(engine) as session:
        accounts = demo_accounts(session)
    if accounts:
        listed = ", ".join(f"{name} ({tr(f'role.{role}')})" for name, role in accounts)
        st.caption(tr("auth.demo_hint", password=f"`{DEMO_PASSWORD}`", accounts=listed))


def sign_out(engine) -> None:
    """Revoke this browser's session in the store and forget it here."""
    token = st.session_state.get(TOKEN_KEY)
    if token:
        with write_session(engine) as session:
            auth.end_session(session, token)
    forget()


def change_password_form(engine, tr, viewer: Viewer, *, key: str = "change_password") -> bool:
    """A form to change one's password; True once it was changed."""
    with st.form(key):
        old = st.text_input(tr("auth.current_password"), type="password", key=f"{key}_old")
        new = st.text_input(tr("auth.new_password"), type="password", key=f"{key}_new")
        again = st.text_input(tr("auth.repeat_password"), type="password", key=f"{key}_again")
        submitted = st.form_submit_button(tr("auth.change_password"), type="primary")
    if not submitted:
        return False
    if new != again:
        st.error(tr("auth.passwords_differ"))
        return False
    try:
        with write_session(engine) as session:
            auth.change_password(
                session, viewer.user_id, old, new, keep_token=st.session_state.get(TOKEN_KEY, "")
            )
    except auth.AuthError as exc:
        st.error(tr(f"auth.error.{exc.code}", **exc.params))
        return False
    st.session_state.pop(_CHECKED_KEY, None)  # re-read the viewer (flag cleared)
    st.success(tr("auth.password_changed"))
    return True
