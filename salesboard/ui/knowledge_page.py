"""The knowledge base page (知识库): search by words and tag, read entries (Markdown rendered
safely), write a new one (managers, leaders, admins) and edit one (version-checked); an
entry's files are downloaded by everyone and attached by writers."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.deals.attachments import EXTENSIONS, AttachmentRefused
from salesboard.i18n import format_count
from salesboard.improvement import knowledge, knowledge_files
from salesboard.improvement.errors import ImprovementError
from salesboard.store.db import read_session
from salesboard.store.settings import get_settings
from salesboard.ui.file_drop import file_drop, file_list
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
    files(entry_id, writer=knowledge.may_write(viewer))
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


_GENERATION = "kb_file_generation"


def _file_content(file_id: int) -> bytes:
    """A file's bytes, read when the user clicks download (never on render)."""
    with read_session(ui.engine()) as session:
        found = knowledge_files.read_file(session, file_id)
    return found[2] if found else b""


def files(entry_id: int, *, writer: bool) -> None:
    """The entry's files with download buttons, and for writers a picker to attach one (its
    key changes after each attach, so a saved file is not attached again)."""
    st.subheader(ui.tr("knowledge.files"))
    found = ui.cached(knowledge_files.files_of)(entry_id)
    if found.empty:
        st.caption(ui.tr("knowledge.no_files"))
    file_list(found, _file_content, key="kb_file", label=ui.tr("knowledge.download"))
    if not writer:
        return
    generation = st.session_state.get(_GENERATION, 0)
    with st.form(f"kb_attach_{entry_id}", border=False, clear_on_submit=True):
        upload = file_drop(
            ui.tr("knowledge.file"), sorted({e for exts in EXTENSIONS.values() for e in exts}),
            key=f"kb_attach_file_{entry_id}_{generation}",
            limit_mb=get_settings().attachment_max_mb,
        )  # fmt: skip
        submitted = st.form_submit_button(ui.tr("knowledge.attach"), icon=":material/attach_file:")
    if not submitted or upload is None:
        return
    try:
        with ui.writing() as session:
            knowledge_files.attach_file(
                session, ui.viewer(), entry_id, upload.name, upload.getvalue()
            )
    except AttachmentRefused as exc:
        st.error(ui.tr(f"attachment.error.{exc.code}", **exc.params))
        return
    except ImprovementError as exc:
        refusal(exc)
        return
    st.session_state[_GENERATION] = generation + 1
    st.rerun()
