"""Goal settings (leaders and admins): edit the goal tree of a period, add goals, split a
goal over the next level, spread a year over months, copy last period, template in/out."""

import streamlit as st

from salesboard import ui
from salesboard.ui import goal_editing
from salesboard.ui import goals as goal_ui

viewer = ui.page_viewer(__file__)
st.title(ui.tr("goals.settings.title"))
period_column, metric_column = st.columns([3, 1])
with period_column:
    period = goal_editing.period_picker()
metric = goal_ui.metric_picker(metric_column)
st.caption(ui.tr("goals.settings.caption"))
goal_editing.flash()

tree, add, split, spread, copy, sheet = st.tabs(
    [
        ui.tr("goals.settings.tab_tree"),
        ui.tr("goals.settings.tab_add"),
        ui.tr("goals.settings.tab_split"),
        ui.tr("goals.settings.tab_spread"),
        ui.tr("goals.settings.tab_copy"),
        ui.tr("goals.settings.tab_template"),
    ]
)
with tree:
    goal_editing.tree_editor(viewer, period, metric)
    goal_editing.delete_box(viewer, period, metric)
with add:
    goal_editing.add_goal(viewer, period, metric)
with split:
    goal_editing.split_tab(viewer, period, metric)
with spread:
    goal_editing.spread_tab(viewer, period, metric)
with copy:
    goal_editing.copy_tab(viewer, period, metric)
with sheet:
    goal_editing.template_tab(viewer, period, metric)
