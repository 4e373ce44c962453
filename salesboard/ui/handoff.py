"""One-time codes that hand a signed-in session's token to the browser as an HttpOnly cookie.

The sign-in form runs over Streamlit's websocket, which cannot set cookies. After a
successful sign-in the script stores the token here under a random one-time code and renders
a tiny script that POSTs the code (never the token, never in a URL) to the ``/salesboard/
session`` route of ``salesboard.ui.web``; the route swaps the code for the token and answers
with ``Set-Cookie: HttpOnly; SameSite=Lax``. A new browser session (a reload) then reads the
cookie through ``st.context.cookies`` and resolves it with ``auth.resolve_session``.

The store is process memory: the websocket and the browser's follow-up request reach the same
process, as every Streamlit deployment with several processes needs anyway (sticky sessions;
``docs/deployment.md``). A code lives ``CODE_TTL`` and works once. This module imports no
Streamlit, so the route module can use it without starting a script run.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from dataclasses import dataclass

from salesboard.store.settings import get_settings

COOKIE_NAME = "salesboard_session"
EXCHANGE_PATH = "salesboard/session"
SIGN_OUT_PATH = "salesboard/sign-out"
# The header our own fetch sends: a cross-site form or fetch cannot add it without a CORS
# preflight the server never approves, so it blocks cross-site requests to the routes.
CSRF_HEADER = "X-Salesboard-Request"
CODE_TTL = 60.0  # seconds

_lock = threading.Lock()
_codes: dict[str, tuple[str, float]] = {}
# Set by ``salesboard.ui.web`` when the app is served through ``st.App`` with our routes;
# under plain ``streamlit run app.py`` the routes do not exist and sign-in stays per session.
_routes_mounted = False


def mark_routes_mounted() -> None:
    """Record that this process serves the cookie routes (called by ``salesboard.ui.web``)."""
    global _routes_mounted
    _routes_mounted = True


def routes_mounted() -> bool:
    """True when the cookie routes exist in this process (``python -m salesboard.ui.serve``)."""
    return _routes_mounted


def _digest(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def issue_code(token: str, *, now: float | None = None) -> str:
    """A fresh one-time code that ``redeem_code`` swaps for ``token`` within ``CODE_TTL`` s."""
    now = time.monotonic() if now is None else now
    code = secrets.token_urlsafe(32)
    with _lock:
        for key in [k for k, (_, expires) in _codes.items() if expires <= now]:
            del _codes[key]
        _codes[_digest(code)] = (token, now + CODE_TTL)
    return code


def redeem_code(code: str, *, now: float | None = None) -> str | None:
    """The token behind ``code`` (once; None when unknown, used or expired)."""
    now = time.monotonic() if now is None else now
    with _lock:
        entry = _codes.pop(_digest(code or ""), None)
    if entry is None or entry[1] <= now:
        return None
    return entry[0]


def is_pending(code: str) -> bool:
    """True while ``code`` waits to be redeemed (the page keeps its script until then)."""
    with _lock:
        entry = _codes.get(_digest(code or ""))
    return entry is not None and entry[1] > time.monotonic()


@dataclass(frozen=True)
class CookieSpec:
    """How the session cookie is set: name, path and lifetime (seconds)."""

    name: str
    path: str
    max_age: int


def cookie_spec(base_path: str = "") -> CookieSpec:
    """The session cookie for an app served under ``base_path`` (Streamlit's baseUrlPath);
    it lives as long as a session may (``session_max_hours``)."""
    path = "/" + base_path.strip("/") if base_path.strip("/") else "/"
    return CookieSpec(COOKIE_NAME, path, get_settings().session_max_hours * 3600)


def route_url(base_path: str, route: str) -> str:
    """The absolute path of one of our routes under Streamlit's ``server.baseUrlPath``."""
    base = base_path.strip("/")
    return f"/{base}/{route}" if base else f"/{route}"
