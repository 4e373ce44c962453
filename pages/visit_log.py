"""Visits (拜访): log or plan a visit on a deal or to a customer — ``ui.visit_page``."""

import streamlit as st

from salesboard import ui
from salesboard.ui.visit_page import visit_page

viewer = ui.page_viewer(__file__)
st.title(ui.tr("work.visit_nav"))
visit_page()
