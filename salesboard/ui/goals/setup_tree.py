"""The goal setup page's first tab: the period's goals as an editable table (target and
owner, saved in one go, all rows or none) and the box that deletes a goal."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.calendar.periods import Period
from salesboard.goals import planning, present
from salesboard.goals.format import display_factor, unit_label
from salesboard.goals.table_edits import apply_table_edits
from salesboard.goals.writes import delete_goal
from salesboard.store.models import GoalMetric
from salesboard.ui.goals.setup_shared import (
    MESSAGE_KEY,
    goals_or_note,
    people_labels,
    show_error,
    tree_labels,
    write_and_report,
)

EDITOR_KEY = "goal_editor"


def _value_text(metric: str, lang: str):
    """Formatter of display values for read-only table cells."""
    digits = 0 if metric in (GoalMetric.NEW_CUSTOMERS, GoalMetric.VISITS) else 2

    def text(value: float, sign: bool = False) -> str:
        return f"{value:{'+' if sign else ''},.{digits}f}"

    return text


def tree_editor(viewer: Viewer, period: Period, metric: str) -> None:
    """The period's goals as an editable table (target and owner), saved in one go."""
    lang = ui.lang()
    table = goals_or_note(viewer, period, metric)
    if table is None:
        return
    people = ui.cached(planning.people)(viewer)
    owners = people_labels(people)
    factor = display_factor(metric, lang)
    unit = unit_label(metric, lang)
    value = _value_text(metric, lang)
    children = table["children_target"] / factor
    difference = children - table["target"] / factor
    shown = pd.DataFrame(
        {
            "name": [
                "　" * int(d) + str(n)
                for d, n in zip(table["depth"], table[f"name_{lang}"], strict=True)
            ],
            "scope": table["scope"]
            .map({s: ui.tr(f"goals.scope.{s}") for s in table["scope"].unique()})
            .tolist(),
            "owner": [owners.get(int(o)) if pd.notna(o) else None for o in table["owner_id"]],
            "target": table["target"] / factor,
            "children_target": ["" if pd.isna(c) else value(c) for c in children],
            "difference": [
                "" if pd.isna(d) else ("✓" if abs(d) < 1e-6 else value(d, sign=True))
                for d in difference
            ],
        }
    )
    st.caption(ui.tr("goals.settings.tree_help", unit=unit))
    with st.form("goal_tree_form"):
        st.data_editor(
            shown,
            key=EDITOR_KEY,
            hide_index=True,
            num_rows="fixed",
            disabled=["name", "scope", "children_target", "difference"],
            column_config={
                "name": st.column_config.TextColumn(ui.tr("goals.col.name"), width="medium"),
                "scope": st.column_config.TextColumn(ui.tr("goals.col.scope")),
                "owner": st.column_config.SelectboxColumn(
                    ui.tr("goals.col.owner"), options=list(owners.values())
                ),
                "target": st.column_config.NumberColumn(
                    present.with_unit(ui.tr("goals.col.target"), unit, lang),
                    min_value=0.0,
                    format="%,.2f",
                ),
                "children_target": st.column_config.TextColumn(
                    present.with_unit(ui.tr("goals.col.children_target"), unit, lang),
                    alignment="right",
                ),
                "difference": st.column_config.TextColumn(
                    present.with_unit(ui.tr("goals.col.difference"), unit, lang), alignment="right"
                ),
            },
            placeholder="—",
        )
        submitted = st.form_submit_button(ui.tr("goals.settings.save"), type="primary")
    if submitted:
        changes = _editor_changes(st.session_state.get(EDITOR_KEY, {}), owners)
        rows = table[["id", "version"]].to_dict("records")
        errors: list = []
        try:
            with ui.writing() as session:
                result = apply_table_edits(session, viewer, rows, changes, scale=factor)
                errors = result.errors
                if errors:
                    raise _Rollback
        except _Rollback:
            for position, error in errors:
                name = shown["name"].iloc[position].strip()
                st.error(ui.escape_markdown(f"{name}：{present.error_text(error, lang)}"))
        except PermissionDenied as error:
            show_error(error)
        else:
            st.session_state[MESSAGE_KEY] = ui.tr("goals.settings.saved", count=len(result.changed))
            st.rerun()


class _Rollback(Exception):
    """Raised inside the write session so no row of a failed save is kept."""


def _editor_changes(state: dict, owners: dict[int, str]) -> dict:
    """The data editor's ``edited_rows`` with owner labels turned back into user ids."""
    by_label = {label: user_id for user_id, label in owners.items()}
    changes = {}
    for position, change in (state.get("edited_rows") or {}).items():
        row = {}
        if "target" in change:
            row["target"] = change["target"]
        if "owner" in change:
            row["owner_id"] = by_label.get(change["owner"])
        if row:
            changes[int(position)] = row
    return changes


def delete_box(viewer: Viewer, period: Period, metric: str) -> None:
    """Delete one goal (with its sub-goals if asked)."""
    lang = ui.lang()
    table = ui.cached(planning.goal_table)(viewer, period.label, metric)
    if table.empty:
        return
    with st.expander(ui.tr("goals.settings.delete")):
        labels = tree_labels(table, lang)
        with st.form("goal_delete_form"):
            chosen = st.selectbox(
                ui.tr("goals.field.id"), list(labels), format_func=labels.get, key="delete_goal"
            )
            below = st.checkbox(ui.tr("goals.settings.with_children"), key="delete_with_children")
            if st.form_submit_button(ui.tr("goals.settings.delete_button")):
                version = int(table.loc[table["id"] == chosen, "version"].iloc[0])
                done = write_and_report(
                    lambda s: delete_goal(s, viewer, chosen, version, with_children=below),
                    ui.tr("goals.settings.deleted"),
                )
                if done:
                    st.rerun()
