"""The goal setup page's tab that splits a goal over the next level by percent or amount,
with the remainder shown as the values are typed."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period
from salesboard.goals import allocation, planning, present
from salesboard.goals.allocation import SplitPart
from salesboard.goals.format import display_factor, format_goal_value, unit_label
from salesboard.goals.validation import GoalError
from salesboard.store.models import GoalScope
from salesboard.ui.goals.setup_shared import (
    goals_or_note,
    show_error,
    tree_labels,
    write_and_report,
)


def split_tab(viewer: Viewer, period: Period, metric: str) -> None:
    """Split a goal over the next level by percent or amount; the remainder shows live."""
    lang = ui.lang()
    table = goals_or_note(viewer, period, metric)
    if table is None:
        return
    labels = tree_labels(table, lang, lambda t: t["scope"] != GoalScope.REP)
    parent = st.selectbox(
        ui.tr("goals.settings.split_parent"),
        list(labels),
        format_func=labels.get,
        key="split_parent",
    )
    mode = st.segmented_control(
        ui.tr("goals.field.mode"), ["percent", "amount"], default="percent",
        format_func=lambda m: ui.tr(f"goals.settings.mode_{m}"), key="split_mode",
    ) or "percent"  # fmt: skip
    candidates = ui.cached(planning.split_candidates)(viewer, parent)
    if candidates.empty:
        st.info(ui.tr("goals.settings.no_candidates"))
        return
    factor = display_factor(metric, lang)
    total = float(table.loc[table["id"] == parent, "target"].iloc[0])
    unit = unit_label(metric, lang)
    current = candidates["target"].astype("float64")
    frame = pd.DataFrame(
        {
            "name": candidates[f"name_{lang}"],
            "current": current / factor,
            "share": current / total * 100 if total else current * 0,
            "value": (current / total * 100).round(2)
            if mode == "percent" and total
            else current / factor,
        }
    )
    value_label = "%" if mode == "percent" else unit
    st.caption(ui.tr("goals.settings.split_help", total=format_goal_value(total, metric, lang)))
    editor_key = f"split_editor_{parent}_{mode}"
    st.data_editor(
        frame, key=editor_key, hide_index=True, num_rows="fixed",
        disabled=["name", "current", "share"],
        column_config={
            "name": st.column_config.TextColumn(ui.tr("goals.col.name")),
            "current": st.column_config.NumberColumn(present.with_unit(ui.tr("goals.settings.current"), unit, lang), format="%,.2f"),
            "share": st.column_config.NumberColumn(ui.tr("goals.col.share_of_parent"), format="%.1f%%"),
            "value": st.column_config.NumberColumn(present.with_unit(ui.tr("goals.settings.new_value"), value_label, lang), min_value=0.0, format="%,.2f"),
        }, placeholder="—",
    )  # fmt: skip
    # Only the rows the user changed count: the rest keep their target exactly (the shown
    # start values are rounded).
    changed = (st.session_state.get(editor_key) or {}).get("edited_rows", {})
    values = [None] * len(frame)
    for position, change in changed.items():
        value = change.get("value")
        if value is not None:
            values[int(position)] = float(value) * (1 if mode == "percent" else factor)
    try:
        plan = allocation.plan_split(total, values, mode, allocation.target_step(metric))
    except GoalError as error:
        show_error(error)
        return
    # Rows left empty keep their current target, so they count as allocated as they are.
    kept = sum(float(c) for v, c in zip(values, current, strict=True) if v is None and pd.notna(c))
    plan = allocation.SplitPlan(
        plan.targets, plan.allocated + Decimal(str(kept)), plan.remainder - Decimal(str(kept))
    )
    remainder = float(plan.remainder)
    text = ui.tr(
        "goals.settings.remainder",
        allocated=format_goal_value(float(plan.allocated), metric, lang),
        remainder=format_goal_value(abs(remainder), metric, lang),
        share=present.format_share(remainder / total if total else None),
    )
    (st.warning if remainder < 0 else st.info)(
        text
        if remainder >= 0
        else ui.tr("goals.settings.over", amount=format_goal_value(-remainder, metric, lang))
    )
    if st.button(ui.tr("goals.settings.split_button"), type="primary", key="split_apply"):
        parts = [
            SplitPart(
                scope=row.scope, dimension_id=int(row.dimension_id), value=value,
                goal_id=None if pd.isna(row.goal_id) else int(row.goal_id),
                owner_id=None if pd.isna(row.owner_id) else int(row.owner_id),
            )
            for row, value in zip(candidates.itertuples(index=False), values, strict=True)
        ]  # fmt: skip
        if write_and_report(
            lambda s: allocation.split_goal(s, viewer, parent, parts, mode),
            ui.tr("goals.settings.split_done"),
        ):
            st.rerun()
