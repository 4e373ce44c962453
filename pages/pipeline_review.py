"""Weekly pipeline review (issue 3): the page a sales manager puts on the screen — funnel,
stage durations and the bottleneck, overdue deals (editable), what changed this week,
common risks and stage KPIs, for the filters in the URL."""

import streamlit as st

from salesboard import ui
from salesboard.pipeline.funnel import DEFAULT_MODE
from salesboard.store.queries import has_opportunities
from salesboard.ui import pipeline_review as review
from salesboard.ui.filter_bar import filter_bar
from salesboard.ui.improvement_link import open_actions_line
from salesboard.ui.pipeline_export import export_popover, scope_text

ui.page_viewer(__file__)
title, export = st.columns([5, 1], vertical_alignment="bottom")
title.title(ui.tr("pipeline.title"))
bar = filter_bar(default_kind="week")  # the weekly review opens on the week
caption = ui.tr(
    "pipeline.caption", period=bar.period.label, start=bar.period.start, end=bar.period.end
)
st.caption(
    " · ".join(
        p
        for p in (
            caption,
            ui.tr("period.as_of", date=bar.as_of),
            ui.escape_markdown(scope_text(bar)),
        )
        if p
    )
)
ui.calendar_notice(bar.as_of, bar.period.end)
open_actions_line()  # the improvement actions under way (issue 16)

if not ui.cached(has_opportunities)():
    st.info(ui.tr("store.empty", command=ui.Markdown("`python -m salesboard demo`")))
    st.stop()
with export:
    export_popover(bar, st.session_state.get("pl_mode") or DEFAULT_MODE)

# Lazy tabs: only the open one runs. Its code is kept in ?section= so a link reopens it.
labels = {section: ui.tr(f"pipeline.tab_{section}") for section in review.SECTIONS}
wanted = st.query_params.get("section")
tabs_key = f"pl_tabs_{ui.lang()}"
tabs = st.tabs(
    list(labels.values()),
    default=ui.lasting_default(tabs_key, labels.get(wanted, labels["funnel"])),
    key=tabs_key,
    on_change="rerun",
)
for (section, draw), tab in zip(review.SECTIONS.items(), tabs, strict=True):
    if tab.open:
        ui.mirror_to_url("section", None if section == "funnel" else section)
        with tab:
            draw(bar)
