"""Leads (线索, issue 17): status tiles, the list with filters in the URL, assignment breaches
against the ≤ 1 working hour standard, conversion by source; one lead (``?lead=ID``) with
assign, convert and reject."""

import streamlit as st

from salesboard import ui
from salesboard.ui import leads_page as page

ui.page_viewer(__file__)
requested = st.query_params.get("lead", "")
if requested.isdigit():
    page.lead_detail(int(requested))
else:
    st.title(ui.tr("leads.title"))
    page.leads_list()
