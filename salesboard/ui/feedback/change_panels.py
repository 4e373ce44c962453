"""The two panels that show a form's changes field by field: the merge panel after a save
was refused (someone else saved first: both versions, a three-way merge suggestion, save the
merge or discard mine), and an amendment's differences from the confirmed revision."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.feedback.changes import change_id, diff_bodies, merge_bodies, merge_defaults
from salesboard.feedback.queries import FormView, amendment_diff
from salesboard.store.db import read_session
from salesboard.ui.feedback.autosave import forget_form, reset_editors, save
from salesboard.ui.feedback.labels import field_label, local_time, value_text


def conflict_panel(form_id: int, state: dict) -> bool:
    """When a save was refused: both versions field by field and a merge; True while shown."""
    conflict = state["conflict"]
    if not conflict:
        return False
    theirs: FormView = conflict["theirs"]
    mine = conflict["mine"]
    st.error(
        ui.tr(
            "feedback.conflict",
            name=theirs.updated_by_name or "—",
            time=local_time(theirs.updated_at),
        )
    )
    changes = diff_bodies(theirs.body, mine)
    suggested, both = merge_defaults(conflict.get("base", theirs.body), theirs.body, mine)
    # Items by key from both sides, so an item only one side has is named by its problem.
    named = {**theirs.body, "items": mine["items"] + theirs.body["items"]}
    keep = set()
    with st.container(border=True):
        st.markdown(f"**{ui.tr('feedback.merge.title')}**")
        for change in changes:
            cid = change_id(change)
            st.markdown(f"**{ui.escape_markdown(field_label(change, named))}**")
            left, right, choice = st.columns([3, 3, 2])
            left.caption(ui.tr("feedback.merge.theirs"))
            left.write(ui.escape_markdown(value_text(change, change.old)))
            right.caption(ui.tr("feedback.merge.mine"))
            right.write(ui.escape_markdown(value_text(change, change.new)))
            picked = choice.radio(
                cid, ["mine", "theirs"], key=f"fb_merge_{form_id}_{theirs.version}_{cid}",
                index=0 if cid in suggested else 1,
                format_func=lambda o: ui.tr(f"feedback.merge.take_{o}"), label_visibility="collapsed",
            )  # fmt: skip
            if picked == "mine":
                keep.add(cid)
        if not changes:
            st.caption(ui.tr("feedback.merge.same"))
        save_column, drop = st.columns(2)
        if save_column.button(
            ui.tr("feedback.merge.save"), type="primary", key=f"fb_merge_save_{form_id}"
        ):
            merged = merge_bodies(theirs.body, mine, keep)
            state.update(conflict=None, version=theirs.version, body=theirs.body)
            save(form_id, state, merged)
            reset_editors(state)
            st.rerun()
        if drop.button(ui.tr("feedback.merge.discard"), key=f"fb_merge_drop_{form_id}"):
            forget_form(form_id)
            st.rerun()
    return True


def amendment_panel(viewer: Viewer, form: FormView) -> None:
    """For an amendment: what differs from the confirmed revision it amends."""
    if form.revision <= 1:
        return
    with read_session(ui.engine()) as session:
        changes = amendment_diff(session, viewer, form)
    with st.expander(
        ui.tr("feedback.diff_title", revision=form.revision - 1, count=len(changes)), expanded=True
    ):
        if not changes:
            st.caption(ui.tr("feedback.merge.same"))
            return
        st.dataframe(
            pd.DataFrame(
                {
                    ui.tr("feedback.diff.field"): [field_label(c, form.body) for c in changes],
                    ui.tr("feedback.diff.before"): [value_text(c, c.old) for c in changes],
                    ui.tr("feedback.diff.after"): [value_text(c, c.new) for c in changes],
                }
            ),
            hide_index=True,
            width="stretch",
            placeholder="—",
        )
