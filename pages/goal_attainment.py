"""Goal attainment: the goal tree of a period and metric, drilled from the company down to a
rep, coloured by attainment against the time elapsed, with the decomposition check."""

import streamlit as st

from salesboard import ui
from salesboard.goals import present
from salesboard.goals.view import goal_tree
from salesboard.i18n import format_percent
from salesboard.store.models import GoalMetric
from salesboard.ui import goals as goal_ui

lang = ui.lang()
viewer = ui.page_viewer(__file__)
st.title(ui.tr("goals.title"))
period, metric = goal_ui.period_and_metric()
effective = False
if metric == GoalMetric.VISITS:
    effective = st.toggle(ui.tr("goals.effective_visits"), key="effective_visits")
as_of = ui.as_of()

view = ui.cached(goal_tree)(viewer, period.label, metric, as_of, effective)
st.caption(
    ui.tr(
        "goals.caption",
        period=period.label,
        date=as_of.isoformat(),
        elapsed=format_percent(view.elapsed),
    )
    + " · "
    + goal_ui.unit_caption(view)
)
if view.empty:
    st.info(ui.tr("goals.empty", metric=ui.tr(f"goals.metric.{metric}"), period=period.label))
    st.stop()
if view.nodes["context"].any():
    st.info(ui.tr("goals.context_note"))

node = goal_ui.current_node(view)
goal_ui.breadcrumb(view, node)
sentence = present.split_sentence(view, node, lang)
if sentence:
    st.markdown(f"**{ui.tr('goals.split')}** {sentence}")
goal_ui.node_tiles(view, node)

chart, side = st.columns([3, 1])
with chart:
    goal_ui.treemap(view, node)
with side:
    goal_ui.drill_selector(view, node)
    st.caption(ui.tr("goals.map_help"))
goal_ui.node_table(view, node)
goal_ui.findings_section(view, node)
goal_ui.downloads(view)
