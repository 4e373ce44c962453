"""The form's four sections in order, each from its own module: KPIs (``kpi_table``),
carried-over items and the improvement plan (``improvement_plan``), key actions
(``key_actions``); editable only for the one who may edit the form now."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.feedback.config import load_config
from salesboard.feedback.permissions import may_edit
from salesboard.feedback.queries import FormView
from salesboard.ui.feedback.grid import SectionTable, section_editor
from salesboard.ui.feedback.improvement_plan import carried_table, items_table
from salesboard.ui.feedback.key_actions import actions_table
from salesboard.ui.feedback.kpi_table import kpi_caption, kpi_table
from salesboard.ui.feedback.problems import show_problems

# The sections top to bottom, as the seed's template has them.
SECTION_TABLES: dict[str, SectionTable] = {
    "kpis": kpi_table,
    "carried": carried_table,
    "actions": actions_table,
    "items": items_table,
}


def render_sections(viewer: Viewer, form: FormView, state: dict) -> None:
    """The four sections of the form, editable or read-only."""
    editable = may_edit(viewer, form)
    threshold = ui.cached(load_config)().threshold
    for section, table in SECTION_TABLES.items():
        if section == "carried" and not state["body"]["carried"]:
            continue
        st.subheader(ui.tr(f"feedback.section.{section}"))
        if section == "kpis":
            kpi_caption(state["body"]["kpis"], threshold)
        elif editable:  # how to edit: only for the one who edits
            st.caption(ui.tr(f"feedback.caption.{section}"))
        section_editor(section, form, state, editable, table)
        show_problems(state["problems"].get(section, []), state["body"])
