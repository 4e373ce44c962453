"""Sign-in gate, sidebar account box and forced password change (Streamlit side of
``salesboard.auth``).

Password mode (default): the form's token lives in the browser session's state and, when the
app is served by ``python -m salesboard.ui.serve``, also in an HttpOnly cookie (handed over
with a one-time code, ``salesboard.ui.handoff``), so a reload stays signed in. The database
decides whether a token is still valid.

OIDC mode (``SALESBOARD_AUTH=oidc``): Streamlit's ``st.login()`` signs in at the company's
identity provider and the verified e-mail is mapped to an active ``User``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import streamlit as st

from salesboard.accounts import auth, users
from salesboard.accounts.access import Viewer
from salesboard.accounts.audit_search import company_zone
from salesboard.accounts.demo_accounts import DEMO_PASSWORD, demo_accounts
from salesboard.store.db import read_session, write_session
from salesboard.store.settings import get_settings
from salesboard.ui import handoff

# Session-state keys: the token, the viewer it resolved to, and when that was checked.
TOKEN_KEY = "auth_token"
_VIEWER_KEY = "_auth_viewer"
_CHECKED_KEY = "_auth_checked"
# The sign-in cookie of this browser session was looked at (it is read once: after a sign-out
# the stale value is still in st.context.cookies until the next reload).
_COOKIE_READ_KEY = "_auth_cookie_read"
# A one-time code the browser has yet to swap for the cookie; a request to drop the cookie.
_HANDOFF_KEY = "_auth_handoff"
_CLEAR_COOKIE_KEY = "_auth_clear_cookie"
_NOTICE_KEY = "_auth_notice"
# OIDC: the e-mail that has no account here.
_OIDC_UNKNOWN_KEY = "_auth_oidc_unknown"
# How long a resolved viewer is trusted before the database is asked again.
_RECHECK = timedelta(seconds=30)


def _now() -> datetime:
    return datetime.now(UTC)


def oidc_enabled() -> bool:
    """True when sign-in goes through the identity provider (``SALESBOARD_AUTH=oidc``)."""
    return get_settings().auth == "oidc"


def _cookie_token() -> str | None:
    """The session token the browser sent with this session's websocket, if any."""
    try:
        value = st.context.cookies.get(handoff.COOKIE_NAME)
    except (AttributeError, RuntimeError):  # no browser context (bare script run)
        return None
    return value if isinstance(value, str) and value else None


def _recently_checked() -> Viewer | None:
    viewer = st.session_state.get(_VIEWER_KEY)
    checked = st.session_state.get(_CHECKED_KEY)
    if viewer is not None and checked is not None and _now() - checked < _RECHECK:
        return viewer
    return None


def _remember(viewer: Viewer) -> Viewer:
    st.session_state[_VIEWER_KEY] = viewer
    st.session_state[_CHECKED_KEY] = _now()
    return viewer


def current_viewer(engine, tr) -> Viewer | None:
    """The signed-in viewer, re-validated against the store at most every 30 s."""
    if oidc_enabled():
        return _oidc_viewer(engine)
    token = st.session_state.get(TOKEN_KEY)
    from_cookie = False
    if not token and not st.session_state.get(_COOKIE_READ_KEY):
        st.session_state[_COOKIE_READ_KEY] = True
        token = _cookie_token()
        from_cookie = bool(token)
        if token:
            st.session_state[TOKEN_KEY] = token
    if not token:
        return None
    recent = _recently_checked()
    if recent is not None:
        return recent
    with write_session(engine) as session:
        viewer = auth.resolve_session(session, token)
    if viewer is None:
        forget()
        st.session_state[_NOTICE_KEY] = tr("auth.session_ended")
        if from_cookie or handoff.routes_mounted():
            st.session_state[_CLEAR_COOKIE_KEY] = True
        return None
    return _remember(viewer)


def _oidc_signed_in() -> bool:
    # .get: without an [auth] section in secrets.toml st.user has no is_logged_in at all.
    return bool(st.user.get("is_logged_in", False))


def _oidc_viewer(engine) -> Viewer | None:
    if not _oidc_signed_in():
        forget()
        return None
    recent = _recently_checked()
    if recent is not None:
        return recent
    first = st.session_state.get(_VIEWER_KEY) is None
    email = str(st.user.get("email") or "")
    name = str(st.user.get("name") or "")
    with write_session(engine) as session:
        viewer = users.viewer_for_email(
            session,
            email,
            display_name=name,
            provision_role=get_settings().oidc_auto_role,
            record_sign_in=first,
        )
    if viewer is None:
        forget()
        st.session_state[_OIDC_UNKNOWN_KEY] = email or "?"
        return None
    st.session_state.pop(_OIDC_UNKNOWN_KEY, None)
    return _remember(viewer)


