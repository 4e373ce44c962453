"""The ``user`` commands and ``init-db``'s first admin, through the real CLI (a subprocess,
as an administrator types them). Passwords come from the environment, standard input or a
prompt, never from the command line."""

from __future__ import annotations

import os

import pytest
from sqlmodel import Session, select

from salesboard.accounts import auth
from salesboard.accounts.audit import audit_trail
from salesboard.store.db import write_session
from salesboard.store.models import Role, User
from tests import builders as b
from tests.test_backup import cli, store_url


def sign_in(engine, username, password):
    """(outcome, token); the outcome's user is read inside the session (name, flags)."""
    with write_session(engine) as session:
        outcome = auth.authenticate(session, username, password)
        token = auth.start_session(session, outcome.user) if outcome.user else None
        if outcome.user:
            session.refresh(outcome.user)
            session.expunge(outcome.user)
    return outcome, token


@pytest.fixture
def teams(engine):
    with write_session(engine) as session:
        region = b.region(session, "south")
        for name in ("华南销售一组", "华南销售二组"):
            b.team(session, name, region=region)


def run(engine, *args, stdin="", env=None):
    saved = dict(os.environ)
    os.environ.update(env or {})
    try:
        return cli("--database-url", store_url(engine), *args, stdin=stdin)
    finally:
        os.environ.clear()
        os.environ.update(saved)


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_user_add_takes_the_password_from_env_or_stdin_and_never_argv(engine, teams):
    added = run(
        engine, "user", "add", "zhang.wei", "--role", "manager", "--team", "华南销售一组",
        "--name", "张伟", "--manages", "华南销售一组", "华南销售二组",
        env={"SALESBOARD_NEW_PASSWORD": "from the environment"},
    )  # fmt: skip
    assert added.returncode == 0, added.stderr
    outcome, token = sign_in(engine, "zhang.wei", "from the environment")
    assert token and outcome.user.display_name == "张伟"

    piped = run(engine, "user", "add", "li.na", "--role", "rep", "--password-stdin",
                stdin="from standard input\n")  # fmt: skip
    assert piped.returncode == 0, piped.stderr
    assert sign_in(engine, "li.na", "from standard input")[1]

    # No terminal, no variable, no stdin flag: a clear refusal, not a hang on a prompt.
    nothing = run(engine, "user", "add", "wang.fang", "--role", "rep")
    assert nothing.returncode == 1 and "SALESBOARD_NEW_PASSWORD" in nothing.stderr
    # There is no option that takes a password on the command line (not even abbreviated).
    for flag in ("--password", "--pass", "--password-std"):
        typed = run(engine, "user", "add", "wang.fang", "--role", "rep", flag, "secret123")
        assert typed.returncode == 2 and "unrecognized arguments" in typed.stderr
    with Session(engine) as session:
        assert session.exec(select(User).where(User.username == "wang.fang")).first() is None
        entries = audit_trail(session, entity="user", action="create")
    assert entries.actor_name.str.startswith("cli:").all() and len(entries) == 2


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_user_add_refusals_are_one_line_errors(engine, teams):
    env = {"SALESBOARD_NEW_PASSWORD": "long enough password"}
    run(engine, "user", "add", "li.na", "--role", "rep", env=env)
    taken = run(engine, "user", "add", "li.na", "--role", "rep", env=env)
    assert taken.returncode == 1 and taken.stderr.startswith("error:") and "taken" in taken.stderr
    weak = run(
        engine, "user", "add", "x.y", "--role", "rep", env={"SALESBOARD_NEW_PASSWORD": "short"}
    )
    assert weak.returncode == 1 and "at least" in weak.stderr
    team = run(engine, "user", "add", "x.y", "--role", "rep", "--team", "火星组", env=env)
    assert team.returncode == 1 and "no team" in team.stderr


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_passwd_list_set_role_and_unlock(engine, teams):
    env = {"SALESBOARD_NEW_PASSWORD": "first password!"}
    assert (
        run(engine, "user", "add", "li.na", "--role", "rep", "--no-change", env=env).returncode == 0
    )
    from salesboard.store.settings import get_settings

    for _ in range(get_settings().lockout_threshold):
        sign_in(engine, "li.na", "wrong")
    assert sign_in(engine, "li.na", "first password!")[0].error == "locked"

    listed = run(engine, "user", "list", "--tsv")
    assert listed.returncode == 0
    header, *rows = listed.stdout.strip().splitlines()
    assert header.split("\t")[:4] == ["username", "display_name", "email", "role"]
    row = next(r.split("\t") for r in rows if r.startswith("li.na\t"))
    assert row[3] == "rep" and row[header.split("\t").index("locked_until")].endswith("UTC")

    assert run(engine, "user", "unlock", "li.na").returncode == 0
    assert sign_in(engine, "li.na", "first password!")[1]

    changed = run(engine, "user", "passwd", "li.na", "--password-stdin", "--must-change",
                  stdin="second password\n")  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert sign_in(engine, "li.na", "first password!")[0].error == "bad_credentials"
    outcome, _ = sign_in(engine, "li.na", "second password")
    assert outcome.user.must_change_password

    promoted = run(engine, "user", "set-role", "li.na", "manager", "--team", "华南销售二组",
                   "--manages", "华南销售一组")  # fmt: skip
    assert promoted.returncode == 0, promoted.stderr
    with Session(engine) as session:
        from salesboard.accounts.access import viewer_for

        user = session.exec(select(User).where(User.username == "li.na")).one()
        assert user.role == Role.MANAGER and len(viewer_for(session, user).team_ids) == 2
    unknown = run(engine, "user", "unlock", "nobody")
    assert unknown.returncode == 1 and "no user named 'nobody'" in unknown.stderr


@pytest.mark.slow  # several CLI processes (> 10 s on a loaded 2-core machine)
def test_init_db_creates_the_first_admin_from_the_environment(tmp_path):
    url = f"sqlite:///{tmp_path / 'new.db'}"
    without = cli("--database-url", url, "init-db")
    assert without.returncode == 0 and "no admin can sign in yet" in without.stdout
    saved = dict(os.environ)
    os.environ["SALESBOARD_ADMIN_PASSWORD"] = "first admin password"
    try:
        armed = cli("--database-url", url, "init-db")
        again = cli("--database-url", url, "init-db")
    finally:
        os.environ.clear()
        os.environ.update(saved)
    assert armed.returncode == 0 and "first admin ready" in armed.stdout
    assert "admin account present" in again.stdout
    from salesboard.store.db import create_store_engine

    engine = create_store_engine(url)
    assert sign_in(engine, "admin", "first admin password")[1]
    engine.dispose()
