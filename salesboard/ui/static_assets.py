"""Streamlit's frontend bundles (``/static/…``), served from memory.

Every new browser loads about 10 MB of hashed, immutable JavaScript and CSS. Streamlit
serves them with Starlette's FileResponse: a file open, a stat and a thread hand-off per
64 KB chunk, about 14 % of the server's CPU when a crowd signs in at once. This middleware
answers those GETs from bytes read once (bounded; anything else, a range request or a file
that is not there, goes to Streamlit as before) with the same immutable cache header.
Behind nginx the proxy can serve the directory itself (docs/deployment.md).
"""

from __future__ import annotations

import mimetypes
import os
import threading
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable, Callable], Awaitable[None]]

MAX_CACHED_BYTES = 64 * 1024 * 1024  # the whole frontend is about 26 MB
_IMMUTABLE = b"public, immutable, max-age=31536000"  # what Streamlit sends for bundles


class StaticAssetCache:
    """ASGI middleware: GET/HEAD ``{base}/static/<file>`` from memory."""

    def __init__(self, app: ASGIApp, directory: str | None = None, base_path: str = "") -> None:
        from streamlit import file_util

        self.app = app
        self.root = os.path.realpath(
            os.path.join(directory or file_util.get_static_dir(), "static")
        )
        self.prefix = "/" + "/".join(p for p in (base_path.strip("/"), "static") if p) + "/"
        self._files: dict[str, tuple[bytes, bytes]] = {}
        self._size = 0
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        path = scope.get("path", "")
        if (
            scope["type"] != "http"
            or scope.get("method") not in ("GET", "HEAD")
            or not path.startswith(self.prefix)
            or any(name == b"range" for name, _ in scope.get("headers", ()))
        ):
            await self.app(scope, receive, send)
            return
        found = self._file(path[len(self.prefix) :])
        if found is None:
            await self.app(scope, receive, send)
            return
        body, content_type = found
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode()),
                   (b"cache-control", _IMMUTABLE)]  # fmt: skip
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send(
            {"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body}
        )

    def _file(self, relative: str) -> tuple[bytes, bytes] | None:
        """The bytes and content type of a file under the static directory (None when it is
        not one, or the cache is full)."""
        cached = self._files.get(relative)
        if cached is not None:
            return cached
        full = os.path.realpath(os.path.join(self.root, relative))
        if not full.startswith(self.root + os.sep) or not os.path.isfile(full):
            return None
        with self._lock:
            if self._size + os.path.getsize(full) > MAX_CACHED_BYTES:
                return None
            with open(full, "rb") as handle:
                body = handle.read()
            kind = mimetypes.guess_type(full)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "text/javascript"):
                kind += "; charset=utf-8"
            self._files[relative] = (body, kind.encode())
            self._size += len(body)
        return self._files[relative]
