"""Who is signed in: the sign-in gate the entry point runs before any page, and the viewer
the pages read."""

from __future__ import annotations

import streamlit as st

from salesboard.accounts.access import Viewer
from salesboard.ui import signin
from salesboard.ui.connection import engine
from salesboard.ui.language import tr


def require_viewer(all_pages: list) -> Viewer:
    """The signed-in viewer; shows the sign-in form (or the forced password change) and
    stops the run when there is none. Also puts the account box in the sidebar.

    While signed out, ``all_pages`` go into a hidden navigation so a deep link keeps its
    page: after signing in, the user lands where the link pointed.
    """
    current = signin.current_viewer(engine(), tr)
    signin.sync_browser_cookie()
    if current is None:
        st.navigation(all_pages, position="hidden")
        signin.sign_in_form(engine(), tr)
        st.stop()
    box = st.sidebar.container()
    box.caption(tr("auth.signed_in_as", name=current.display_name, role=tr(f"role.{current.role}")))
    if box.button(tr("auth.sign_out"), key="sign_out"):
        signin.sign_out(engine())
        st.rerun()
    if current.must_change_password:
        st.warning(tr("auth.must_change"))
        if signin.change_password_form(engine(), tr, current, key="forced_password"):
            st.rerun()
        st.stop()
    return current


def viewer() -> Viewer:
    """The signed-in viewer (the entry point's gate ran before any page)."""
    current = signin.remembered_viewer()
    if current is None:  # a page run without the entry point (should not happen)
        st.error(tr("access.denied"))
        st.stop()
    return current
