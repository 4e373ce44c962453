"""Goal attainment: the goal tree of a period and metric, drilled from the company down to a
rep, coloured by attainment against the time elapsed, with the decomposition check."""

import streamlit as st

from salesboard import ui
from salesboard.goals import present
from salesboard.goals.view import goal_tree
from salesboard.i18n import format_percent
from salesboard.store.models import GoalMetric
from salesboard.ui.goals import attainment, decomposition_check, drill
from salesboard.ui.goals.shared import period_and_metric, unit_caption, viewer_total

lang = ui.lang()
viewer = ui.page_viewer(__file__)
st.title(ui.tr("goals.title"))
period, metric = period_and_metric()
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
    + unit_caption(view)
)
if view.empty:
    st.info(ui.tr("goals.empty", metric=ui.tr(f"goals.metric.{metric}"), period=period.label))
    st.stop()
if view.nodes["context"].any():
    st.info(ui.tr("goals.context_note"))

node = drill.current_node(view)
drill.breadcrumb(view, node)
sentence = present.split_sentence(view, node, lang)
if sentence:
    st.markdown(f"**{ui.tr('goals.split')}** {ui.escape_markdown(sentence)}")
attainment.node_tiles(view, node)
viewer_total(view, node)

chart, side = st.columns([3, 1])
with chart:
    drill.treemap(view, node)
with side:
    drill.drill_selector(view, node)
    st.caption(ui.tr("goals.map_help"))
attainment.node_table(view, node)
decomposition_check.findings_section(view, node)
attainment.downloads(view)
