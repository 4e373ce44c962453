"""The weekly review's support-breach list (issue 17): requests of the deals in view still
waiting past their response standard, and those answered late in the period — or a clear
"no breaches"."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.support import requests
from salesboard.ui.filter_bar import FilterBar
from salesboard.ui.support_common import requests_table

COLUMNS = ("deal", "type", "department", "requested_on", "waited", "standard", "over", "status",
           "owner")  # fmt: skip


def breaches_section(bar: FilterBar) -> None:
    """The breaching requests the viewer may see within the bar's filters and period."""
    st.caption(ui.tr("support.breaches_caption"))
    frame = ui.cached(requests.breaches)(ui.viewer(), bar.as_of, bar.period.start, bar.filters)
    if frame.empty:
        st.success(ui.tr("support.no_breaches"), icon=":material/task_alt:")
        return
    requests_table(frame, COLUMNS, key="review_support_breaches")
    st.page_link("pages/support_queue.py", label=ui.tr("support.nav"),
                 icon=":material/support_agent:", query_params={"status": "open"})  # fmt: skip
