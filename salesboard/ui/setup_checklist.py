"""The first-run checklist on the Overview: for an admin, the setup steps with a tick, what
to do and a link to the page where it is done; for anyone else on an empty store, a word on
why there is nothing to see yet."""

from __future__ import annotations

import streamlit as st

from salesboard.accounts.access import Viewer
from salesboard.organisation.setup import setup_steps
from salesboard.ui.connection import cached
from salesboard.ui.language import tr
from salesboard.ui.markdown import Markdown
from salesboard.ui.navigation import entry_for


def show_checklist(viewer: Viewer, store_is_empty: bool) -> None:
    """An admin sees the steps (open while the store has no deals, folded once it has);
    others see the waiting note on an empty store only."""
    if not viewer.is_admin:
        if store_is_empty:
            st.info(tr("setup.waiting"))
        return
    steps = cached(setup_steps)()
    done = sum(step.done for step in steps)
    if done == len(steps):
        return
    progress = tr("setup.progress", done=done, total=len(steps))
    with st.expander(tr("setup.title") if store_is_empty else progress, expanded=store_is_empty):
        if store_is_empty:
            st.caption(tr("setup.intro"))
            st.progress(done / len(steps), text=progress)
        for number, step in enumerate(steps, start=1):
            mark, state = (":material/check_circle:", "setup.done") if step.done else (
                ":material/radio_button_unchecked:", "setup.todo")  # fmt: skip
            text, link = st.columns([4, 1], vertical_alignment="center")
            text.markdown(
                f"{mark} **{number}. {tr(f'setup.step.{step.code}')}** · {tr(state)}  \n"
                f"{tr(f'setup.help.{step.code}')}"
            )
            entry = entry_for(step.page)
            link.page_link(step.page, label=tr("setup.open"), icon=entry.icon)
        if store_is_empty:
            st.caption(tr("setup.demo_hint", command=Markdown("`python -m salesboard demo`")))
