"""Streamlit pieces of the goal settings page: one function per tab (edit the tree, add a
goal, split, seasonal spread, copy last period, template in/out). Every write goes through
the goal writes of ``salesboard.goals``; errors are shown naming the field."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.calendar.periods import PERIOD_KINDS, Period, previous_period
from salesboard.goals import allocation, planning, present, template
from salesboard.goals.allocation import SplitPart
from salesboard.goals.format import display_factor, format_goal_value, unit_label
from salesboard.goals.table_edits import apply_table_edits
from salesboard.goals.tree import DIMENSIONS, SCOPE_DIMENSION, SCOPE_ORDER
from salesboard.goals.validation import GoalDraft, GoalError, as_target
from salesboard.goals.writes import create_goal, delete_goal
from salesboard.store.db import read_session
from salesboard.store.models import GoalMetric, GoalScope

EDITOR_KEY = "goal_editor"


def _show_error(error: Exception) -> None:
    if isinstance(error, GoalError):
        st.error(present.error_text(error, ui.lang()))
    elif isinstance(error, PermissionDenied):
        st.error(ui.tr("access.denied"))
    else:
        raise error


def _write(action: Callable, success: str) -> bool:
    """Run ``action(session)`` in one write transaction; show the outcome."""
    try:
        with ui.writing() as session:
            action(session)
    except (GoalError, PermissionDenied) as error:
        _show_error(error)
        return False
    st.session_state["goal_settings_message"] = success
    return True


def flash() -> None:
    """Show the last write's success message once (it survives the rerun after a write)."""
    message = st.session_state.pop("goal_settings_message", None)
    if message:
        st.success(message)


def period_picker() -> Period:
    """Month / quarter / year including the coming periods (to plan ahead), in the URL."""
    kinds = {k: ui.tr(f"period.{k}") for k in PERIOD_KINDS}
    left, right = st.columns([1, 2])
    with left:
        kind = ui.url_choice("plan_kind", list(kinds), "quarter")
        kind = (
            st.segmented_control(
                ui.tr("period.kind"),
                list(kinds),
                default=kind,
                format_func=kinds.get,
                key="plan_kind",
            )
            or "quarter"
        )
        st.query_params["plan_kind"] = kind
    periods = planning.planning_periods(kind, ui.as_of())
    labels = [p.label for p in periods]
    current = next(p.label for p in periods if p.contains(ui.as_of()))
    with right:
        chosen = _url_select(f"plan_{kind}", ui.tr("period.label"), labels, current)
    return periods[labels.index(chosen)]


def _url_select(key: str, label: str, options: list[str], default: str) -> str:
    initial = ui.url_choice(key, options, default)
    value = st.selectbox(label, options, index=options.index(initial), key=key)
    st.query_params[key] = value
    return value


def _goals_or_note(viewer: Viewer, period: Period, metric: str) -> pd.DataFrame | None:
    """The period's goals, or None after saying there are none yet and how to start."""
    table = ui.cached(planning.goal_table)(viewer, period.label, metric)
    if table.empty:
        st.info(ui.tr("goals.settings.none", period=period.label))
        return None
    return table


def _tree_labels(table: pd.DataFrame, lang: str, keep=None) -> dict[int, str]:
    """Goal id → its name indented by level (for select boxes), optionally only rows ``keep``
    accepts."""
    return {
        int(r.id): "　" * int(r.depth) + str(getattr(r, f"name_{lang}"))
        for r in table.itertuples(index=False)
        if keep is None or keep(r)
    }


def _value_text(metric: str, lang: str):
    """Formatter of display values for read-only table cells."""
    digits = 0 if metric in (GoalMetric.NEW_CUSTOMERS, GoalMetric.VISITS) else 2

    def text(value: float, sign: bool = False) -> str:
        return f"{value:{'+' if sign else ''},.{digits}f}"

    return text


def _people_labels(people: pd.DataFrame) -> dict[int, str]:
    return {
        int(r.id): present.with_unit(r.display_name, r.username, ui.lang())
        for r in people.itertuples(index=False)
    }


# --- tab: the tree -------------------------------------------------------------------------


def tree_editor(viewer: Viewer, period: Period, metric: str) -> None:
    """The period's goals as an editable table (target and owner), saved in one go."""
    lang = ui.lang()
    table = _goals_or_note(viewer, period, metric)
    if table is None:
        return
    people = ui.cached(planning.people)(viewer)
    owners = _people_labels(people)
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
            "scope": [ui.tr(f"goals.scope.{s}") for s in table["scope"]],
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
                st.error(f"{name}：{present.error_text(error, lang)}")
        except PermissionDenied as error:
            _show_error(error)
        else:
            st.session_state["goal_settings_message"] = ui.tr(
                "goals.settings.saved", count=len(result.changed)
            )
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
        labels = _tree_labels(table, lang)
        with st.form("goal_delete_form"):
            chosen = st.selectbox(
                ui.tr("goals.field.id"), list(labels), format_func=labels.get, key="delete_goal"
            )
            below = st.checkbox(ui.tr("goals.settings.with_children"), key="delete_with_children")
            if st.form_submit_button(ui.tr("goals.settings.delete_button")):
                version = int(table.loc[table["id"] == chosen, "version"].iloc[0])
                done = _write(
                    lambda s: delete_goal(s, viewer, chosen, version, with_children=below),
                    ui.tr("goals.settings.deleted"),
                )
                if done:
                    st.rerun()


