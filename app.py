"""Salesboard entry point: page config, shared chrome (language, sign-in) and the explicit
navigation, which lists only the pages the signed-in role may open."""

import streamlit as st

from salesboard import ui
from salesboard.models import Role

st.set_page_config(page_title="Salesboard", page_icon=":material/dashboard:", layout="wide")

ui.language_switch()
ui.require_store()

EVERYONE = frozenset(Role)
ADMIN_ONLY = frozenset({Role.ADMIN})


def page(path: str, title: str, icon: str, url_path: str, roles=EVERYONE, default=False):
    """A navigation entry and the roles that may open it."""
    entry = st.Page(path, title=ui.tr(title), icon=icon, url_path=url_path, default=default)
    return roles, entry


# Every page is listed here, grouped by who uses it; nothing is auto-discovered.
# A url_path must differ from its file's name: Streamlit still serves a URL that matches a
# file in pages/ as a legacy page that skips this entry point (tests/test_meta.py checks).
PAGES = {
    "nav.leadership": [
        page("pages/overview.py", "overview.nav", ":material/dashboard:", "home", default=True),
    ],
    "nav.feedback": [
        page("pages/feedback_form.py", "feedback.nav", ":material/assignment:", "feedback"),
        page(
            "pages/feedback_team.py",
            "feedback_team.nav",
            ":material/groups:",
            "feedback-team",
            roles=frozenset({Role.MANAGER, Role.LEADER, Role.ADMIN}),
        ),
    ],
    "nav.data": [
        page(
            "pages/calendar_settings.py",
            "calendar.nav",
            ":material/calendar_month:",
            "calendar",
            roles=ADMIN_ONLY,
        ),
    ],
}

viewer = ui.require_viewer([entry for pages in PAGES.values() for _, entry in pages])
allowed = {
    ui.tr(section): [entry for roles, entry in pages if viewer.role in roles]
    for section, pages in PAGES.items()
}
navigation = st.navigation({section: pages for section, pages in allowed.items() if pages})
navigation.run()
