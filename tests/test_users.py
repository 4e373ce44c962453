"""User administration on a real store (SQLite and PostgreSQL): only admins change users,
every change lands in the audit log with old and new values, and the changes take effect at
sign-in (locks, deactivation, role and team visibility, identity-provider e-mails)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from salesboard.accounts import auth, users
from salesboard.accounts.access import PermissionDenied, load_viewer
from salesboard.accounts.audit import audit_trail
from salesboard.store.db import write_session
from salesboard.store.models import Role, TeamManager, User
from tests import builders as b
from tests.builders import TEST_PASSWORD, add_user


@pytest.fixture
def org(engine):
    """Two teams, an admin, a leader, a manager and a rep."""
    with write_session(engine) as session:
        region = b.region(session, "east")
        team_ids = [b.team(session, n, region=region).id for n in ("华东销售一组", "华东销售二组")]
    ids = {
        "admin": add_user(engine, "admin", Role.ADMIN),
        "leader": add_user(engine, "leader", Role.LEADER),
        "manager": add_user(engine, "manager", Role.MANAGER, team_id=team_ids[0]),
        "rep": add_user(engine, "rep", Role.REP, team_id=team_ids[0]),
    }
    return {"teams": team_ids, "ids": ids, "engine": engine}


def viewer(engine, user_id):
    with Session(engine) as session:
        return load_viewer(session, user_id)


def trail(engine, **filters):
    with Session(engine) as session:
        return audit_trail(session, **filters)


def admin_actions(engine, user_id) -> list[str]:
    """What admins did to ``user_id``, newest first (sign-ins left out)."""
    entries = trail(engine, entity="user", entity_id=user_id)
    return [a for a in entries.action if a != "sign_in"]


def sign_in(engine, username, password=TEST_PASSWORD):
    with write_session(engine) as session:
        outcome = auth.authenticate(session, username, password)
        token = auth.start_session(session, outcome.user) if outcome.user else None
    return outcome, token


def resolve(engine, token):
    with write_session(engine) as session:
        return auth.resolve_session(session, token)


@pytest.mark.parametrize("role", ["leader", "manager", "rep"])
def test_only_admins_change_users(org, role):
    engine, ids = org["engine"], org["ids"]
    actor = viewer(engine, ids[role])
    attempts = [
        lambda s: users.list_users(s, actor),
        lambda s: users.add_user(
            s, actor, username="x", display_name="x", role=Role.ADMIN, password="long password"
        ),
        lambda s: users.update_user(s, actor, ids[role], role=Role.ADMIN),
        lambda s: users.set_locked(s, actor, ids["admin"], True),
        lambda s: users.set_active(s, actor, ids["admin"], False),
        lambda s: users.reset_password(s, actor, ids["admin"], "taken over!!"),
        lambda s: users.user_details(s, actor, ids["admin"]),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied), write_session(engine) as session:
            attempt(session)
    with Session(engine) as session:
        me = session.get(User, ids[role])
        assert me.role == role and session.get(User, ids["admin"]).active
    assert sign_in(engine, "admin")[1]  # the admin's password is untouched


def test_add_user_with_managed_teams_is_audited_and_must_change_password(org):
    engine, ids, teams = org["engine"], org["ids"], org["teams"]
    admin = viewer(engine, ids["admin"])
    with write_session(engine) as session:
        user = users.add_user(
            session, admin, username="zhang.wei", display_name="张伟", role=Role.MANAGER,
            password="initial password", team_id=teams[0], email="Zhang.Wei@Example.com",
            manages=teams,
        )  # fmt: skip
        new_id = user.id
    new = viewer(engine, new_id)
    assert set(new.team_ids) == set(teams)
    outcome, token = sign_in(engine, "zhang.wei", "initial password")
    assert resolve(engine, token).must_change_password
    entries = trail(engine, entity="user", entity_id=new_id)
    by_admin = entries[entries.action.isin(["create", "update"])]
    assert sorted(by_admin.action) == ["create", "update"]
    assert (by_admin.actor_name == "admin").all()
    frame = users.list_users(Session(engine), admin)
    row = frame[frame.username == "zhang.wei"].iloc[0]
    assert (row.role, row.team, row.managed_teams) == (
        "manager",
        "华东销售一组",
        "华东销售一组, 华东销售二组",
    )


def test_role_and_team_changes_change_visibility_and_record_old_and_new(org):
    engine, ids, teams = org["engine"], org["ids"], org["teams"]
    admin = viewer(engine, ids["admin"])
    with write_session(engine) as session:
        changed = users.update_user(
            session, admin, ids["rep"], role=Role.MANAGER, team_id=teams[1], manages=[teams[0]]
        )
    assert set(changed) == {"role", "team_id", "managed_team_ids"}
    promoted = viewer(engine, ids["rep"])
    assert promoted.role == Role.MANAGER and set(promoted.team_ids) == set(teams)
    entry = trail(engine, entity="user", entity_id=ids["rep"], action="update").iloc[0]
    assert json.loads(entry.old_values) == {
        "role": "rep",
        "team_id": teams[0],
        "managed_team_ids": [],
    }
    assert json.loads(entry.new_values) == {
        "role": "manager", "team_id": teams[1], "managed_team_ids": [teams[0]],
    }  # fmt: skip
    # Back to rep: a rep leads no team, so the team_manager rows go too.
    with write_session(engine) as session:
        users.update_user(session, admin, ids["rep"], role=Role.REP)
        assert users.managed_team_ids(session, ids["rep"]) == ()
    with Session(engine) as session:
        assert not session.exec(select(TeamManager).where(TeamManager.user_id == ids["rep"])).all()
    # Nothing to change: nothing recorded.
    before = len(trail(engine))
    with write_session(engine) as session:
        assert users.update_user(session, admin, ids["rep"], role=Role.REP) == {}
    assert len(trail(engine)) == before


def test_the_last_active_admin_stays_an_active_admin(org):
    engine, ids = org["engine"], org["ids"]
    admin = viewer(engine, ids["admin"])
    with pytest.raises(users.UserError) as demote, write_session(engine) as session:
        users.update_user(session, admin, ids["admin"], role=Role.LEADER)
    assert demote.value.code == "last_admin"
    second = add_user(engine, "admin2", Role.ADMIN)
    with pytest.raises(users.UserError) as self_off, write_session(engine) as session:
        users.set_active(session, admin, ids["admin"], False)
    assert self_off.value.code == "self"
    with write_session(engine) as session:
        users.set_active(session, viewer(engine, second), ids["admin"], False)
    with pytest.raises(users.UserError) as last, write_session(engine) as session:
        users.update_user(session, viewer(engine, second), second, role=Role.REP)
    assert last.value.code == "last_admin"


def test_lock_and_unlock_by_an_admin(org):
    engine, ids = org["engine"], org["ids"]
    admin = viewer(engine, ids["admin"])
    _, token = sign_in(engine, "rep")
    with write_session(engine) as session:
        users.set_locked(session, admin, ids["rep"], True)
    assert resolve(engine, token) is None  # the lock ended the session
    outcome, token = sign_in(engine, "rep")
    assert outcome.error == "locked" and token is None
    assert users.is_manual_lock(outcome.locked_until)
    with write_session(engine) as session:
        users.set_locked(session, admin, ids["rep"], False)
    assert sign_in(engine, "rep")[1]
    assert admin_actions(engine, ids["rep"])[:2] == ["unlock", "lock"]


def test_unlock_clears_a_lockout_after_wrong_passwords(org):
    engine, ids = org["engine"], org["ids"]
    from salesboard.store.settings import get_settings

    for _ in range(get_settings().lockout_threshold):
        sign_in(engine, "rep", "wrong")
    assert sign_in(engine, "rep")[0].error == "locked"
    frame = users.list_users(Session(engine), viewer(engine, ids["admin"]))
    locked = frame.set_index("username").locked_until["rep"]
    assert locked is not None and not users.is_manual_lock(locked)
    with write_session(engine) as session:
        users.set_locked(session, viewer(engine, ids["admin"]), ids["rep"], False)
    assert sign_in(engine, "rep")[1]


def test_deactivate_ends_sessions_and_reactivate_lets_back_in(org):
    engine, ids = org["engine"], org["ids"]
    admin = viewer(engine, ids["admin"])
    _, token = sign_in(engine, "manager")
    with write_session(engine) as session:
        users.set_active(session, admin, ids["manager"], False)
    assert resolve(engine, token) is None
    assert sign_in(engine, "manager")[0].error == "inactive"
    with write_session(engine) as session:
        users.set_active(session, admin, ids["manager"], True)
    assert sign_in(engine, "manager")[1]
    assert admin_actions(engine, ids["manager"])[:2] == ["reactivate", "deactivate"]


def test_admin_reset_forces_a_new_password(org):
    engine, ids = org["engine"], org["ids"]
    _, old_token = sign_in(engine, "rep")
    with write_session(engine) as session:
        users.reset_password(session, viewer(engine, ids["admin"]), ids["rep"], "temporary pw 1")
    assert resolve(engine, old_token) is None
    assert sign_in(engine, "rep")[0].error == "bad_credentials"
    _, token = sign_in(engine, "rep", "temporary pw 1")
    assert resolve(engine, token).must_change_password
    entry = trail(engine, action="reset_password").iloc[0]
    assert entry.actor_name == "admin" and "temporary" not in entry.new_values


def test_list_users_shows_last_sign_in(org):
    engine, ids = org["engine"], org["ids"]
    sign_in(engine, "leader")
    frame = users.list_users(Session(engine), viewer(engine, ids["admin"])).set_index("username")
    assert frame.last_sign_in["leader"] is not None
    assert frame.last_sign_in["rep"] is None
    assert list(frame.columns) == [c for c in users.USER_COLUMNS if c != "username"]


def test_identity_provider_email_maps_to_an_active_user(org):
    engine, ids = org["engine"], org["ids"]
    admin = viewer(engine, ids["admin"])
    with write_session(engine) as session:
        users.update_user(session, admin, ids["manager"], email="Wang.Fang@Example.com")
    with write_session(engine) as session:
        found = users.viewer_for_email(session, "wang.fang@example.com", record_sign_in=True)
        assert found.user_id == ids["manager"] and not found.must_change_password
        assert users.viewer_for_email(session, "nobody@example.com") is None
        assert users.viewer_for_email(session, "") is None
    assert trail(engine, action="sign_in", actor_id=ids["manager"]).summary.iloc[0] == "oidc"
    with write_session(engine) as session:
        users.set_active(session, admin, ids["manager"], False)
    with write_session(engine) as session:
        assert users.viewer_for_email(session, "wang.fang@example.com") is None


def test_identity_provider_email_is_provisioned_only_when_configured(org):
    engine = org["engine"]
    with write_session(engine) as session:
        created = users.viewer_for_email(
            session, "new.hire@example.com", display_name="新同事", provision_role=Role.REP
        )
    assert created.role == Role.REP and created.display_name == "新同事"
    with Session(engine) as session:
        user = session.exec(select(User).where(User.username == "new.hire")).one()
        assert user.password_hash == ""  # no password: only the identity provider signs in
    assert trail(engine, entity="user", entity_id=user.id).action.iloc[0] == "create"
    with pytest.raises(auth.AuthError), write_session(engine) as session:
        users.viewer_for_email(session, "other@example.com", provision_role="superuser")
