"""The Organisation page's part for departments and support types (issue 17): who works
each department's queue, and each type's default department and response standard."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.organisation import departments as org
from salesboard.organisation.lists import OrganisationError


def _refused(error: Exception) -> None:
    if isinstance(error, OrganisationError):
        st.error(ui.tr(f"org.error.{error.code}", **{k: str(v) for k, v in error.params.items()}))
    else:
        st.error(ui.tr("org.error.admin_only"))


def extras(admin: Viewer, kind: str) -> None:
    """Members (departments) or department and standard (support types); nothing else."""
    if kind == "department":
        _members(admin)
    elif kind == "support_type":
        _type_settings(admin)


def _name(row) -> str:
    return str(row["name_zh"] if ui.lang() == "zh" else row["name_en"])


def _members(admin: Viewer) -> None:
    frame = ui.cached(org.departments)()
    if frame.empty:
        return
    choices = ui.cached(org.member_choices)()
    st.subheader(ui.tr("org.members_title"))
    st.caption(ui.tr("org.members_help"))
    st.dataframe(
        pd.DataFrame({
            ui.tr_text("org.kind.department"): [_name(r) for _, r in frame.iterrows()],
            ui.tr_text("org.col.members"): ["、".join(choices.get(u, u) for u in m) or "—"
                                            for m in frame["members"]],
        }),
        hide_index=True, key="org_department_members",
    )  # fmt: skip
    labels = {r["code"]: _name(r) for _, r in frame.iterrows()}
    code = st.selectbox(ui.tr("org.entry"), list(labels), format_func=labels.get,
                        key="org_members_pick")  # fmt: skip
    current = list(frame.set_index("code").loc[code, "members"])
    with st.form(f"org_members_{code}"):
        chosen = st.multiselect(ui.tr("org.col.members"), list(choices), default=current,
                                format_func=lambda u: choices.get(u, u),
                                placeholder=ui.tr_text("work.choose"), key=f"org_members_{code}_pick")  # fmt: skip
        if not st.form_submit_button(ui.tr("org.save")):
            return
    try:
        with ui.writing() as session:
            org.set_members(session, admin, code, chosen)
    except (OrganisationError, PermissionDenied) as error:
        _refused(error)
        return
    st.success(ui.tr("org.saved", name=labels[code]))


def _type_settings(admin: Viewer) -> None:
    types = ui.cached(org.support_types)()
    depts = ui.cached(org.departments)(True)
    if types.empty or depts.empty:
        return
    dept_names = {r["code"]: _name(r) for _, r in depts.iterrows()}
    st.subheader(ui.tr("org.support_settings"))
    st.dataframe(
        pd.DataFrame({
            ui.tr_text("org.kind.support_type"): [_name(r) for _, r in types.iterrows()],
            ui.tr_text("org.col.department"): types["department"].map(lambda c: dept_names.get(c, "—")),
            ui.tr_text("org.col.response_days"): types["response_days"],
        }),
        hide_index=True, key="org_support_types",
    )  # fmt: skip
    labels = {r["code"]: _name(r) for _, r in types.iterrows()}
    code = st.selectbox(ui.tr("org.entry"), list(labels), format_func=labels.get,
                        key="org_type_pick")  # fmt: skip
    row = types.set_index("code").loc[code]
    options = list(dept_names)
    with st.form(f"org_type_{code}"):
        department = st.selectbox(
            ui.tr("org.col.department"), options, format_func=dept_names.get,
            index=options.index(row["department"]) if row["department"] in options else 0,
            key=f"org_type_{code}_department",
        )  # fmt: skip
        days = st.number_input(ui.tr("org.col.response_days"), min_value=0,
                               max_value=org.MAX_RESPONSE_DAYS, value=int(row["response_days"]),
                               step=1, key=f"org_type_{code}_days")  # fmt: skip
        if not st.form_submit_button(ui.tr("org.save")):
            return
    try:
        with ui.writing() as session:
            org.set_type_settings(session, admin, code, department=department, response_days=days)
    except (OrganisationError, PermissionDenied) as error:
        _refused(error)
        return
    st.success(ui.tr("org.saved", name=labels[code]))
