"""The organisation page's parts: the table of one list, the form that adds to it and the
form that renames, retires or restores an entry (and sets a team's region and managers)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.organisation import lists
from salesboard.organisation.lists import OrganisationError
from salesboard.ui.connection import cached, writing
from salesboard.ui.language import lang, tr, tr_text
from salesboard.ui.url_state import url_segments


def pick_kind() -> str:
    """The list shown, bound to ``?list=``."""
    # Labels computed now: a format function must not look the language up later.
    labels = {kind: tr(f"org.kind.{kind}") for kind in lists.KINDS}
    return url_segments("list", tr("org.list"), list(labels), "region", labels.get)


_FLASH = "_org_flash"


def show_flash() -> None:
    """The outcome of the change the previous run saved, once."""
    done = st.session_state.pop(_FLASH, None)
    if done:
        st.success(done)


def _done(message) -> None:
    """Remember ``message`` and rerun, so the table above shows the change."""
    st.session_state[_FLASH] = message
    st.rerun()


def _refused(error: Exception) -> None:
    if isinstance(error, OrganisationError):
        st.error(tr(f"org.error.{error.code}", **{k: str(v) for k, v in error.params.items()}))
    else:
        st.error(tr("org.error.admin_only"))


def _name(row: pd.Series) -> str:
    return str(row["name_zh"] if lang() == "zh" else row["name_en"])


def entries_table(kind: str, frame: pd.DataFrame, regions: pd.DataFrame) -> None:
    """The entries of ``kind`` as a read-only table in the user's language."""
    if frame.empty:
        st.info(tr("org.empty", kind=tr(f"org.kind.{kind}")))
        return
    # A team is known by its (Chinese) name: no separate code column.
    key_column = {tr("org.col.team"): frame["key"]} if kind == "team" else {
        tr("org.col.key"): frame["key"], tr("org.col.name_zh"): frame["name_zh"]}  # fmt: skip
    shown = pd.DataFrame({**key_column, tr("org.col.name_en"): frame["name_en"]})
    if kind == "team":
        region_names = {r["key"]: _name(r) for _, r in regions.iterrows()}
        managers = cached(lists.manager_choices)()
        shown[tr("org.col.region")] = frame["region"].map(region_names)
        shown[tr("org.col.managers")] = [
            "、".join(managers.get(u, u) for u in names) for names in frame["managers"]
        ]
    shown[tr("org.col.status")] = [
        tr("org.active" if a else "org.retired") for a in frame["active"]
    ]
    st.dataframe(shown, hide_index=True, placeholder="—")


def add_form(actor: Viewer, kind: str, regions: pd.DataFrame) -> None:
    """A form that adds one entry to ``kind``."""
    active_regions = regions[regions["active"]]
    if kind == "team" and active_regions.empty:
        st.info(tr("org.no_regions"))
        return
    with st.form(f"org_add_{kind}", clear_on_submit=True):
        st.subheader(tr("org.add_title", kind=tr(f"org.kind.{kind}")))
        code = "" if kind == "team" else st.text_input(
            tr("org.col.key"), max_chars=32, help=tr("org.code_help"), key=f"org_add_code_{kind}"
        )  # fmt: skip
        name_zh = st.text_input(
            tr("org.col.team" if kind == "team" else "org.col.name_zh"), max_chars=64,
            key=f"org_add_zh_{kind}",
        )  # fmt: skip
        name_en = st.text_input(
            tr("org.col.name_en"), max_chars=64, help=tr("org.name_en_help"),
            key=f"org_add_en_{kind}",
        )  # fmt: skip
        region = None
        if kind == "team":
            names = {r["key"]: _name(r) for _, r in active_regions.iterrows()}
            region = st.selectbox(tr("org.col.region"), list(names), format_func=names.get,
                                  key="org_add_region")  # fmt: skip
        if not st.form_submit_button(tr("org.add")):
            return
    try:
        with writing() as session:
            lists.add_entry(session, actor, kind, code=code, name_zh=name_zh,
                            name_en=name_en, region=region)  # fmt: skip
    except (OrganisationError, PermissionDenied) as error:
        _refused(error)
        return
    _done(tr("org.added", name=name_zh.strip()))


def edit_form(actor: Viewer, kind: str, frame: pd.DataFrame, regions: pd.DataFrame) -> None:
    """A form that renames, retires or restores one entry; a team's region and managers."""
    if frame.empty:
        return
    st.subheader(tr("org.edit_title"))
    labels = {r["key"]: f"{r['key']} · {_name(r)}" if kind != "team" else _name(r)
              for _, r in frame.iterrows()}  # fmt: skip
    key = st.selectbox(tr("org.entry"), list(labels), format_func=labels.get,
                       key=f"org_edit_pick_{kind}")  # fmt: skip
    row = frame.set_index("key").loc[key]
    # Widget keys carry the entry: picking another one starts from its stored values.
    suffix = f"{kind}_{row['id']}"
    with st.form(f"org_edit_{suffix}"):
        name_zh = st.text_input(tr("org.col.team" if kind == "team" else "org.col.name_zh"),
                                value=row["name_zh"], max_chars=64, key=f"org_zh_{suffix}")  # fmt: skip
        stored_en = "" if kind == "team" and row["name_en"] == row["name_zh"] else row["name_en"]
        name_en = st.text_input(tr("org.col.name_en"), value=stored_en, max_chars=64,
                                help=tr("org.name_en_help"), key=f"org_en_{suffix}")  # fmt: skip
        active = st.toggle(tr("org.in_use"), value=bool(row["active"]), key=f"org_on_{suffix}")
        region = managers = None
        if kind == "team":
            names = {r["key"]: _name(r) for _, r in regions.iterrows()}
            region = st.selectbox(tr("org.col.region"), list(names), format_func=names.get,
                                  index=list(names).index(row["region"]),
                                  key=f"org_region_{suffix}")  # fmt: skip
            choices = cached(lists.manager_choices)()
            managers = st.multiselect(
                tr("org.col.managers"), list(choices), default=list(row["managers"]),
                format_func=lambda u: choices.get(u, u), key=f"org_managers_{suffix}",
                placeholder=tr_text("work.choose"),
            )  # fmt: skip
        if not st.form_submit_button(tr("org.save")):
            return
    try:
        with writing() as session:
            changed = lists.change_entry(session, actor, kind, key, name_zh=name_zh,
                                         name_en=name_en, active=active, region=region)  # fmt: skip
            if managers is not None:
                before = list(row["managers"])
                lists.set_team_managers(session, actor, name_zh.strip(), managers)
                changed = changed or sorted(managers) != sorted(before)
    except (OrganisationError, PermissionDenied) as error:
        _refused(error)
        return
    if changed:
        _done(tr("org.saved", name=name_zh.strip()))
    st.info(tr("org.unchanged"))
