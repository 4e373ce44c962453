"""A throwaway PostgreSQL server for the tests: Debian's binaries, a fresh cluster in a
temporary directory, listening on a free loopback port, gone when the session ends.

``SALESBOARD_TEST_POSTGRES_URL`` (a superuser URL such as
``postgresql+psycopg://postgres:pw@127.0.0.1:5432/postgres``) points the tests at your own
server instead; each test still gets a database of its own, created from a migrated template.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from salesboard.calendar.workdays import sync_store_calendar
from salesboard.store import schema
from salesboard.store.db import create_store_engine

TEMPLATE = "salesboard_template"


def find_pg_bin() -> Path | None:
    """The directory of Debian's PostgreSQL server binaries, newest version first."""
    found = shutil.which("initdb")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
    return Path(versions[0]).parent if versions else None


def free_port() -> int:
    """A loopback TCP port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    """initdb + pg_ctl start in a temp dir; as root the server runs as user ``postgres``."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="salesboard-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        subprocess.run(
            [*self._as, *args], check=True, capture_output=True, text=True, cwd=self.root
        )

    def start(self) -> str:
        """Create and start the cluster; returns the superuser URL."""
        if self._as:
            shutil.chown(self.root, "postgres")
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8",
        )  # fmt: skip
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-o", options,
            "-l", str(self.root / "server.log"), "-w", "start",
        )  # fmt: skip
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        """Stop the server and remove its files."""
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class DatabaseFactory:
    """Hands out fresh databases on one server, cloned from a template migrated once."""

    def __init__(self, admin_url: str) -> None:
        self.admin_url = admin_url
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        self._template_ready = False

    def _url(self, database: str) -> str:
        return make_url(self.admin_url).set(database=database).render_as_string(hide_password=False)

    def _prepare_template(self) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{TEMPLATE}"'))
        engine = create_store_engine(self._url(TEMPLATE))
        schema.upgrade(engine)
        sync_store_calendar(engine)  # as `migrate` does
        engine.dispose()
        self._template_ready = True

    def create(self, *, migrated: bool = True) -> str:
        """A new database (migrated to head unless ``migrated`` is False); returns its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        if migrated and not self._template_ready:
            self._prepare_template()
        template = f' TEMPLATE "{TEMPLATE}"' if migrated else ""
        with self._admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"{template}'))
        return self._url(name)

    def drop(self, url: str) -> None:
        """Drop a database made by ``create`` (closing anything still connected)."""
        database = make_url(url).database
        for _ in range(3):
            try:
                with self._admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
                return
            except Exception:  # a connection still closing: try again shortly
                time.sleep(0.2)

    def dispose(self) -> None:
        """Close the admin connection pool."""
        self._admin.dispose()
