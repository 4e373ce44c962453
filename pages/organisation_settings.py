"""Organisation (admin): regions, teams, product lines, customer types, lead sources, lost
reasons, departments (and their members) and support types (and their standards)."""

import streamlit as st

from salesboard import ui
from salesboard.organisation import lists
from salesboard.ui import organisation, support_setup

admin = ui.page_viewer(__file__)
st.title(ui.tr("org.title"))
st.caption(ui.tr("org.caption"))
organisation.show_flash()
kind = organisation.pick_kind()
regions = ui.cached(lists.entries)("region")
frame = regions if kind == "region" else ui.cached(lists.entries)(kind)
organisation.entries_table(kind, frame, regions)
left, right = st.columns(2)
with left:
    organisation.add_form(admin, kind, regions)
with right:
    organisation.edit_form(admin, kind, frame, regions)
support_setup.extras(admin, kind)  # departments' members, support types' standards (issue 17)
