"""The customer matrix (客户分类矩阵, seed 001): potential × current value per region, with
counts, amounts and the suggested effort; each quadrant opens its customers. Admins edit the
thresholds."""

import streamlit as st

from salesboard import ui
from salesboard.ui import customers_page as page

ui.page_viewer(__file__)
st.title(ui.tr("matrix.title"))
page.matrix_page()
