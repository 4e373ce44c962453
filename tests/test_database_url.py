"""Database URLs with %-encoded characters (issue 18, item 13): a password holding @ # % /
and a Unix-socket host must be %-encoded in a URL, and then every command and the app accept
them ("invalid interpolation syntax" before: the URL reached a configparser unescaped,
password and all). No error ever prints the password."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, make_url, text

from salesboard.cli.main import main
from salesboard.store.db import redact_password
from tests.apptest_support import open_app, use_store
from tests.conftest import DEMO_TODAY

PASSWORD = "p@ss#w%rd/1:?"
ROLE = "sales_role"


@pytest.fixture
def urls(pg_factory):
    """(TCP URL, Unix-socket URL) of a fresh, empty database owned by a role whose password
    needs %-encoding."""
    blank = make_url(pg_factory.create(migrated=False))
    admin = create_engine(pg_factory.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        if not conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": ROLE}).first():
            conn.execute(text(f"CREATE ROLE {ROLE} LOGIN SUPERUSER PASSWORD '{PASSWORD}'"))
        sockets = conn.execute(text("SHOW unix_socket_directories")).scalar_one().split(",")[0]
    admin.dispose()
    secret = quote(PASSWORD, safe="")
    tcp = f"postgresql+psycopg://{ROLE}:{secret}@{blank.host}:{blank.port}/{blank.database}"
    unix = (f"postgresql+psycopg://{ROLE}:{secret}@/{blank.database}"
            f"?host={quote(sockets.strip(), safe='')}&port={blank.port}")  # fmt: skip
    yield tcp, unix
    pg_factory.drop(str(blank))


@pytest.mark.parametrize("kind", ["tcp", "unix"])
def test_every_command_accepts_an_encoded_password_and_socket_host(urls, kind, tmp_path, capsys):
    url = urls[0] if kind == "tcp" else urls[1]
    assert main(["--database-url", url, "init-db"]) == 0, capsys.readouterr().err
    assert main(["--database-url", url, "migrate"]) == 0
    assert main(["--database-url", url, "import-log"]) == 0
    assert main(["--database-url", url, "user", "list"]) == 0
    assert main(["--database-url", url, "report", "pipeline", "--as-of", "2026-11-20",
                 "--format", "json", "--output", str(tmp_path / "p.json")]) == 0  # fmt: skip
    assert main(["--database-url", url, "backup", "--output", str(tmp_path / "b.dump")]) == 0
    assert main(["--database-url", url, "restore", str(tmp_path / "b.dump"), "--yes"]) == 0
    assert PASSWORD not in capsys.readouterr().err


def test_the_app_accepts_an_encoded_password(urls, monkeypatch):
    assert main(["--database-url", urls[0], "init-db"]) == 0
    use_store(monkeypatch, urls[0], DEMO_TODAY)
    at = open_app(user=None, lang="en")
    assert not at.error and at.title[0].value == "Sign in to Salesboard"


def test_errors_never_show_the_password(capsys):
    secret = quote(PASSWORD, safe="")
    for url in (f"postgresql+psycopg://u:{secret}@127.0.0.1:1/db",
                f"postgresql+psycopg://u:{secret}@127.0.0.1:notaport/db"):  # fmt: skip
        assert main(["--database-url", url, "import-log"]) == 1
        error = capsys.readouterr().err
        assert PASSWORD not in error and secret not in error
    message = f"could not open postgresql://u:{secret}@h/db (password {PASSWORD})"
    shown = redact_password(message, f"postgresql://u:{secret}@h/db")
    assert PASSWORD not in shown and secret not in shown and "***" in shown
