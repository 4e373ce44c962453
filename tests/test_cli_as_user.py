"""``--as-user`` on the command line (issue 18, item 10): it scopes the commands that read or
write as a user (import, import-log, import-undo, report); every other command (user
management, backups, the schema, the demo) refuses it instead of running as the system
(``--as-user <rep> user add x --role admin`` created an admin)."""

from __future__ import annotations

import pytest

from salesboard.cli.main import main
from tests.builders import TEST_PASSWORD, add_team, add_user
from tests.importing.helpers import snapshot

ADMIN_COMMANDS = [
    ["user", "add", "intruder", "--role", "admin"],
    ["user", "passwd", "boss"],
    ["user", "list"],
    ["user", "set-role", "li.na", "admin"],
    ["user", "lock", "boss"],
    ["user", "unlock", "boss"],
    ["user", "deactivate", "boss"],
    ["user", "activate", "boss"],
    ["org", "add", "region", "--code", "x", "--zh", "某区"],
    ["org", "retire", "customer_type", "smb"],
    ["org", "managers", "一组", "boss"],
    ["migrate"],
    ["init-db"],
    ["demo", "--size", "small"],
    ["backup", "--output", "{tmp}/b.db"],
    ["restore", "{tmp}/b.db", "--yes"],
]


@pytest.fixture
def store(engine, monkeypatch):
    add_team(engine)
    add_user(engine, "boss")
    add_user(engine, "li.na", "rep", team_id=1)
    monkeypatch.setenv("SALESBOARD_NEW_PASSWORD", TEST_PASSWORD + " again")
    return engine


@pytest.mark.parametrize("command", ADMIN_COMMANDS, ids=[" ".join(c[:2]) for c in ADMIN_COMMANDS])
def test_commands_it_does_not_scope_refuse_as_user(store, command, tmp_path, capsys):
    url = store.url.render_as_string(hide_password=False)
    before = snapshot(store)
    argv = [part.replace("{tmp}", str(tmp_path)) for part in command]
    assert main(["--database-url", url, "--as-user", "li.na", *argv]) == 1
    error = capsys.readouterr().err
    assert error.startswith("error:") and "--as-user" in error
    assert snapshot(store) == before  # nothing ran
    assert not (tmp_path / "b.db").exists()


def test_commands_it_scopes_still_take_it(store, tmp_path, capsys):
    url = store.url.render_as_string(hide_password=False)
    assert main(["--database-url", url, "--as-user", "li.na", "import-log"]) == 0
    assert main(["--database-url", url, "--as-user", "li.na", "report", "pipeline", "--as-of",
                 "2026-11-20", "--format", "json", "--output", str(tmp_path / "p.json")]) == 0  # fmt: skip
