"""Streamlit's bundles served from memory (the load work of issue 18): the same bytes and
content type as the files, the immutable cache header, nothing outside the directory, and a
range request still answered by Streamlit."""

from __future__ import annotations

import os
import urllib.error
import urllib.request

from streamlit import file_util

from salesboard.ui.static_assets import StaticAssetCache


def fetch(url: str, headers: dict | None = None):
    """(status, body, headers) of a GET; headers read case-insensitively."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), response.headers
    except urllib.error.HTTPError as error:
        return error.code, error.read(), error.headers


def test_bundles_come_from_memory_with_the_same_bytes_and_headers(app_process):
    base, _ = app_process
    folder = os.path.join(file_util.get_static_dir(), "static", "js")
    name = sorted(n for n in os.listdir(folder) if n.endswith(".js"))[0]
    with open(os.path.join(folder, name), "rb") as handle:
        expected = handle.read()
    for _ in range(2):  # the first read fills the cache, the second comes from it
        status, body, headers = fetch(f"{base}/static/js/{name}")
        assert status == 200 and body == expected
        assert headers["Cache-Control"] == "public, immutable, max-age=31536000"
        assert headers["Content-Type"].split(";")[0] in (
            "text/javascript",
            "application/javascript",
        )
    status, body, _ = fetch(f"{base}/static/js/{name}", {"Range": "bytes=0-9"})
    assert status == 206 and body == expected[:10]  # ranges are Streamlit's, as before


def test_nothing_outside_the_static_directory_is_served(tmp_path):
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "app.js").write_text("ok")
    (tmp_path / "secret.txt").write_text("no")
    cache = StaticAssetCache(app=None, directory=str(tmp_path))
    body, kind = cache._file("app.js")
    assert body == b"ok" and kind.split(b";")[0] in (b"text/javascript", b"application/javascript")
    for outside in ("../secret.txt", "..%2Fsecret.txt", "/etc/passwd", "js/../../secret.txt"):
        assert cache._file(outside) is None
