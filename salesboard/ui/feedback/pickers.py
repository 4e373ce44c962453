"""The month and rep pickers of the feedback pages, bound to the URL (``?period=``,
``?rep=``) so a link reopens the same form."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import recent_periods


def month_options(as_of: date, count: int = 13) -> list[str]:
    """Month labels, newest first: the current month and the ``count - 1`` before it."""
    return [p.label for p in recent_periods("month", as_of, count)]


def default_month(as_of: date) -> str:
    """The month a form is usually filled for: the previous one."""
    return month_options(as_of, 2)[1]


def pick_month(as_of: date, key: str = "period") -> str:
    """A month selectbox bound to ``?period=``."""
    return ui.url_select(key, ui.tr("feedback.month"), month_options(as_of), default_month(as_of))


def pick_rep(reps: pd.DataFrame, viewer: Viewer, key: str = "rep") -> int | None:
    """The rep whose form to show, bound to ``?rep=<username>``; None when ``?rep=`` names
    someone the viewer may not see (they then see nothing at all)."""
    usernames = list(reps["username"])
    if not usernames:
        return None
    requested = st.query_params.get(key)
    if key not in st.session_state and requested and requested not in usernames:
        return None  # a colleague's form by URL: not found, without saying whose
    own = viewer.username if viewer.username in usernames else usernames[0]
    if len(usernames) == 1:
        ui.mirror_to_url(key, usernames[0])
        return int(reps["id"].iloc[0])
    names = dict(
        zip(reps["username"], reps["display_name"] + " · " + reps["team"].fillna(""), strict=True)
    )
    username = ui.url_select(key, ui.tr("feedback.rep"), usernames, own, names.__getitem__)
    return int(reps.loc[reps["username"] == username, "id"].iloc[0])
