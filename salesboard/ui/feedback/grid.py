"""The table machinery every section of the form shares: one section as an editable grid
(autosaved through ``autosave.on_edit``) or, when the viewer may not edit, a read-only table;
and the text and date columns the text sections are built from."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.feedback.form import EDITABLE, GROWABLE, MAX_TEXT
from salesboard.feedback.queries import FormView
from salesboard.ui.feedback.autosave import on_edit, widget_key

# A section's rows as (frame, column config); the flag says whether the grid is editable.
SectionTable = Callable[[list[dict], bool], tuple[pd.DataFrame, dict]]
DATE_FIELDS = ("date", "due_on", "checkpoint_on")
# One character over the limit: the grid cuts a huge paste there (drawing 10 MB in a cell
# would hang the browser) and the save refuses it with the limit named.
TEXT_LIMIT = {"max_chars": MAX_TEXT + 1}


def column_label(name: str) -> str:
    """A column's heading in the user's language."""
    return ui.tr(f"feedback.col.{name}")


def editable_text_columns(section: str) -> dict:
    """Text columns (length-limited) for the section's editable fields."""
    col = st.column_config
    return {name: col.TextColumn(column_label(name), **TEXT_LIMIT) for name in EDITABLE[section]}


def date_column(name: str):
    """A date column shown as YYYY-MM-DD."""
    return st.column_config.DateColumn(column_label(name), format="YYYY-MM-DD")


def text_frame(columns: list[str], rows: list[dict]) -> pd.DataFrame:
    """``rows`` as a frame of ``columns``: dates as ``date`` objects, other values as text."""
    data = {}
    for name in columns:
        values = [r.get(name) for r in rows]
        if name in DATE_FIELDS:
            data[name] = pd.Series(
                [date.fromisoformat(v) if isinstance(v, str) and v else None for v in values],
                dtype="object",
            )
        else:
            data[name] = pd.Series(["" if v is None else v for v in values], dtype="object")
    return pd.DataFrame(data, columns=columns)


def section_editor(
    section: str, form: FormView, state: dict, editable: bool, table: SectionTable
) -> None:
    """One section of the form as an editor (or a read-only table when locked)."""
    if not editable:
        frame, config = table(state["body"][section], False)
        st.dataframe(frame, column_config=config, hide_index=True, width="stretch", placeholder="—")
        return
    # Growable sections edit against the rows the widget was created with (its changes are
    # relative to them); fixed ones against the current body.
    rows = state["bases"][section] if section in GROWABLE else state["body"][section]
    frame, config = table(rows, True)
    st.data_editor(
        frame,
        column_config=config,
        disabled=[c for c in frame.columns if c not in EDITABLE[section]],
        hide_index=True,
        width="stretch",
        num_rows="dynamic" if section in GROWABLE else "fixed",
        key=widget_key(section, form.id, state),
        on_change=on_edit,
        args=(section, form.id),
        placeholder="—",
    )
