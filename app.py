"""Salesboard entry point: page config, shared chrome (language) and the explicit navigation."""

import streamlit as st

from salesboard import ui

st.set_page_config(page_title="Salesboard", page_icon=":material/dashboard:", layout="wide")

ui.language_switch()

# Every page is listed here, grouped by who uses it; nothing is auto-discovered.
# A url_path must differ from its file's name: Streamlit still serves a URL that matches a
# file in pages/ as a legacy page that skips this entry point (tests/test_meta.py checks).
PAGES = {
    "nav.leadership": [
        st.Page(
            "pages/overview.py",
            title=ui.tr("overview.nav"),
            icon=":material/dashboard:",
            url_path="home",
            default=True,
        ),
    ],
    "nav.data": [
        st.Page(
            "pages/calendar_settings.py",
            title=ui.tr("calendar.nav"),
            icon=":material/calendar_month:",
            url_path="calendar",
        ),
    ],
}

navigation = st.navigation({ui.tr(section): pages for section, pages in PAGES.items()})
ui.require_store()
navigation.run()
