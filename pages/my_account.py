"""My account (everyone): who I am here, and changing my own password."""

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts import users
from salesboard.ui import admin, signin

viewer = ui.page_viewer(__file__)
st.title(ui.tr("account.title"))
summary = ui.cached(users.account_summary)(viewer)
facts = {
    ui.tr("users.col.username"): summary["username"],
    ui.tr("users.col.display_name"): summary["display_name"],
    ui.tr("users.col.email"): summary["email"] or "—",
    ui.tr("users.col.role"): ui.tr(f"role.{summary['role']}"),
    ui.tr("users.col.team"): summary["team"] or "—",
}
if summary["managed_teams"]:
    facts[ui.tr("users.col.managed_teams")] = summary["managed_teams"]
facts[ui.tr("account.previous_sign_in")] = admin.local_time(summary["previous_sign_in"])
facts[ui.tr("account.password_changed")] = admin.local_time(summary["password_changed_at"])
left, _ = st.columns([3, 2])
left.dataframe(
    pd.DataFrame(
        {ui.tr("account.field"): list(facts), ui.tr("account.value"): list(facts.values())}
    ),
    hide_index=True,
    placeholder="—",
)

left.subheader(ui.tr("auth.change_password"))
if signin.oidc_enabled():
    left.info(ui.tr("account.oidc_password"))
else:
    with left:
        if signin.change_password_form(ui.engine(), ui.tr, viewer, key="account_password"):
            ui.clear_cached()
