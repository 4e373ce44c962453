"""The goal setup page's tab that spreads a year (or quarter) goal and its subtree over the
months by seasonal weights (last year's profile to start from), with a preview."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period
from salesboard.goals import allocation, planning
from salesboard.goals.format import format_goal_value
from salesboard.goals.validation import GoalError
from salesboard.ui.goals.setup_shared import (
    goals_or_note,
    show_error,
    tree_labels,
    write_and_report,
)


def spread_tab(viewer: Viewer, period: Period, metric: str) -> None:
    """Spread a year (or quarter) goal and its subtree over months by seasonal weights."""
    lang = ui.lang()
    if period.kind == "month":
        st.info(ui.tr("goals.settings.spread_pick_year"))
        return
    table = goals_or_note(viewer, period, metric)
    if table is None:
        return
    labels = tree_labels(table, lang)
    goal = st.selectbox(
        ui.tr("goals.settings.spread_goal"), list(labels), format_func=labels.get, key="spread_goal"
    )
    profile = ui.cached(planning.seasonal_profile)(viewer, metric, period.start.year, ui.as_of())
    if period.kind == "quarter":
        first = period.start.month - 1
        profile = profile.iloc[first : first + 3]
    months = [f"{period.start.year}-{m[5:]}" for m in profile["month"]]
    st.caption(
        ui.tr(
            "goals.settings.spread_help",
            first=profile.attrs.get("first", ""),
            last=profile.attrs.get("last", ""),
        )
    )
    left, right = st.columns(2)
    with left:
        weights = st.data_editor(
            pd.DataFrame({"month": months, "weight": profile["weight"].to_numpy()}),
            key=f"spread_weights_{period.label}", hide_index=True, num_rows="fixed",
            disabled=["month"],
            column_config={
                "month": st.column_config.TextColumn(ui.tr("goals.trend.month")),
                "weight": st.column_config.NumberColumn(
                    ui.tr("goals.settings.weight"), min_value=0.0, format="%.2f%%"
                ),
            }, placeholder="—",
        )  # fmt: skip
    target = float(table.loc[table["id"] == goal, "target"].iloc[0])
    try:
        preview = allocation.seasonal_spread(
            target, weights["weight"].fillna(0).tolist(), allocation.target_step(metric)
        )
    except GoalError as error:
        show_error(error)
        return
    with right:
        st.dataframe(
            pd.DataFrame(
                {
                    "month": months,
                    "target": [format_goal_value(float(v), metric, lang) for v in preview],
                }
            ),
            hide_index=True,
            column_config={
                "month": ui.tr("goals.trend.month"),
                "target": st.column_config.TextColumn(ui.tr("goals.col.target"), alignment="right"),
            },
            placeholder="—",
        )
    if st.button(ui.tr("goals.settings.spread_button"), type="primary", key="spread_apply"):
        values = weights["weight"].fillna(0).tolist()
        if write_and_report(
            lambda s: allocation.spread_goal(s, viewer, goal, values),
            ui.tr("goals.settings.spread_done"),
        ):
            st.rerun()
