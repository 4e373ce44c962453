"""Support requests (资源协调, issue 17): a department's queue — waiting requests first, by
expected date — where its people accept, write progress and close them; managers and
leaders see the requests of the deals in their scope, by department."""

import streamlit as st

from salesboard import ui
from salesboard.ui import support_queue

viewer = ui.page_viewer(__file__)
st.title(ui.tr("support.title"))
st.caption(ui.tr("support.caption"))
support_queue.queue_view(viewer)
