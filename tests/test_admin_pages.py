"""AppTests of the users admin page, the account page and OIDC sign-in: what an admin types
into the forms lands in the store (audited), a user changes their own password, and the
identity provider's e-mail picks the user."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from salesboard.accounts import auth
from salesboard.accounts.audit import audit_trail
from salesboard.i18n import t
from salesboard.store.db import write_session
from salesboard.store.models import Role, TeamManager, User
from tests import builders as b
from tests.apptest_support import APP_PATH, open_app, use_store
from tests.builders import TEST_PASSWORD, add_user
from tests.conftest import DEMO_TODAY

USERS = "pages/users_admin.py"
ACCOUNT = "pages/my_account.py"


@pytest.fixture
def team_store(engine, monkeypatch):
    """A store with two teams, an admin, a manager and a rep; the app points at it."""
    use_store(monkeypatch, str(engine.url.render_as_string(hide_password=False)), DEMO_TODAY)
    with write_session(engine) as session:
        region = b.region(session, "north")
        teams = {n: b.team(session, n, region=region).id for n in ("华北销售一组", "华北销售二组")}
    ids = {
        "admin": add_user(engine),
        "manager": add_user(engine, "wang.fang", Role.MANAGER, team_id=1),
        "rep": add_user(engine, "li.na", Role.REP, team_id=1),
    }
    yield {"engine": engine, "ids": ids, "teams": teams}
    from salesboard.store.settings import get_settings

    monkeypatch.undo()
    get_settings.cache_clear()


def user_row(engine, username) -> User:
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == username)).one()
        session.expunge(user)
        return user


def can_sign_in(engine, username, password) -> bool:
    with write_session(engine) as session:
        return auth.authenticate(session, username, password).user is not None


def test_users_page_lists_everyone_in_both_languages(team_store):
    for lang in ("zh", "en"):
        at = open_app(USERS, lang=lang)
        assert at.title[0].value == t("users.title", lang)
        table = at.dataframe[0].value
        assert t("users.col.last_sign_in", lang) in table.columns
        assert set(table[t("users.col.username", lang)]) == {"admin", "wang.fang", "li.na"}
        assert t("role.manager", lang) in set(table[t("users.col.role", lang)])


def test_admin_adds_a_user_through_the_form(team_store):
    engine = team_store["engine"]
    at = open_app(USERS, lang="en")
    at.text_input(key="add_user").input("zhao.lei")
    at.text_input(key="add_name").input("赵磊")
    at.selectbox(key="add_role").set_value(Role.MANAGER)
    at.selectbox(key="add_team").set_value(2)
    at.multiselect(key="add_manages").set_value([1, 2])
    at.text_input(key="add_password").input("initial password")
    at.button(key="users_add_submit").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value == "Added zhao.lei."
    user = user_row(engine, "zhao.lei")
    assert (user.display_name, user.role, user.team_id, user.must_change_password) == (
        "赵磊", Role.MANAGER, 2, True,
    )  # fmt: skip
    with Session(engine) as session:
        led = session.exec(select(TeamManager.team_id).where(TeamManager.user_id == user.id)).all()
        created = audit_trail(session, entity="user", entity_id=user.id, action="create")
    assert sorted(led) == [1, 2] and created.actor_name.tolist() == ["admin"]
    assert can_sign_in(engine, "zhao.lei", "initial password")


def test_a_refused_add_says_why_in_the_users_language(team_store):
    at = open_app(USERS, lang="zh")
    at.text_input(key="add_user").input("li.na")  # taken
    at.text_input(key="add_password").input("initial password")
    at.button(key="users_add_submit").click().run()
    assert [e.value for e in at.error] == [t("auth.error.username_taken", "zh", username="li.na")]
    at.text_input(key="add_user").input("new.person")
    at.text_input(key="add_password").input("short")
    at.button(key="users_add_submit").click().run()
    assert "8" in at.error[0].value


def test_admin_changes_role_team_and_managed_teams(team_store):
    engine, ids = team_store["engine"], team_store["ids"]
    at = open_app(USERS, lang="en")
    at.selectbox(key="users_chosen").set_value(ids["rep"]).run()
    key = f"users_{ids['rep']}"
    at.selectbox(key=f"{key}_role").set_value(Role.MANAGER)
    at.selectbox(key=f"{key}_team").set_value(2)
    at.multiselect(key=f"{key}_manages").set_value([1])
    at.text_input(key=f"{key}_name").input("李娜（经理）")
    at.button(key="users_save").click().run()
    assert not at.error, [e.value for e in at.error]
    user = user_row(engine, "li.na")
    assert (user.role, user.team_id, user.display_name) == (Role.MANAGER, 2, "李娜（经理）")
    with Session(engine) as session:
        entry = audit_trail(session, entity="user", entity_id=ids["rep"], action="update").iloc[0]
    assert '"role": "rep"' in entry.old_values and '"role": "manager"' in entry.new_values


def test_admin_resets_locks_and_deactivates(team_store):
    engine, ids = team_store["engine"], team_store["ids"]
    at = open_app(USERS, lang="en")
    at.selectbox(key="users_chosen").set_value(ids["manager"]).run()
    at.text_input(key="users_reset_pw").input("temporary pw 42")
    at.button(key="users_reset").click().run()
    assert (
        at.success[0].value
        == "Reset the password of wang.fang; they must change it at next sign-in."
    )
    assert can_sign_in(engine, "wang.fang", "temporary pw 42")
    assert user_row(engine, "wang.fang").must_change_password

    at.button(key="users_lock").click().run()
    assert at.success[0].value == "Locked wang.fang."
    assert not can_sign_in(engine, "wang.fang", "temporary pw 42")
    shown = at.dataframe[0].value.set_index("Username")
    assert shown.loc["wang.fang", "State"] == "Locked by an admin"
    at.button(key="users_lock").click().run()  # now "Unlock account"
    assert can_sign_in(engine, "wang.fang", "temporary pw 42")

    at.button(key="users_active").click().run()
    assert not user_row(engine, "wang.fang").active
    assert at.dataframe[0].value.set_index("Username").loc["wang.fang", "State"] == "Deactivated"
    # The admin cannot lock themselves out.
    at.selectbox(key="users_chosen").set_value(ids["admin"]).run()
    at.button(key="users_active").click().run()
    assert at.error[0].value == t("users.error.self", "en")
    assert user_row(engine, "admin").active


@pytest.mark.parametrize("role", [Role.MANAGER, Role.REP])
def test_users_and_audit_pages_are_not_in_a_non_admins_navigation(team_store, role):
    username = {Role.MANAGER: "wang.fang", Role.REP: "li.na"}[role]
    at = open_app(lang="en", user=username)
    for page in (USERS, "pages/audit_log.py"):
        with pytest.raises(ValueError, match="Known pages"):
            at.switch_page(page)


def test_account_page_changes_the_own_password(team_store):
    engine = team_store["engine"]
    at = open_app(ACCOUNT, lang="en", user="li.na")
    assert at.title[0].value == "My account"
    facts = dict(at.dataframe[0].value.values.tolist())
    assert (
        facts["Username"] == "li.na" and facts["Role"] == "Rep" and facts["Team"] == "华北销售一组"
    )
    at.text_input(key="account_password_old").input(TEST_PASSWORD)
    at.text_input(key="account_password_new").input("my own new password")
    at.text_input(key="account_password_again").input("my own new password")
    at.button(key="account_password_submit").click().run()
    assert at.success[0].value == "Password changed."
    assert can_sign_in(engine, "li.na", "my own new password")
    assert not can_sign_in(engine, "li.na", TEST_PASSWORD)
    zh = open_app(ACCOUNT, lang="zh", user="li.na")
    assert zh.title[0].value == "我的账号" and not zh.exception


# --- OIDC -------------------------------------------------------------------------------------


def oidc_app(monkeypatch, user: dict) -> AppTest:
    monkeypatch.setenv("SALESBOARD_AUTH", "oidc")
    from salesboard.store.settings import get_settings

    get_settings.cache_clear()
    at = AppTest.from_file(APP_PATH, default_timeout=30)
    at.user = user
    at.query_params["lang"] = "en"
    return at.run()


def test_oidc_email_maps_to_the_user_and_their_visibility(team_store, monkeypatch):
    engine, ids = team_store["engine"], team_store["ids"]
    with write_session(engine) as session:
        session.get(User, ids["manager"]).email = "wang.fang@corp.example"
    at = oidc_app(monkeypatch, {"is_logged_in": True, "email": "Wang.Fang@corp.example"})
    assert not at.exception
    assert at.title[0].value == "Sales overview"
    assert any("Wang.Fang" not in c.value and "wang.fang" in c.value for c in at.caption)
    with Session(engine) as session:
        assert audit_trail(session, action="sign_in", actor_id=ids["manager"]).summary.tolist() == [
            "oidc"
        ]


def test_oidc_unknown_email_is_told_to_ask_an_admin(team_store, monkeypatch):
    at = oidc_app(monkeypatch, {"is_logged_in": True, "email": "stranger@corp.example"})
    assert at.title[0].value == "Sign in to Salesboard"
    assert at.error[0].value == t("auth.oidc_unknown", "en", email="stranger@corp.example")
    assert not at.metric
    with Session(team_store["engine"]) as session:
        assert (
            session.exec(select(User).where(User.email == "stranger@corp.example")).first() is None
        )


def test_oidc_signed_out_shows_the_identity_provider_button(team_store, monkeypatch):
    at = oidc_app(monkeypatch, {"is_logged_in": False})
    assert at.button(key="oidc_sign_in").label == "Sign in with your company account"
    assert not at.metric and not at.text_input  # no password form in OIDC mode


def test_oidc_auto_provisioning_when_configured(team_store, monkeypatch):
    monkeypatch.setenv("SALESBOARD_OIDC_AUTO_ROLE", "rep")
    at = oidc_app(
        monkeypatch, {"is_logged_in": True, "email": "new.hire@corp.example", "name": "新同事"}
    )
    assert at.title[0].value == "My work"  # a rep's landing page
    user = user_row(team_store["engine"], "new.hire")
    assert (user.role, user.display_name, user.password_hash) == (Role.REP, "新同事", "")
