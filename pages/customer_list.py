"""Customers (客户): the customers the viewer sees with their current value, open pipeline,
potential and matrix quadrant; search, region, quadrant and owner filters kept in the URL;
paginated in SQL."""

import streamlit as st

from salesboard import ui
from salesboard.ui import customers_page as page

ui.page_viewer(__file__)
st.title(ui.tr("cust.title"))
page.customer_list()
