"""Goal settings (leaders and admins): edit the goal tree of a period, add goals, split a
goal over the next level, spread a year over months, copy last period, template in/out."""

import streamlit as st

from salesboard import ui
from salesboard.ui.goals import (
    setup_add,
    setup_copy,
    setup_split,
    setup_spread,
    setup_template,
    setup_tree,
)
from salesboard.ui.goals.setup_shared import flash, period_picker
from salesboard.ui.goals.shared import metric_picker

viewer = ui.page_viewer(__file__)
st.title(ui.tr("goals.settings.title"))
period_column, metric_column = st.columns([3, 1])
with period_column:
    period = period_picker()
metric = metric_picker(metric_column)
st.caption(ui.tr("goals.settings.caption"))
flash()

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
    setup_tree.tree_editor(viewer, period, metric)
    setup_tree.delete_box(viewer, period, metric)
with add:
    setup_add.add_goal(viewer, period, metric)
with split:
    setup_split.split_tab(viewer, period, metric)
with spread:
    setup_spread.spread_tab(viewer, period, metric)
with copy:
    setup_copy.copy_tab(viewer, period, metric)
with sheet:
    setup_template.template_tab(viewer, period, metric)
