"""Streamlit piece of the leaderboard page: the ranked table of reps or teams."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.goals import present
from salesboard.goals.format import to_display, unit_label
from salesboard.ui.goals.shared import pace_style


def leaderboard_table(table: pd.DataFrame, metric: str, level: str) -> None:
    """The ranked table: rank, name, attainment and pace first, then the process metrics
    that explain the rank."""
    lang = ui.lang()
    unit = unit_label(metric, lang)
    shown = table.assign(
        target=[to_display(v, metric, lang) for v in table["target"]],
        actual=[to_display(v, metric, lang) for v in table["actual"]],
        attainment=table["attainment"] * 100,
        effective_share=table["effective_share"] * 100,
        action_completion=table["action_completion"] * 100,
        action_on_time=table["action_on_time"] * 100,
        win_rate=table["win_rate"] * 100,
        pace=[present.pace_text(p, lang) for p in table["pace"]],
    )
    number = "%,.0f" if metric in ("new_customers", "visits") else "%,.1f"
    columns = {
        "rank": st.column_config.NumberColumn(ui.tr("goals.board.rank"), format="%d"),
        "name": ui.tr("goals.board.team" if level == "team" else "goals.board.rep"),
        "team": ui.tr("goals.board.team"),
        "attainment": st.column_config.NumberColumn(ui.tr("goals.col.attainment"), format="%.1f%%"),
        "pace": ui.tr("goals.col.pace"),
        "actual": st.column_config.NumberColumn(present.with_unit(ui.tr("goals.col.actual"), unit, lang), format=number),
        "target": st.column_config.NumberColumn(present.with_unit(ui.tr("goals.col.target"), unit, lang), format=number),
        "visits": st.column_config.NumberColumn(ui.tr("goals.board.visits"), format="%d"),
        "effective_share": st.column_config.NumberColumn(ui.tr("goals.board.effective"), format="%.0f%%"),
        "action_completion": st.column_config.NumberColumn(ui.tr("goals.board.action_completion"), format="%.0f%%"),
        "action_on_time": st.column_config.NumberColumn(ui.tr("goals.board.actions"), format="%.0f%%"),
        "win_rate": st.column_config.NumberColumn(ui.tr("goals.board.win_rate"), format="%.0f%%"),
    }  # fmt: skip
    order = [c for c in columns if not (level == "team" and c == "team")]
    # Only the shown columns through the Styler: it renders every cell of its frame (600
    # reps: 0.16 s of each rerun with every leaderboard column).
    styled = shown[order].style.map(pace_style, subset=["pace"])
    st.dataframe(
        styled,
        hide_index=True,
        column_order=order,
        column_config=columns,
        key="goal_board",
        height="content" if len(shown) <= 40 else "auto",
        placeholder="—",
    )