# --- tab: add a goal ---------------------------------------------------------------------------


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
    parents = _tree_labels(table, lang, lambda r: SCOPE_ORDER[r.scope] < SCOPE_ORDER[scope])
    people = ui.cached(planning.people)(viewer)
    owners = _people_labels(people)
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
                key="add_dimension",
            )
        owner = st.selectbox(
            ui.tr("goals.field.owner_id"),
            list(owners),
            format_func=owners.get,
            index=None,
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
                _show_error(error)
                return
            draft = GoalDraft(
                period=period.label, metric=metric, scope=scope,
                target=typed * Decimal(str(factor)), parent_id=parent, owner_id=owner, **dims,
            )  # fmt: skip
            if _write(lambda s: create_goal(s, viewer, draft), ui.tr("goals.settings.added")):
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


# --- tab: split ------------------------------------------------------------------------------


def split_tab(viewer: Viewer, period: Period, metric: str) -> None:
    """Split a goal over the next level by percent or amount; the remainder shows live."""
    lang = ui.lang()
    table = _goals_or_note(viewer, period, metric)
    if table is None:
        return
    labels = _tree_labels(table, lang, lambda r: r.scope != GoalScope.REP)
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
        },
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
        _show_error(error)
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
        if _write(
            lambda s: allocation.split_goal(s, viewer, parent, parts, mode),
            ui.tr("goals.settings.split_done"),
        ):
            st.rerun()


# --- tab: seasonal spread ----------------------------------------------------------------------


def spread_tab(viewer: Viewer, period: Period, metric: str) -> None:
    """Spread a year (or quarter) goal and its subtree over months by seasonal weights."""
    lang = ui.lang()
    if period.kind == "month":
        st.info(ui.tr("goals.settings.spread_pick_year"))
        return
    table = _goals_or_note(viewer, period, metric)
    if table is None:
        return
    labels = _tree_labels(table, lang)
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
            },
        )  # fmt: skip
    target = float(table.loc[table["id"] == goal, "target"].iloc[0])
    try:
        preview = allocation.seasonal_spread(
            target, weights["weight"].fillna(0).tolist(), allocation.target_step(metric)
        )
    except GoalError as error:
        _show_error(error)
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
        )
    if st.button(ui.tr("goals.settings.spread_button"), type="primary", key="spread_apply"):
        values = weights["weight"].fillna(0).tolist()
        if _write(
            lambda s: allocation.spread_goal(s, viewer, goal, values),
            ui.tr("goals.settings.spread_done"),
        ):
            st.rerun()


# --- tab: copy last period -----------------------------------------------------------------------


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
            done = _write(
                lambda s: allocation.copy_structure(
                    s, viewer, metric, source.label, period.label, growth / 100
                ),
                ui.tr("goals.settings.copied", source=source.label, target=period.label),
            )
            if done:
                st.rerun()


# --- tab: template -------------------------------------------------------------------------------


def template_tab(viewer: Viewer, period: Period, metric: str) -> None:
    """Download the period's goals as a template; upload a filled one (all rows or none)."""
    lang = ui.lang()
    st.download_button(
        ui.tr("goals.settings.template_download"),
        data=lambda: _template_bytes(viewer, period.label, metric, lang),
        file_name=f"goals_{metric}_{period.label}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
    )
    upload = st.file_uploader(
        ui.tr("goals.settings.template_upload"), type=["xlsx"], key="goal_template"
    )
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with ui.writing() as session:
            rows = template.read_template(session, data)
            if not st.button(
                ui.tr("goals.settings.import_button", count=len(rows)),
                type="primary",
                key="template_import",
            ):
                return
            result = template.import_goals(session, viewer, rows)
    except template.TemplateError as error:
        st.error(ui.tr("goals.settings.template_problems", count=len(error.problems)))
        st.dataframe(
            pd.DataFrame(error.problems, columns=["row", "column", "problem"]),
            hide_index=True,
            column_config={
                "row": ui.tr("goals.field.row"),
                "column": ui.tr("goals.settings.column"),
                "problem": ui.tr("goals.col.problem"),
            },
        )
        return
    except PermissionDenied as error:
        _show_error(error)
        return
    st.success(
        ui.tr(
            "goals.settings.imported",
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    )


def _template_bytes(viewer: Viewer, period: str, metric: str, lang: str) -> bytes:

    if not viewer.can_edit_goals:
        raise PermissionDenied("goals.edit", "only leaders and admins set goals")
    with read_session(ui.engine()) as session:
        return template.template_xlsx(session, period, metric, lang)
