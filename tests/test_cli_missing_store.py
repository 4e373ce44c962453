"""A command against a store that is not there (issue 18, item 12): a read or write command
given a SQLite path that does not exist says the store is missing and how to create it,
and leaves no empty database file behind ("no such table" before); an empty or outdated
store is named as such. init-db, migrate, demo and restore still create one."""

from __future__ import annotations

import sqlite3

import pytest

from salesboard.cli.main import main

COMMANDS = [
    ["import-log"],
    ["import-undo"],
    ["user", "list"],
    ["backup", "--output", "{tmp}/copy.db"],
    ["report", "pipeline", "--as-of", "2026-11-20", "--format", "json", "--output", "{tmp}/p"],
    ["report", "goals", "--period", "2026Q4", "--format", "json", "--output", "{tmp}/g"],
]


def run(url: str, command: list[str], tmp_path, *extra: str) -> int:
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    return main(["--database-url", url, *extra, *argv])


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c[:2]) for c in COMMANDS])
def test_a_missing_store_is_named_and_not_created(tmp_path, capsys, command):
    path = tmp_path / "data" / "salesboard.db"
    path.parent.mkdir()
    assert run(f"sqlite:///{path}", command, tmp_path) == 1
    error = capsys.readouterr().err
    assert error.startswith("error:") and str(path) in error and "init-db" in error
    assert "no such table" not in error
    assert not path.exists()


@pytest.mark.parametrize("command", COMMANDS[:3], ids=[" ".join(c[:2]) for c in COMMANDS[:3]])
def test_an_empty_store_is_named_as_not_set_up(tmp_path, capsys, command):
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    assert run(f"sqlite:///{path}", command, tmp_path) == 1
    error = capsys.readouterr().err
    assert "init-db" in error and "no such table" not in error


def test_init_db_still_creates_the_store(tmp_path, capsys):
    path = tmp_path / "new.db"
    assert main(["--database-url", f"sqlite:///{path}", "init-db"]) == 0
    assert path.exists()
    assert main(["--database-url", f"sqlite:///{path}", "import-log"]) == 0
