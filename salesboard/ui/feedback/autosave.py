"""This browser session's copy of a form, and the autosave that keeps no input from being
lost.

Every ``st.data_editor`` has an ``on_change`` callback (``on_edit``) that applies the
editor's cumulative changes (``edited_rows`` / ``added_rows`` / ``deleted_rows``) to the form
body with ``feedback.form.apply_editor_changes`` and saves the draft with the version this
browser session loaded. A refresh or a new tab starts from the stored draft. A save refused
because someone else saved first keeps this user's body in the session (``state["conflict"]``)
for the merge panel (``change_panels``).
"""

from __future__ import annotations

import copy
import uuid

import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.feedback import queries, workflow
from salesboard.feedback.form import GROWABLE, apply_editor_changes
from salesboard.store.db import read_session
from salesboard.ui.feedback.labels import local_time

_FORMS = "fb_forms"  # session key: per form id, what this browser session holds


def load_form(viewer: Viewer, rep_id: int, period: str) -> queries.FormView | None:
    """The newest revision of the rep's form, read fresh (never cached: the version matters)."""
    with read_session(ui.engine()) as session:
        return queries.find_form(session, viewer, rep_id, period)


def _fresh_state(form: queries.FormView) -> dict:
    return {
        "version": form.version,
        "body": copy.deepcopy(form.body),
        "gen": uuid.uuid4().hex[:8],
        "bases": {s: copy.deepcopy(form.body[s]) for s in GROWABLE},
        "problems": {},
        "conflict": None,
        "saved_at": None,
    }


def form_state(form: queries.FormView) -> dict:
    """What this session holds for ``form``; reloaded when someone else saved meanwhile and
    nothing of ours is waiting to be merged."""
    states = st.session_state.setdefault(_FORMS, {})
    state = states.get(form.id)
    if state is None:
        state = states[form.id] = _fresh_state(form)
    elif state["version"] != form.version and not state["conflict"]:
        moved = state["version"] < form.version
        state = states[form.id] = _fresh_state(form)
        if moved:
            state["notice"] = ui.tr(
                "feedback.reloaded",
                name=form.updated_by_name,
                time=local_time(form.updated_at),
                version=form.version,
            )
    return state


def reload_state(form: queries.FormView) -> None:
    """Drop what this session holds for the form (after a transition or a refresh)."""
    st.session_state.setdefault(_FORMS, {})[form.id] = _fresh_state(form)


def forget_form(form_id: int) -> None:
    """Drop this session's copy of the form entirely (the user discarded their changes)."""
    st.session_state[_FORMS].pop(form_id, None)


def reset_editors(state: dict) -> None:
    """New editor widgets based on the body this session holds (after a merge or refresh)."""
    state["gen"] = uuid.uuid4().hex[:8]
    state["bases"] = {s: copy.deepcopy(state["body"][s]) for s in GROWABLE}
    state["problems"] = {}


def widget_key(section: str, form_id: int, state: dict) -> str:
    """The editor widget's key for ``section`` of the form in this session's generation."""
    return f"fb_{section}_{form_id}_{state['gen']}"


def save(form_id: int, state: dict, body: dict) -> None:
    """Save ``body`` as the draft at the version this session holds; on a conflict keep
    ``body`` for the merge panel."""
    viewer = ui.viewer()
    try:
        with ui.writing() as session:
            saved = workflow.save_draft(session, viewer, form_id, state["version"], body)
    except workflow.StaleForm as stale:
        # "base": the version this user loaded, for the three-way merge suggestion.
        state["conflict"] = {"theirs": stale.current, "mine": body, "base": state["body"]}
        return
    except workflow.FormError as error:
        # The code's message only: the exception's own text is English, for the log.
        state["error"] = ui.tr(f"feedback.error.{error.code}")
        return
    except PermissionDenied:
        state["error"] = ui.tr("feedback.error.permission")
        return
    state.update(version=saved.version, body=saved.body, saved_at=saved.updated_at)


def on_edit(section: str, form_id: int) -> None:
    """The editors' ``on_change``: apply the section's changes and save the draft."""
    state = st.session_state[_FORMS][form_id]
    changes = st.session_state.get(widget_key(section, form_id, state)) or {}
    base = state["bases"][section] if section in GROWABLE else state["body"][section]
    rows, problems = apply_editor_changes(section, base, dict(changes), key_prefix=state["gen"])
    state["problems"][section] = problems
    state.pop("error", None)
    if state["conflict"]:
        state["conflict"]["mine"] = {**state["conflict"]["mine"], section: rows}
        return
    if rows != state["body"][section]:
        save(form_id, state, {**state["body"], section: rows})
