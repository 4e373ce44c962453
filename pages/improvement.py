"""Improvement actions (优化行动, issue 16): the board and table of process improvements by
status with overdue ones marked, the XLSX export, and one action (``?action=ID``) with its
pilot teams, history and "did it work" (before vs after, pilots vs the rest)."""

import streamlit as st

from salesboard import ui
from salesboard.ui import improvement_page as page

ui.page_viewer(__file__)
requested = st.query_params.get("action", "")
if requested.isdigit():
    page.action_detail(int(requested))
else:
    st.title(ui.tr("improve.title"))
    st.caption(ui.tr("improve.caption"))
    page.actions_list()
