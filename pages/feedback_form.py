"""Monthly performance feedback form (业绩跟踪与反馈表) for one rep and month: prefilled from
the store, autosaved on every change, submitted by the rep and confirmed by the manager."""

import streamlit as st

from salesboard import ui
from salesboard.calendar.periods import parse_period
from salesboard.feedback.permissions import may_edit
from salesboard.feedback.queries import visible_reps
from salesboard.ui.feedback import autosave, change_panels, header, kpi_table, pickers
from salesboard.ui.feedback.downloads import downloads
from salesboard.ui.feedback.sections import render_sections
from salesboard.ui.feedback.workflow_buttons import FLASH, start_panel, workflow_buttons

viewer = ui.page_viewer(__file__)
st.title(ui.tr("feedback.title"))
reps = ui.cached(visible_reps)(viewer)
left, right = st.columns([1, 2])
with left:
    period = pickers.pick_month(ui.as_of())
with right:
    rep_id = pickers.pick_rep(reps, viewer)
if rep_id is None:
    st.info(ui.tr("feedback.not_visible"))
    st.stop()

flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(ui.escape_markdown(flash))

form = autosave.load_form(viewer, rep_id, period)
if form is None:
    start_panel(viewer, reps.loc[reps["id"] == rep_id].iloc[0], period)
    st.stop()

state = autosave.form_state(form)
notice = state.pop("notice", None)
if notice:
    st.info(ui.escape_markdown(notice))
if state.get("error"):
    st.error(ui.escape_markdown(state["error"]))
header.header(form, state)
if form.status == "returned":
    header.signoff(form)  # the manager's comment first: it says what to change
change_panels.conflict_panel(form.id, state)
change_panels.amendment_panel(viewer, form)
if may_edit(viewer, form) and not state["conflict"]:
    kpi_table.refresh_panel(form, state, parse_period(period))
render_sections(viewer, form, state)
if form.status != "returned":
    header.signoff(form)
workflow_buttons(viewer, form, state)
downloads(form)
