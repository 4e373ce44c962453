"""Lead settings (admins, issue 17): working hours and the time-to-assign standard, scoring
criteria, assignment rules and the inbound API tokens."""

import streamlit as st

from salesboard import ui
from salesboard.ui import lead_settings_page as page

ui.page_viewer(__file__)
st.title(ui.tr("lset.title"))
st.caption(ui.tr("lset.caption"))
page.hours_section()
page.criteria_section()
page.rules_section()
page.tokens_section()
