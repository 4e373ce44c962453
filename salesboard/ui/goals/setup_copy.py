"""The goal setup page's tab that copies the previous period's goal tree (structure, owners,
targets × growth)."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period, previous_period
from salesboard.goals import allocation, planning
from salesboard.ui.goals.setup_shared import write_and_report


def copy_tab(viewer: Viewer, period: Period, metric: str) -> None:
    """Copy the previous period's goal tree (structure, owners, targets × growth)."""
    source = previous_period(period)
    st.write(ui.tr("goals.settings.copy_text", source=source.label, target=period.label))
    taken = not ui.cached(planning.goal_table)(viewer, period.label, metric).empty
    empty = ui.cached(planning.goal_table)(viewer, source.label, metric).empty
    if taken:
        st.info(ui.tr("goals.settings.copy_taken", period=period.label))
    elif empty:
        st.info(
            ui.tr(
                "goals.error.source_empty", field=ui.tr("goals.field.period"), period=source.label
            )
        )
    with st.form("goal_copy_form"):
        growth = st.number_input(
            ui.tr("goals.settings.growth"), value=0.0, step=1.0, format="%.1f", key="copy_growth"
        )
        if st.form_submit_button(
            ui.tr("goals.settings.copy_button"), type="primary", disabled=taken or empty
        ):
            done = write_and_report(
                lambda s: allocation.copy_structure(
                    s, viewer, metric, source.label, period.label, growth / 100
                ),
                ui.tr("goals.settings.copied", source=source.label, target=period.label),
            )
            if done:
                st.rerun()
