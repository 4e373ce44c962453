"""Salesboard entry point: page config, shared chrome (language, sign-in) and the explicit
navigation of the pages the signed-in role may open (the registry is
``salesboard.ui.navigation.PAGES``; nothing is auto-discovered)."""

import streamlit as st

from salesboard import ui

st.set_page_config(page_title="Salesboard", page_icon=":material/dashboard:", layout="wide")

# A page that fails shows a translated message with an error id, never a traceback.
with ui.error_boundary():
    ui.language_switch()
    ui.require_store()
    viewer = ui.require_viewer(ui.every_page())
    ui.navigation_for(viewer).run()
