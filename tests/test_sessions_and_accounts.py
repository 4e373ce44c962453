"""Sessions and accounts (issue 18, item 9): a deactivated, demoted or reset user loses what
they lost on their very next request; sign-in failures read the same whatever the cause
(no account, deactivated, locked by an admin, wrong password), so they confirm neither an
account nor a password; guessable passwords are refused with a clear message."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select

from salesboard.accounts import auth, users
from salesboard.accounts.access import load_viewer
from salesboard.i18n import t
from salesboard.store.db import write_session
from salesboard.store.models import Role, User
from salesboard.store.settings import get_settings
from tests.apptest_support import open_app
from tests.builders import TEST_PASSWORD, add_team, add_user
from tests.test_security import sign_in_attempt, store  # noqa: F401 - the fixture


def admin_does(engine, admin_id: int, change) -> None:
    with write_session(engine) as session:
        change(session, load_viewer(session, admin_id))


def signed_in(at) -> bool:
    return not at.exception and not [e for e in at.text_input if e.key == "sign_in_password"]


@pytest.mark.parametrize(
    "change",
    [
        lambda s, admin, rep: users.set_active(s, admin, rep, False),
        lambda s, admin, rep: users.set_locked(s, admin, rep, True),
        lambda s, admin, rep: users.reset_password(s, admin, rep, "a fresh temporary one"),
    ],
    ids=["deactivated", "locked", "reset"],
)
def test_a_removed_user_is_signed_out_on_the_next_request(store, change):  # noqa: F811
    engine, ids = store["engine"], store["ids"]
    at = open_app(user="li.na", lang="en")
    assert signed_in(at)
    admin_does(engine, ids["admin"], lambda s, admin: change(s, admin, ids["rep"]))
    at.run()  # the next request, well inside any cache
    assert not signed_in(at)


def signed_in_as(at) -> str:
    return next(c.value for c in at.sidebar.caption if "boss" in c.value)


def test_a_demoted_user_loses_the_old_role_on_the_next_request(store):  # noqa: F811
    engine, ids = store["engine"], store["ids"]
    team = add_team(engine)
    boss = add_user(engine, "boss", Role.MANAGER, team_id=team)
    admin_does(engine, ids["admin"], lambda s, a: users.update_user(s, a, boss, manages=[team]))
    at = open_app("pages/feedback_team.py", user="boss", lang="en")
    assert t("role.manager", "en") in signed_in_as(at)
    assert t("feedback_team.title", "en") in [e.value for e in at.title]
    admin_does(engine, ids["admin"], lambda s, a: users.update_user(s, a, boss, role=Role.REP))
    at.run()
    assert t("role.rep", "en") in signed_in_as(at)
    assert t("feedback_team.title", "en") not in [e.value for e in at.title]


def failure_messages(username: str, password: str, attempts: int) -> list[str]:
    at = open_app(user=None, lang="en")
    shown = []
    for _ in range(attempts):
        sign_in_attempt(at, username, password)
        shown.append(at.error[0].value.split(" until ")[0])
    return shown


def test_sign_in_failures_read_the_same_whatever_the_cause(store):  # noqa: F811
    engine, ids = store["engine"], store["ids"]
    for name in ("gone", "shut"):
        add_user(engine, name, Role.REP)
    admin_does(
        engine, ids["admin"], lambda s, a: users.set_active(s, a, _id(engine, "gone"), False)
    )
    admin_does(engine, ids["admin"], lambda s, a: users.set_locked(s, a, _id(engine, "shut"), True))
    threshold = get_settings().lockout_threshold
    wrong_password = failure_messages("li.na", "not the password", threshold + 1)
    assert wrong_password[0] == "Wrong username or password."
    assert wrong_password[-1].startswith("Too many wrong passwords")
    # No account, a deactivated one, one an admin locked (each with its right password):
    # the same answers in the same order, so none of them is told apart from a wrong password.
    for username in ("nobody.here", "gone", "shut"):
        assert failure_messages(username, TEST_PASSWORD, threshold + 1) == wrong_password


def _id(engine, username: str) -> int:
    with Session(engine) as session:
        return session.exec(select(User.id).where(User.username == username)).one()


GUESSABLE = ["12345678", "password", "qwertyuiop", "11111111", "abcd1234", "iloveyou1",
             "Passw0rd!", "salesboard", "li.na2026"]  # fmt: skip


@pytest.mark.parametrize("password", GUESSABLE)
def test_guessable_passwords_are_refused(password):
    with pytest.raises(auth.AuthError) as refused:
        auth.check_password_policy(password, user_inputs=("li.na", "李娜"))
    assert refused.value.code == "guessable_password"


def test_strong_passwords_pass_and_the_refusal_is_clear_in_both_languages(store):  # noqa: F811
    for password in ("correct horse battery", "a new long password", "蓝色 火车 慢慢 开过"):
        auth.check_password_policy(password)
    zh, en = t("auth.error.guessable_password", "zh"), t("auth.error.guessable_password", "en")
    assert "12345678" in zh and "12345678" in en and zh != en
    at = open_app("pages/my_account.py", user="li.na", lang="en")
    at.text_input(key="account_password_old").input(TEST_PASSWORD)
    at.text_input(key="account_password_new").input("12345678")
    at.text_input(key="account_password_again").input("12345678")
    at.button(key="account_password_submit").click().run()
    assert [e.value for e in at.error] == [en]
