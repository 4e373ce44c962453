"""One customer (``?id=``): value figures over the trailing window, its deals, visits, key
actions, collections and contacts, and the potential set by hand (managers, admins). A
customer the viewer may not see reads as not found."""

import streamlit as st

from salesboard import ui
from salesboard.ui import customers_page as page

ui.page_viewer(__file__)
requested = st.query_params.get("id", "")
if requested.isdigit():
    page.customer_detail(int(requested))
else:
    st.title(ui.tr("cust.title"))
    st.info(ui.tr("cust.enter_id"))
    st.page_link("pages/customer_list.py", label=ui.tr("cust.back"), icon=":material/arrow_back:")
