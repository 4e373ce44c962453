"""Users (admin): every account's role, team and state; add users, change roles and teams,
reset passwords, lock / unlock, deactivate / reactivate. Every change is audited."""

import streamlit as st

from salesboard import ui
from salesboard.accounts import users
from salesboard.store.models import Role
from salesboard.ui import admin

me = ui.page_viewer(__file__)
st.title(ui.tr("users.title"))
st.caption(ui.tr("users.caption"))
admin.show_flash()

frame = ui.cached(users.list_users)(me)
teams = dict(ui.cached(users.team_choices)())
roles = list(Role)
role_label = {r: ui.tr(f"role.{r}") for r in roles}


def state_of(row) -> str:
    if not row.active:
        return ui.tr("users.state_inactive")
    if row.locked_until is not None:
        if users.is_manual_lock(row.locked_until):
            return ui.tr("users.state_locked_by_admin")
        return ui.tr("users.state_locked", until=admin.local_time(row.locked_until))
    return ui.tr("users.state_active")


shown = frame.assign(
    role=frame["role"].map(role_label),
    state=[state_of(row) for row in frame.itertuples()],
    last_sign_in=[admin.local_time(s) for s in frame["last_sign_in"]],
)[["username", "display_name", "role", "team", "managed_teams", "state", "last_sign_in"]]
st.dataframe(
    shown.rename(columns=lambda c: ui.tr(f"users.col.{c}")),
    hide_index=True,
    height=320,
    placeholder="—",
)

team_ids = [None, *teams]
team_label = {None: "—", **teams}
names = dict(zip(frame["id"], frame["username"] + " · " + frame["display_name"], strict=True))
chosen_id = int(
    st.selectbox(ui.tr("users.choose"), list(names), format_func=names.get, key="users_chosen")
)
row = ui.cached(users.user_details)(me, chosen_id)
edit, access = st.columns(2)

with edit.form(f"users_edit_{chosen_id}"):
    st.subheader(ui.tr("users.edit", username=row.username))
    key = f"users_{chosen_id}"  # per user: switching users shows that user's values
    name = st.text_input(
        ui.tr("users.col.display_name"), row.display_name, max_chars=64, key=f"{key}_name"
    )
    email = st.text_input(ui.tr("users.col.email"), row.email, max_chars=128, key=f"{key}_email")
    role = st.selectbox(
        ui.tr("users.col.role"),
        roles,
        roles.index(row.role),
        format_func=role_label.get,
        key=f"{key}_role",
    )
    team = st.selectbox(
        ui.tr("users.col.team"),
        team_ids,
        team_ids.index(row.team_id),
        format_func=team_label.get,
        key=f"{key}_team",
    )
    manages = st.multiselect(
        ui.tr("users.col.managed_teams"),
        list(teams),
        list(row.managed_team_ids),
        format_func=teams.get,
        help=ui.tr("users.manages_help"),
        placeholder=ui.tr("users.no_teams"),
        key=f"{key}_manages",
    )
    if st.form_submit_button(ui.tr("users.save"), type="primary", key="users_save"):
        admin.apply(
            lambda s: users.update_user(
                s, me, chosen_id, role=role, team_id=team, display_name=name, email=email,
                manages=manages,
            ),
            ui.tr("users.saved", username=row.username),
        )  # fmt: skip

with access.form(f"users_reset_{chosen_id}", clear_on_submit=True):
    st.subheader(ui.tr("users.reset_password"))
    st.caption(ui.tr("users.reset_help"))
    password = st.text_input(ui.tr("auth.new_password"), type="password", key="users_reset_pw")
    if st.form_submit_button(ui.tr("users.reset_password"), key="users_reset"):
        admin.apply(
            lambda s: users.reset_password(s, me, chosen_id, password),
            ui.tr("users.password_reset", username=row.username),
        )

access = access.container(border=True)
access.subheader(ui.tr("users.access"))
locked = row.locked_until is not None
if access.button(
    ui.tr("users.unlock" if locked else "users.lock"), key="users_lock", disabled=not row.active
):
    admin.apply(
        lambda s: users.set_locked(s, me, chosen_id, not locked),
        ui.tr("users.unlocked" if locked else "users.locked", username=row.username),
    )
if access.button(
    ui.tr("users.reactivate" if not row.active else "users.deactivate"), key="users_active"
):
    admin.apply(
        lambda s: users.set_active(s, me, chosen_id, not row.active),
        ui.tr(
            "users.reactivated" if not row.active else "users.deactivated", username=row.username
        ),
    )

with st.expander(ui.tr("users.add"), icon=":material/person_add:"):
    with st.form("users_add", clear_on_submit=False):
        left, right = st.columns(2)
        new_username = left.text_input(ui.tr("users.col.username"), max_chars=64, key="add_user")
        new_name = right.text_input(ui.tr("users.col.display_name"), max_chars=64, key="add_name")
        new_email = left.text_input(ui.tr("users.col.email"), max_chars=128, key="add_email")
        new_role = right.selectbox(
            ui.tr("users.col.role"), roles, format_func=role_label.get, key="add_role"
        )
        new_team = left.selectbox(
            ui.tr("users.col.team"), team_ids, format_func=team_label.get, key="add_team"
        )
        new_manages = right.multiselect(
            ui.tr("users.col.managed_teams"),
            list(teams),
            format_func=teams.get,
            placeholder=ui.tr("users.no_teams"),
            key="add_manages",
        )
        new_password = left.text_input(
            ui.tr("users.initial_password"), type="password", key="add_password"
        )
        st.caption(ui.tr("users.add_help"))
        if st.form_submit_button(ui.tr("users.add"), type="primary", key="users_add_submit"):
            admin.apply(
                lambda s: users.add_user(
                    s, me, username=new_username, display_name=new_name, role=new_role,
                    password=new_password, team_id=new_team, email=new_email,
                    manages=new_manages,
                ),
                ui.tr("users.added", username=new_username.strip()),
            )  # fmt: skip
