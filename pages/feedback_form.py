"""Monthly performance feedback form (业绩跟踪与反馈表) for one rep and month: prefilled from
the store, autosaved on every change, submitted by the rep and confirmed by the manager."""

import streamlit as st

from salesboard import ui
from salesboard.calendar.periods import parse_period
from salesboard.feedback import store
from salesboard.ui import feedback_editor as fe

viewer = ui.page_viewer(__file__)
st.title(ui.tr("feedback.title"))
reps = ui.cached(store.visible_reps)(viewer)
left, right = st.columns([1, 2])
with left:
    period = fe.pick_month(ui.as_of())
with right:
    rep_id = fe.pick_rep(reps, viewer)
if rep_id is None:
    st.info(ui.tr("feedback.not_visible"))
    st.stop()

flash = st.session_state.pop("fb_flash", None)
if flash:
    st.success(ui.escape_markdown(flash))

form = fe.load_form(viewer, rep_id, period)
if form is None:
    fe.start_panel(viewer, rep_id, period, reps.loc[reps["id"] == rep_id, "display_name"].iloc[0])
    st.stop()

state = fe.form_state(form)
notice = state.pop("notice", None)
if notice:
    st.info(ui.escape_markdown(notice))
if state.get("error"):
    st.error(ui.escape_markdown(state["error"]))
fe.header(form, state)
if form.status == "returned":
    fe.signoff(form)  # the manager's comment first: it says what to change
fe.conflict_panel(form.id, state)
fe.amendment_panel(viewer, form)
if fe.may_edit(viewer, form) and not state["conflict"]:
    fe.refresh_panel(form, state, parse_period(period))
fe.render_sections(viewer, form, state)
if form.status != "returned":
    fe.signoff(form)
fe.workflow_buttons(viewer, form, state)
fe.downloads(form)
