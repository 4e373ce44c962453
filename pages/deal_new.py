"""New deal (新建商机): the form of ``ui.deal_new``; reps, managers and admins."""

import streamlit as st

from salesboard import ui
from salesboard.ui.deal_new import new_deal_form

viewer = ui.page_viewer(__file__)
st.title(ui.tr("work.new_deal"))
new_deal_form()
