"""Salesboard entry point: page config, shared chrome (language, sign-in) and the explicit
navigation, which lists only the pages the signed-in role may open."""

import streamlit as st

from salesboard import ui
from salesboard.store.models import Role

st.set_page_config(page_title="Salesboard", page_icon=":material/dashboard:", layout="wide")

ui.language_switch()
ui.require_store()

EVERYONE = frozenset(Role)
ADMIN_ONLY = frozenset({Role.ADMIN})
LEADERS_AND_ADMINS = frozenset({Role.LEADER, Role.ADMIN})


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
        page("pages/goal_attainment.py", "goals.nav", ":material/flag:", "goals"),
        page("pages/goal_forecast.py", "goals.forecast.nav", ":material/trending_up:", "forecast"),
        page(
            "pages/goal_leaderboard.py",
            "goals.board.nav",
            ":material/leaderboard:",
            "leaderboard",
            roles=frozenset({Role.MANAGER, Role.LEADER, Role.ADMIN}),
        ),
        page(
            "pages/goal_settings.py",
            "goals.settings.nav",
            ":material/account_tree:",
            "goal-setup",
            roles=frozenset({Role.LEADER, Role.ADMIN}),
        ),
    ],
    "nav.manager": [
        page("pages/pipeline_review.py", "pipeline.nav", ":material/filter_alt:", "pipeline"),
        page(
            "pages/opportunity_detail.py",
            "deal.nav",
            ":material/work:",
            "opportunity",
        ),
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
        page("pages/data_upload.py", "upload.nav", ":material/upload_file:", "upload"),
        page(
            "pages/calendar_settings.py",
            "calendar.nav",
            ":material/calendar_month:",
            "calendar",
            roles=ADMIN_ONLY,
        ),
        page(
            "pages/stage_settings.py",
            "stages.nav",
            ":material/linear_scale:",
            "stages",
            roles=ADMIN_ONLY,
        ),
    ],
    "nav.admin": [
        page("pages/users_admin.py", "users.nav", ":material/group:", "users", roles=ADMIN_ONLY),
        page(
            "pages/audit_log.py",
            "audit.nav",
            ":material/history:",
            "audit",
            roles=LEADERS_AND_ADMINS,
        ),
    ],
    "nav.account": [
        page("pages/my_account.py", "account.nav", ":material/account_circle:", "account"),
    ],
}

viewer = ui.require_viewer([entry for pages in PAGES.values() for _, entry in pages])
allowed = {
    ui.tr(section): [entry for roles, entry in pages if viewer.role in roles]
    for section, pages in PAGES.items()
}
# expanded: every allowed page is listed (Streamlit's "View N more" link is English-only).
navigation = st.navigation(
    {section: pages for section, pages in allowed.items() if pages}, expanded=True
)
navigation.run()
