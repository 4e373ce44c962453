"""The sign-off steps as buttons, each shown only to whom ``feedback.permissions`` allows it:
start the month's form, submit (the rep), review with the hand-changed actuals, confirm or
return with a comment (the manager), and amend a confirmed form. A refused step says why
instead of raising."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.feedback import workflow
from salesboard.feedback.permissions import may_amend, may_edit, may_review, may_start
from salesboard.feedback.queries import FormView
from salesboard.ui.feedback.autosave import reload_state
from salesboard.ui.feedback.kpi_table import overrides_panel
from salesboard.ui.feedback.labels import local_time
from salesboard.ui.feedback.problems import show_problems

FLASH = "fb_flash"  # session key: the message shown once after a step and its rerun
_SUBMIT_PROBLEMS = "fb_submit_problems"


def start_panel(viewer: Viewer, rep: pd.Series, period: str) -> None:
    """No form yet: say so, and let the rep (or their manager / an admin) start it.
    ``rep`` is the rep's row of ``queries.visible_reps``."""
    st.info(ui.tr("feedback.not_started", rep=rep["display_name"], period=period))
    team_id = None if pd.isna(rep["team_id"]) else int(rep["team_id"])
    if not may_start(viewer, int(rep["id"]), team_id):
        return
    if st.button(
        ui.tr("feedback.start"), type="primary", key="fb_start", help=ui.tr("feedback.start_help")
    ):
        try:
            with ui.writing() as session:
                workflow.start_form(session, viewer, int(rep["id"]), period)
        except (PermissionDenied, workflow.FormError):
            st.error(ui.tr("feedback.error.permission"))
            return
        st.rerun()


def _run(action, *args) -> FormView | None:
    """Run a workflow step; show why it was refused instead of raising."""
    viewer = ui.viewer()
    try:
        with ui.writing() as session:
            return action(session, viewer, *args)
    except workflow.StaleForm as stale:
        st.error(
            ui.tr("feedback.stale_action", name=stale.current.updated_by_name,
                  time=local_time(stale.current.updated_at))
        )  # fmt: skip
    except workflow.FormError as error:
        if error.code == "invalid":
            st.session_state[_SUBMIT_PROBLEMS] = error.problems
        else:
            st.error(ui.tr(f"feedback.error.{error.code}"))
    except PermissionDenied:
        st.error(ui.tr("feedback.error.permission"))
    return None


def _submit_button(form: FormView, state: dict) -> None:
    problems = st.session_state.pop(_SUBMIT_PROBLEMS, None)
    if st.button(ui.tr("feedback.submit"), type="primary", key="fb_submit"):
        done = _run(workflow.submit, form.id, state["version"])
        if done is not None:
            reload_state(done)
            st.session_state[FLASH] = ui.tr("feedback.submitted_ok")
            st.rerun()
        problems = st.session_state.pop(_SUBMIT_PROBLEMS, None)
    if problems:
        show_problems(problems, state["body"], blocking=True)


def _review(form: FormView) -> None:
    st.subheader(ui.tr("feedback.review"))
    overrides_panel(form)
    comment = st.text_area(
        ui.tr("feedback.return_comment"), key=f"fb_comment_{form.id}", max_chars=2000
    )
    confirm, give_back = st.columns(2)
    if confirm.button(ui.tr("feedback.confirm"), type="primary", key="fb_confirm"):
        if _run(workflow.confirm, form.id, form.version) is not None:
            st.session_state[FLASH] = ui.tr("feedback.confirmed_ok")
            st.rerun()
    if give_back.button(ui.tr("feedback.return"), key="fb_return"):
        if _run(workflow.return_form, form.id, form.version, comment) is not None:
            st.session_state[FLASH] = ui.tr("feedback.returned_ok")
            st.rerun()


def workflow_buttons(viewer: Viewer, form: FormView, state: dict) -> None:
    """Submit (rep), confirm / return (manager), amend (confirmed forms)."""
    if may_edit(viewer, form):
        _submit_button(form, state)
    if may_review(viewer, form):
        _review(form)
    if may_amend(viewer, form) and st.button(
        ui.tr("feedback.amend"), key="fb_amend", help=ui.tr("feedback.amend_help")
    ):
        if _run(workflow.amend, form.id) is not None:
            st.rerun()
