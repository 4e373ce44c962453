"""The form's key actions & customer records (关键动作与客户记录): customer or project,
action, date, progress and support needed, one row per action (rows may be added)."""

from __future__ import annotations

import pandas as pd

from salesboard import ui
from salesboard.feedback.form import EDITABLE
from salesboard.ui.feedback.grid import date_column, editable_text_columns, text_frame


def actions_table(rows: list[dict], editable: bool) -> tuple[pd.DataFrame, dict]:
    """The key-action rows and their columns (the same whether editable or not); a key
    action prefilled from the store reads in the user's language (a cell the user changes
    saves what they typed)."""
    config = editable_text_columns("actions")
    config["date"] = date_column("date")
    lang = ui.lang()
    shown = [{**r, "action": ui.key_action_name(r.get("action"), lang)} for r in rows]
    return text_frame(list(EDITABLE["actions"]), shown), config
