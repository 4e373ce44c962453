"""The ASGI app: ``app.py`` served through ``st.App`` plus two small routes for the sign-in
cookie (see ``salesboard.ui.handoff``).

- ``POST /salesboard/session`` with ``{"code": …}``: swaps a one-time code for the session
  token and sets it as an HttpOnly, SameSite=Lax cookie (Secure over HTTPS).
- ``POST /salesboard/sign-out``: revokes the session in the cookie and deletes the cookie.

Both refuse requests without our ``X-Salesboard-Request`` header or from another origin, so a
foreign page cannot drive them, and they judge a request by its headers before reading any of
its body: a body is read only up to ``MAX_BODY_BYTES`` (a code is 60 characters), so anonymous
huge POSTs cost the server nothing. ``python -m salesboard.ui.serve`` runs this app; it can also be
served by any ASGI server (``uvicorn salesboard.ui.web:app``).
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from streamlit import config as st_config
from streamlit.runtime.pages_manager import PagesManager

from salesboard.accounts import auth
from salesboard.store.db import get_engine, write_session
from salesboard.store.settings import PROJECT_ROOT, get_settings
from salesboard.ui import handoff
from salesboard.ui.errors import on_script_error
from salesboard.ui.static_assets import StaticAssetCache

APP_PATH = PROJECT_ROOT / "app.py"
MAX_BODY_BYTES = 4096


class _TooLarge(Exception):
    """The request body passed ``MAX_BODY_BYTES``."""


async def _bounded_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    """The body, read chunk by chunk and abandoned past ``limit`` (a declared length past
    it is refused before any chunk is read). Raises _TooLarge."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > limit):
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise _TooLarge
    return bytes(body)


async def _guarded(request: Request, handle, *args) -> Response:
    """Headers first (403 for a foreign or bare request), then a bounded body (413), then
    ``handle(request, body, *args)`` off the event loop (it does database work)."""
    if not _same_origin(request):
        return Response(status_code=403, headers={"Connection": "close"})
    try:
        body = await _bounded_body(request)
    except _TooLarge:
        return Response(status_code=413, headers={"Connection": "close"})
    return await run_in_threadpool(handle, request, body, *args)


def _same_origin(request: Request) -> bool:
    """Our own fetch: the custom header is there and Origin (when sent) names this host."""
    if request.headers.get(handoff.CSRF_HEADER) != "1":
        return False
    origin = request.headers.get("origin")
    if origin is None:
        return True  # browsers send Origin with every POST fetch; non-browsers have no cookie jar
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or get_settings().cookie_secure


def _store():
    return get_engine(get_settings().database_url)


def _exchange(request: Request, body: bytes, spec: handoff.CookieSpec) -> Response:
    try:
        code = json.loads(body or b"{}").get("code", "")
    except (ValueError, AttributeError):
        return Response(status_code=400)
    token = handoff.redeem_code(code if isinstance(code, str) else "")
    if token is None:
        return Response(status_code=410)
    with write_session(_store()) as session:
        if auth.resolve_session(session, token) is None:
            return Response(status_code=410)
    response = Response(status_code=204)
    response.set_cookie(
        spec.name,
        token,
        max_age=spec.max_age,
        path=spec.path,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _sign_out(request: Request, _body: bytes, spec: handoff.CookieSpec) -> Response:
    token = request.cookies.get(spec.name)
    if token:
        with write_session(_store()) as session:
            auth.end_session(session, token)
    response = Response(status_code=204)
    response.delete_cookie(
        spec.name, path=spec.path, httponly=True, samesite="lax", secure=_secure(request)
    )
    return response


def cookie_routes(base_path: str = "") -> list[Route]:
    """The two cookie routes under Streamlit's ``server.baseUrlPath``."""
    spec = handoff.cookie_spec(base_path)

    async def exchange(request: Request) -> Response:
        return await _guarded(request, _exchange, spec)

    async def sign_out(request: Request) -> Response:
        return await _guarded(request, _sign_out, spec)

    return [
        Route(handoff.route_url(base_path, handoff.EXCHANGE_PATH), exchange, methods=["POST"]),
        Route(handoff.route_url(base_path, handoff.SIGN_OUT_PATH), sign_out, methods=["POST"]),
    ]


def build_app() -> st.App:
    """``st.App`` for app.py with the cookie routes; legacy ``pages/`` discovery off (see
    ``salesboard.ui.serve``)."""
    PagesManager.uses_pages_directory = False
    base_path = st_config.get_option("server.baseUrlPath") or ""
    application = st.App(
        str(APP_PATH),
        routes=cookie_routes(base_path),
        middleware=[Middleware(StaticAssetCache, base_path=base_path)],
        on_script_error=on_script_error,
    )
    handoff.mark_routes_mounted()
    return application


app = build_app()
