"""The knowledge base page (知识库): search by words and tag, read entries (Markdown rendered
safely), write a new one (managers, leaders, admins) and edit one (version-checked)."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.i18n import format_count
from salesboard.improvement import knowledge
from salesboard.improvement.errors import ImprovementError
from salesboard.ui.improvement_link import practice_fields, practice_url, refusal
from salesboard.ui.markdown import safe_markdown


def source_text(row) -> str:
    """Where an entry came from, linked back when it has a link."""
    kind = row["source_kind"] if row["source_kind"] in knowledge.SOURCE_KINDS else "manual"
    text = ui.tr(f"knowledge.source.{kind}", ref=row["source_ref"])
    link = row["source_link"]
    return f"[{text}]({link})" if link.startswith("/") else text


def _show(row, *, expanded: bool) -> None:
    tags = knowledge.tag_list(row["tags"])
    with st.expander(ui.escape_markdown(row["title"]), expanded=expanded):
        if tags:
            st.markdown(
                " ".join(f":blue-badge[{ui.escape_markdown(t, inline=True)}]" for t in tags)
            )
        st.markdown(safe_markdown(row["body"]))
        st.caption(ui.tr("knowledge.source", source=ui.Markdown(source_text(row))))
        st.markdown(f"[#{int(row['id'])}]({practice_url(int(row['id']))})")


def search() -> None:
    """The search box, the tag filter and the entries found."""
    left, right = st.columns([3, 1])
    text = left.text_input(
        ui.tr("knowledge.search"),
        key="kb_search",
        placeholder=ui.tr_text("knowledge.search_placeholder"),
    )
    tags = ui.cached(knowledge.all_tags)()
    tag = right.selectbox(
        ui.tr("knowledge.tag"),
        tags,
        index=None,
        key="kb_tag",
        placeholder=ui.tr_text("improve.all"),
    )
    found = ui.cached(knowledge.search_practices)(text.strip(), tag or "")
    if found.empty:
        st.info(ui.tr("knowledge.none" if text or tag else "knowledge.empty"))
        return
    st.caption(ui.tr("knowledge.found", count=format_count(len(found))))
    for _, row in found.iterrows():
        _show(row, expanded=len(found) == 1)


def new_entry() -> None:
    """A form for a new entry (for those who may write)."""
    viewer = ui.viewer()
    if not knowledge.may_write(viewer):
        return
    with st.expander(ui.tr("knowledge.new"), icon=":material/add:"):
        with st.form("kb_new", clear_on_submit=True):
            values = practice_fields({}, "kb_new")
            submitted = st.form_submit_button(ui.tr("knowledge.save"), type="primary")
        if submitted:
            try:
                with ui.writing() as session:
                    entry = knowledge.create_practice(session, viewer, values)
            except ImprovementError as exc:
                refusal(exc)
                return
            st.success(ui.tr("knowledge.saved", id=entry))


def entry_detail(entry_id: int) -> None:
    """One entry, and its edit form for writers."""
    st.page_link(
        "pages/knowledge.py", label=ui.tr_text("knowledge.open"), query_params={"lang": ui.lang()}
    )
    try:
        row = ui.cached(knowledge.practice)(entry_id)
    except ImprovementError:
        st.info(ui.tr("knowledge.not_found"))
        return
    _show(row, expanded=True)
    viewer = ui.viewer()
    if not knowledge.may_write(viewer):
        return
    seen = st.session_state.setdefault(f"kb_seen_{entry_id}", int(row["version"]))
    with st.expander(ui.tr("knowledge.edit")), st.form(f"kb_edit_{entry_id}"):
        values = practice_fields(row, f"kb_edit_{entry_id}")
        if st.form_submit_button(ui.tr("knowledge.save"), type="primary"):
            try:
                with ui.writing() as session:
                    knowledge.update_practice(session, viewer, entry_id, seen, values)
            except ImprovementError as exc:
                refusal(exc)
                return
            st.session_state.pop(f"kb_seen_{entry_id}", None)
            st.rerun()
