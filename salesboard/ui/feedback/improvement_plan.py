"""The form's improvement plan (问题与改进计划): this month's problems with their root cause
(人/货/场), measure, owner, due and checkpoint dates and status; and the earlier months'
items carried over for review, of which only the status and a note change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.feedback.form import CAUSE_CATEGORIES, EDITABLE, ITEM_STATUSES
from salesboard.ui.feedback.grid import (
    TEXT_LIMIT,
    column_label,
    date_column,
    editable_text_columns,
    text_frame,
)

# What a carried item shows from the month that raised it, before its editable fields.
CARRIED_CONTEXT = ("period", "problem", "measure", "owner", "due_on")


def _status_column():
    return st.column_config.SelectboxColumn(
        column_label("status"),
        options=list(ITEM_STATUSES),
        format_func=lambda s: ui.tr(f"feedback.item.{s}"),
        required=True,
    )


def items_table(rows: list[dict], editable: bool) -> tuple[pd.DataFrame, dict]:
    """This month's improvement items and their columns."""
    config = editable_text_columns("items")
    config["due_on"] = date_column("due_on")
    config["checkpoint_on"] = date_column("checkpoint_on")
    config["cause_category"] = st.column_config.SelectboxColumn(
        column_label("cause_category"),
        options=list(CAUSE_CATEGORIES),
        format_func=lambda c: ui.tr(f"feedback.cause.{c}"),
    )
    config["status"] = _status_column()
    return text_frame(list(EDITABLE["items"]), rows), config


def carried_table(rows: list[dict], editable: bool) -> tuple[pd.DataFrame, dict]:
    """Earlier months' items under review: what they were, then their status and note."""
    col = st.column_config
    config = {name: col.TextColumn(column_label(name)) for name in CARRIED_CONTEXT}
    config["due_on"] = date_column("due_on")
    config["status"] = _status_column()
    config["note"] = col.TextColumn(column_label("note"), **TEXT_LIMIT)
    return text_frame([*CARRIED_CONTEXT, *EDITABLE["carried"]], rows), config
