"""The page registry: every page with its section, title, icon, URL and the roles that may
open it. The entry point builds the navigation from it, and each page's guard
(``page_viewer``) reads the same entry, so a page's roles are stated once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from salesboard.accounts.access import Viewer
from salesboard.store.models import Role
from salesboard.ui.gate import viewer
from salesboard.ui.language import tr

EVERYONE = frozenset(Role)
# The sales organisation: every role but the supporting departments' staff (``support``:
# their queue and My account only).
SALES = EVERYONE - {Role.SUPPORT}
ADMINS = frozenset({Role.ADMIN})
LEADERS = frozenset({Role.LEADER, Role.ADMIN})
MANAGERS = frozenset({Role.MANAGER, Role.LEADER, Role.ADMIN})
# Who works on deals (leaders read only).
DEAL_WRITERS = frozenset({Role.REP, Role.MANAGER, Role.ADMIN})
# Reps and managers work from My work; leaders and admins (the whole company, no own items)
# do not get it: a company-wide to-do list at a million deals is noise, not work.
WORKERS = frozenset({Role.REP, Role.MANAGER})


@dataclass(frozen=True)
class PageEntry:
    """One page: its file, navigation section and title (i18n keys), icon, URL path, who
    may open it and for whom it is the landing page (``default_for``: roles)."""

    path: str
    section: str
    title: str
    icon: str
    url_path: str
    roles: frozenset[str] = SALES
    default_for: frozenset[str] = frozenset()
    # False: reached from links only (its URL works, the sidebar does not list it).
    listed: bool = True

    def page(self, role: str | None = None) -> st.Page:
        """The Streamlit page for the navigation, titled in the user's language; the landing
        page of ``role`` (None: signed out, whose landing page is the Overview's)."""
        return st.Page(
            self.path,
            title=tr(self.title),
            icon=self.icon,
            url_path=self.url_path,
            default=(role or Role.ADMIN) in self.default_for,
            visibility="visible" if self.listed else "hidden",
        )


# The section of the figures pages, named for whose figures they are (see ``section_title``).
RESULTS = "nav.results"
# The section of evaluation and improvement (issue 16): improvement actions, best practices.
IMPROVE = "nav.improve"
# The section of customers (issue 17): the customer list, the matrix, the region page.
CUSTOMERS = "nav.customers"
# The section of My work: what is waiting on the user today.
WORK = "nav.work"

# Every page, grouped by section in navigation order; nothing is auto-discovered. A url_path
# must differ from its file's name: Streamlit still serves a URL that matches a file in
# pages/ as a legacy page that skips the entry point (tests/test_meta.py checks).
PAGES: tuple[PageEntry, ...] = (
    PageEntry("pages/my_work.py", WORK, "work.nav", ":material/checklist:", "my-work",
              WORKERS, default_for=frozenset({Role.REP})),
    PageEntry("pages/deal_new.py", WORK, "work.new_deal_nav", ":material/add_circle:",
              "new-deal", DEAL_WRITERS),
    PageEntry("pages/visit_log.py", WORK, "work.visit_nav", ":material/directions_walk:",
              "visits", DEAL_WRITERS),
    PageEntry("pages/overview.py", RESULTS, "overview.nav", ":material/dashboard:",
              "home", default_for=SALES - {Role.REP}),
    PageEntry("pages/goal_attainment.py", RESULTS, "goals.nav", ":material/flag:", "goals"),
    PageEntry("pages/goal_forecast.py", RESULTS, "goals.forecast.nav",
              ":material/trending_up:", "forecast"),
    PageEntry("pages/goal_leaderboard.py", RESULTS, "goals.board.nav",
              ":material/leaderboard:", "leaderboard", MANAGERS),
    PageEntry("pages/pipeline_review.py", "nav.process", "pipeline.nav",
              ":material/filter_alt:", "pipeline"),
    PageEntry("pages/deals.py", "nav.process", "dlist.nav", ":material/list_alt:", "deal-list"),
    PageEntry("pages/pipeline_board.py", "nav.process", "board.nav", ":material/table_chart:",
              "board"),
    # Leads (issue 17): stage 1 of the process (线索获取) before a deal exists; everyone in
    # scope, leaders too (read only), who have no Today section.
    PageEntry("pages/lead_inbox.py", "nav.process", "leads.nav", ":material/person_add:",
              "leads"),
    PageEntry("pages/support_queue.py", "nav.process", "support.nav", ":material/support_agent:",
              "support", EVERYONE, default_for=frozenset({Role.SUPPORT})),
    # The deal page: opened from the deals list, the board and every deal link.
    # Support staff too: every deal then reads "not found" to them, as one that does not exist.
    PageEntry("pages/opportunity_detail.py", "nav.process", "deal.nav", ":material/work:",
              "opportunity", EVERYONE, listed=False),
    PageEntry("pages/customer_list.py", CUSTOMERS, "cust.nav", ":material/apartment:",
              "customers"),
    PageEntry("pages/customer_matrix.py", CUSTOMERS, "matrix.nav", ":material/scatter_plot:",
              "customer-matrix"),
    PageEntry("pages/region_page.py", CUSTOMERS, "region.nav", ":material/map:", "region",
              MANAGERS),
    # One customer: opened from the customer list, the matrix and the region page.
    PageEntry("pages/customer_detail.py", CUSTOMERS, "cust.detail_nav", ":material/business:",
              "customer", listed=False),
    PageEntry("pages/scorecard.py", IMPROVE, "score.nav", ":material/military_tech:",
              "scores"),
    PageEntry("pages/top_performers.py", IMPROVE, "top.nav", ":material/insights:",
              "top-performers", MANAGERS),
    PageEntry("pages/improvement.py", IMPROVE, "improve.nav", ":material/published_with_changes:",
              "improvements"),
    PageEntry("pages/knowledge.py", IMPROVE, "knowledge.nav", ":material/menu_book:",
              "best-practices"),
    PageEntry("pages/feedback_form.py", "nav.feedback", "feedback.nav", ":material/assignment:",
              "feedback"),
    PageEntry("pages/feedback_team.py", "nav.feedback", "feedback_team.nav", ":material/groups:",
              "feedback-team", MANAGERS),
    PageEntry("pages/data_upload.py", "nav.data", "upload.nav", ":material/upload_file:",
              "upload"),
    PageEntry("pages/goal_settings.py", "nav.settings", "goals.settings.nav",
              ":material/account_tree:", "goal-setup", LEADERS),
    PageEntry("pages/organisation_settings.py", "nav.settings", "org.nav",
              ":material/account_tree:", "organisation", ADMINS),
    PageEntry("pages/calendar_settings.py", "nav.settings", "calendar.nav",
              ":material/calendar_month:", "calendar", ADMINS),
    PageEntry("pages/stage_settings.py", "nav.settings", "stages.nav",
              ":material/linear_scale:", "stages", ADMINS),
    PageEntry("pages/lead_settings.py", "nav.settings", "lset.nav", ":material/tune:",
              "lead-settings", ADMINS),
    PageEntry("pages/users_admin.py", "nav.admin", "users.nav", ":material/group:", "users",
              ADMINS),
    PageEntry("pages/audit_log.py", "nav.admin", "audit.nav", ":material/history:", "audit",
              LEADERS),
    PageEntry("pages/my_account.py", "nav.account", "account.nav", ":material/account_circle:",
              "account", EVERYONE),
)  # fmt: skip


def entry_for(page_file: str) -> PageEntry:
    """The registry entry of a page file (``__file__`` of the page, or "pages/x.py")."""
    name = Path(page_file).name
    for entry in PAGES:
        if Path(entry.path).name == name:
            return entry
    raise KeyError(f"{page_file} is not in the page registry")


def section_title(section: str, current: Viewer) -> str:
    """A section's name as ``current`` reads it: sections are named for what the user finds
    there, and the figures section for whose figures they are (a rep's own, a manager's
    teams', the company's for leaders and admins), never for a role."""
    if section != RESULTS:
        return tr(section)
    if current.sees_everything:
        return tr(f"{RESULTS}_company")
    return tr(f"{RESULTS}_teams" if current.role == Role.MANAGER else f"{RESULTS}_own")


def sections_for(current: Viewer) -> dict[str, list[PageEntry]]:
    """The pages ``current`` may open, by section title, in navigation order (only sections
    with a page)."""
    sections: dict[str, list[PageEntry]] = {}
    for entry in PAGES:
        if current.role in entry.roles:
            sections.setdefault(section_title(entry.section, current), []).append(entry)
    return sections


def navigation_for(current: Viewer):
    """The navigation of the pages ``current`` may open, by section, every page listed
    (Streamlit's "View N more" link is English-only)."""
    sections = {
        title: [entry.page(current.role) for entry in entries]
        for title, entries in sections_for(current).items()
    }
    return st.navigation(sections, expanded=True)


def every_page() -> list[st.Page]:
    """All pages, for the hidden navigation while signed out (a deep link keeps its page)."""
    return [entry.page() for entry in PAGES]


def page_viewer(page_file: str) -> Viewer:
    """The page guard: the signed-in viewer when their role may open this page (the
    registry's roles), otherwise a message and stop."""
    current = viewer()
    if current.role not in entry_for(page_file).roles:
        st.error(tr("access.denied"))
        st.stop()
    return current
