"""Best practices (知识库, issue 16): entries worth copying — from won deals, reps, feedback
form items and improvement actions — searchable in Chinese and English; ``?entry=ID`` opens
one."""

import streamlit as st

from salesboard import ui
from salesboard.ui import knowledge_page as page

ui.page_viewer(__file__)
st.title(ui.tr("knowledge.title"))
st.caption(ui.tr("knowledge.caption"))
requested = st.query_params.get("entry", "")
if requested.isdigit():
    page.entry_detail(int(requested))
else:
    page.new_entry()
    page.search()