def remembered_viewer() -> Viewer | None:
    """The viewer this browser session signed in as (checked by the gate on every run)."""
    return st.session_state.get(_VIEWER_KEY)


def forget() -> None:
    """Drop the sign-in from this browser session."""
    for key in (TOKEN_KEY, _VIEWER_KEY, _CHECKED_KEY, _HANDOFF_KEY):
        st.session_state.pop(key, None)


def sign_in_form(engine, tr) -> None:
    """The sign-in form (or the identity provider's button); on success reruns signed in."""

    st.title(tr("auth.title"))
    notice = st.session_state.pop(_NOTICE_KEY, None)
    if notice:
        st.info(notice)
    if oidc_enabled():
        _oidc_sign_in(tr)
        return
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
            if handoff.routes_mounted():
                st.session_state[_HANDOFF_KEY] = handoff.issue_code(token)
            st.rerun()
        st.error(_refusal(outcome, tr))
    with read_session(engine) as session:
        accounts = demo_accounts(session)
    if accounts:
        listed = ", ".join(f"{name} ({tr(f'role.{role}')})" for name, role in accounts)
        st.caption(tr("auth.demo_hint", password=f"`{DEMO_PASSWORD}`", accounts=listed))


def _refusal(outcome: auth.SignIn, tr) -> str:
    """Why the sign-in was refused, in the user's language."""
    if outcome.error == "locked" and users.is_manual_lock(outcome.locked_until):
        return tr("auth.error.locked_by_admin")
    until = ""
    if outcome.locked_until:
        until = outcome.locked_until.astimezone(company_zone()).strftime("%H:%M")
    return tr(f"auth.error.{outcome.error}", until=until)


def _oidc_sign_in(tr) -> None:
    unknown = st.session_state.get(_OIDC_UNKNOWN_KEY)
    if unknown and _oidc_signed_in():
        st.error(tr("auth.oidc_unknown", email=unknown))
        if st.button(tr("auth.oidc_other_account"), key="oidc_sign_out"):
            st.session_state.pop(_OIDC_UNKNOWN_KEY, None)
            st.logout()
        return
    st.caption(tr("auth.oidc_hint"))
    if st.button(tr("auth.oidc_sign_in"), type="primary", key="oidc_sign_in"):
        provider = get_settings().oidc_provider
        st.login(provider) if provider else st.login()


def sign_out(engine) -> None:
    """Revoke this browser's session in the store, forget it here and drop the cookie."""
    if oidc_enabled():
        forget()
        st.logout()
        return
    token = st.session_state.get(TOKEN_KEY)
    if token:
        with write_session(engine) as session:
            auth.end_session(session, token)
    forget()
    if handoff.routes_mounted():
        st.session_state[_CLEAR_COOKIE_KEY] = True


def _post_from_browser(route: str, payload: dict) -> None:
    """Run a same-origin POST to one of our cookie routes from the page (never a URL with
    a secret in it); the response's Set-Cookie lands in the browser's cookie jar."""
    base = st.get_option("server.baseUrlPath") or ""
    url = json.dumps(handoff.route_url(base, route))
    body = json.dumps(json.dumps(payload))
    header = json.dumps(handoff.CSRF_HEADER)
    with st.sidebar:
        st.html(
            f"<script>fetch({url}, {{method: 'POST', credentials: 'same-origin', "
            f"headers: {{'Content-Type': 'application/json', [{header}]: '1'}}, "
            f"body: {body}}});</script>",
            unsafe_allow_javascript=True,
        )


def sync_browser_cookie() -> None:
    """Hand a fresh sign-in to the browser's cookie, or ask it to drop a stale one."""
    if not handoff.routes_mounted():
        return
    code = st.session_state.get(_HANDOFF_KEY)
    if code and handoff.is_pending(code):
        _post_from_browser(handoff.EXCHANGE_PATH, {"code": code})
    elif code:
        st.session_state.pop(_HANDOFF_KEY, None)
    if st.session_state.pop(_CLEAR_COOKIE_KEY, False):
        _post_from_browser(handoff.SIGN_OUT_PATH, {})


def change_password_form(engine, tr, viewer: Viewer, *, key: str = "change_password") -> bool:
    """A form to change one's password; True once it was changed."""
    with st.form(key):
        old = st.text_input(tr("auth.current_password"), type="password", key=f"{key}_old")
        new = st.text_input(tr("auth.new_password"), type="password", key=f"{key}_new")
        again = st.text_input(tr("auth.repeat_password"), type="password", key=f"{key}_again")
        submitted = st.form_submit_button(
            tr("auth.change_password"), type="primary", key=f"{key}_submit"
        )
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
