"""The goal setup page's tab that adds one goal: level, parent, the dimension of the level,
owner and target."""

from __future__ import annotations

from decimal import Decimal

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period
from salesboard.goals import planning, present
from salesboard.goals.format import display_factor, unit_label
from salesboard.goals.tree import DIMENSIONS, SCOPE_DIMENSION, SCOPE_ORDER
from salesboard.goals.validation import GoalDraft, GoalError, as_target
from salesboard.goals.writes import create_goal
from salesboard.store.models import GoalMetric, GoalScope
from salesboard.ui.goals.setup_shared import (
    people_labels,
    show_error,
    tree_labels,
    write_and_report,
)


def add_goal(viewer: Viewer, period: Period, metric: str) -> None:
    """A form for one new goal: level, parent, the dimension of the level, owner, target."""
    lang = ui.lang()
    scopes = [
        s
        for s in SCOPE_ORDER
        if not (
            s == GoalScope.PRODUCT_LINE and metric in (GoalMetric.NEW_CUSTOMERS, GoalMetric.VISITS)
        )
    ]
    scope_labels = {s: ui.tr(f"goals.scope.{s}") for s in scopes}
    scope = st.selectbox(
        ui.tr("goals.field.scope"), scopes, format_func=scope_labels.get, key="add_scope"
    )
    table = ui.cached(planning.goal_table)(viewer, period.label, metric)
    parents = tree_labels(table, lang, lambda t: t["scope"].map(SCOPE_ORDER) < SCOPE_ORDER[scope])
    people = ui.cached(planning.people)(viewer)
    owners = people_labels(people)
    options = _dimension_options(viewer, scope, people, lang)
    factor = display_factor(metric, lang)
    with st.form("goal_add_form", clear_on_submit=False):
        parent = None
        if scope != GoalScope.COMPANY:
            parent = st.selectbox(
                ui.tr("goals.field.parent_id"), list(parents), format_func=parents.get, index=None,
                placeholder=ui.tr("goals.settings.no_parent"), key="add_parent",
            )  # fmt: skip
        dimension = None
        if scope in SCOPE_DIMENSION:
            field = SCOPE_DIMENSION[scope]
            dimension = st.selectbox(
                ui.tr(f"goals.field.{field}"),
                list(options),
                format_func=options.get,
                index=None,
                placeholder=ui.tr_text("work.choose"),
                key="add_dimension",
            )
        owner = st.selectbox(
            ui.tr("goals.field.owner_id"),
            list(owners),
            format_func=owners.get,
            index=None,
            placeholder=ui.tr_text("work.choose"),
            key="add_owner",
        )
        target = st.number_input(
            present.with_unit(ui.tr("goals.field.target"), unit_label(metric, lang), lang),
            value=0.0,
            step=1.0,
            key="add_target",
        )
        if st.form_submit_button(ui.tr("goals.settings.add_button"), type="primary"):
            dims = {}
            if parent is not None:
                above = table[table["id"] == parent].iloc[0]
                dims = {d: int(above[d]) for d in DIMENSIONS if pd.notna(above[d])}
            if scope in SCOPE_DIMENSION:
                dims[SCOPE_DIMENSION[scope]] = dimension
            try:
                typed = as_target(target)  # as typed, so a message quotes it
                if scope in SCOPE_DIMENSION and dimension is None:
                    raise GoalError(SCOPE_DIMENSION[scope], "required", "required")
            except GoalError as error:
                show_error(error)
                return
            draft = GoalDraft(
                period=period.label, metric=metric, scope=scope,
                target=typed * Decimal(str(factor)), parent_id=parent, owner_id=owner, **dims,
            )  # fmt: skip
            if write_and_report(
                lambda s: create_goal(s, viewer, draft), ui.tr("goals.settings.added")
            ):
                st.rerun()


def _dimension_options(
    viewer: Viewer, scope: str, people: pd.DataFrame, lang: str
) -> dict[int, str]:
    """The choices for the dimension a goal of ``scope`` names."""
    names = ui.cached(planning.reference_names)(viewer)
    pick = 0 if lang == "zh" else 1
    if scope == GoalScope.PRODUCT_LINE:
        return {i: pair[pick] for i, pair in names.product_lines.items()}
    if scope == GoalScope.REGION:
        return {i: pair[pick] for i, pair in names.regions.items()}
    if scope == GoalScope.TEAM:
        return dict(names.teams)
    if scope == GoalScope.REP:
        reps = people[people["role"] == "rep"]
        return {
            int(r.id): present.with_unit(r.display_name, r.username, lang)
            for r in reps.itertuples(index=False)
        }
    return {}
