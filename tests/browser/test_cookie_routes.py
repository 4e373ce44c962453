"""The sign-in cookie routes against a running server (issue 18, item 3): a request is judged
by its headers before its body is read, and no body is ever read past a few KB, so an
anonymous 200 MB POST costs the server nothing."""

from __future__ import annotations

import http.client
import socket
import time
from urllib.parse import urlsplit

import pytest

from salesboard.ui import handoff

BIG = 200 * 1024 * 1024
CHUNK = b"x" * (1024 * 1024)


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def post_streaming(base_url: str, path: str, headers: dict[str, str], size: int,
                   chunked: bool = False) -> tuple[int | None, int]:  # fmt: skip
    """POST ``size`` bytes to ``path`` as fast as the server takes them; (status, bytes the
    server accepted before answering or hanging up)."""
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=60)
    head = [f"POST /{path} HTTP/1.1", f"Host: {parts.netloc}"]
    head += ["Transfer-Encoding: chunked"] if chunked else [f"Content-Length: {size}"]
    head += [f"{k}: {v}" for k, v in headers.items()]
    sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
    sent = 0
    try:
        while sent < size:
            piece = CHUNK[: min(len(CHUNK), size - sent)]
            sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece)
            sent += len(piece)
        if chunked:
            sock.sendall(b"0\r\n\r\n")
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server answered and closed: what we want
    response = http.client.HTTPResponse(sock)
    try:
        response.begin()
        status = response.status
    except (ConnectionResetError, http.client.RemoteDisconnected):
        status = None
    finally:
        sock.close()
    return status, sent


@pytest.mark.parametrize(
    ("route", "headers", "chunked", "expected"),
    [
        (handoff.EXCHANGE_PATH, {}, False, 403),  # no request header
        (handoff.EXCHANGE_PATH, {handoff.CSRF_HEADER: "1", "Origin": "http://evil.example"},
         False, 403),
        (handoff.EXCHANGE_PATH, {handoff.CSRF_HEADER: "1"}, False, 413),  # declared too large
        (handoff.EXCHANGE_PATH, {handoff.CSRF_HEADER: "1"}, True, 413),  # streamed, no length
        (handoff.SIGN_OUT_PATH, {}, True, 403),
        (handoff.SIGN_OUT_PATH, {handoff.CSRF_HEADER: "1"}, False, 413),
    ],
    ids=["no-header", "foreign-origin", "too-long", "chunked", "sign-out-no-header",
         "sign-out-body"],
)  # fmt: skip
def test_a_huge_anonymous_post_is_refused_without_reading_it(app_process, route, headers,
                                                              chunked, expected):  # fmt: skip
    base_url, process = app_process
    before = rss_mb(process.pid)
    started = time.monotonic()
    status, sent = post_streaming(base_url, route, headers, BIG, chunked)
    assert status == expected
    assert sent < BIG and time.monotonic() - started < 30  # it hung up instead of reading on
    assert rss_mb(process.pid) - before < 40, "the server buffered the body"
    assert process.poll() is None
    # ...and a normal request still gets its answer.
    status, _ = post_streaming(base_url, handoff.EXCHANGE_PATH, {handoff.CSRF_HEADER: "1"}, 20)
    assert status == 400
