"""The manager's view of the team's monthly feedback forms: who has handed in, completion,
links to review, reminders, open and overdue improvement items; admins configure the KPIs."""

import streamlit as st

from salesboard import ui
from salesboard.feedback.queries import open_items, team_status
from salesboard.ui.feedback import team
from salesboard.ui.feedback.metric_settings import config_editor
from salesboard.ui.feedback.pickers import pick_month

viewer = ui.page_viewer(__file__)
st.title(ui.tr("feedback_team.title"))
period = pick_month(ui.as_of())
st.caption(
    ui.tr("feedback_team.caption", period=period) + " · " + ui.tr("period.as_of", date=ui.as_of())
)

tabs = [ui.tr("feedback_team.tab_forms"), ui.tr("feedback_team.tab_items")]
if viewer.is_admin:
    tabs.append(ui.tr("feedback_team.tab_config"))
forms_tab, items_tab, *config_tab = st.tabs(tabs)

with forms_tab:
    frame = ui.cached(team_status)(viewer, period)
    if frame.empty:
        st.info(ui.tr("feedback_team.no_reps"))
    else:
        team.summary_tiles(frame)
        team.forms_table(frame, period)
        team.reminders(frame, period)

with items_tab:
    team.items_table(ui.cached(open_items)(viewer, ui.as_of()))

if config_tab:
    with config_tab[0]:
        config_editor(viewer)
