"""The overdue table as an editor inside a form: risk flag, next step, a new planned date
and a comment per row; saved per row through ``salesboard.pipeline.edits``.

The rows the user edits are pinned in the session (with the ``version`` each was loaded
with) until they save, reload or change the filters: another manager's save elsewhere
must not shift the rows under an edit in progress; a row they changed is refused on save
instead, by its code.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.i18n import format_list
from salesboard.pipeline.edits import (
    RISK_FLAGS,
    SaveReport,
    edits_from_editor,
    risk_flag_label,
    save_overdue_edits,
)
from salesboard.ui.pipeline_common import (
    detail_links,
    display_money,
    link_column,
    money_column,
    money_header,
)

_PINNED = "pl_overdue_pinned"
_GENERATION = "pl_overdue_generation"
_REPORT = "pl_overdue_report"
EDITABLE = ("risk_flag", "next_step", "new_planned_on", "comment")


def _reasons(reasons: tuple[str, ...]) -> str:
    return format_list((ui.tr(f"overdue.{r}") for r in reasons), ui.lang())


def editor_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """The pinned rows as the editor shows them (display columns, empty edit columns)."""
    lang = ui.lang()
    return pd.DataFrame(
        {
            "link": detail_links(rows["code"]),
            "customer": rows["customer"],
            "owner": rows["owner"],
            "stage": rows[f"stage_{lang}"],
            "severity": rows["severity"],
            "reasons": rows["reasons"].map(_reasons),
            "key_action": rows["key_action"].map(lambda a: ui.key_action_name(a, lang)),
            "planned_on": pd.to_datetime(rows["planned_on"]),
            "customer_feedback": rows["customer_feedback"],
            "risk_flag": rows["risk_flag"].fillna(""),
            "next_step": rows["next_step"].fillna(""),
            "new_planned_on": pd.Series(pd.NaT, index=rows.index, dtype="datetime64[ns]"),
            "comment": pd.Series("", index=rows.index, dtype="object"),
            "done_on": pd.to_datetime(rows["done_on"]),
            "deliverable": rows["deliverable"],
            "amount": display_money(rows["amount_minor"]),
            "last_comment": rows["last_comment"],
        }
    ).reset_index(drop=True)


def _columns(rows: pd.DataFrame, editable: bool) -> dict:
    lang = ui.lang()
    flags = ["", *RISK_FLAGS, *sorted(set(rows["risk_flag"].dropna()) - set(RISK_FLAGS) - {""})]
    text = st.column_config.TextColumn
    return {
        "link": link_column(),
        "customer": text(ui.tr("pipeline.customer"), width="medium"),
        "stage": text(ui.tr("pipeline.stage"), width="small"),
        "key_action": text(ui.tr("pipeline.key_action")),
        "planned_on": st.column_config.DateColumn(
            ui.tr("pipeline.planned_on"), format="YYYY-MM-DD"
        ),
        "done_on": st.column_config.DateColumn(ui.tr("pipeline.done_on"), format="YYYY-MM-DD"),
        "deliverable": text(ui.tr("pipeline.deliverable")),
        "customer_feedback": text(ui.tr("pipeline.customer_feedback")),
        "owner": text(ui.tr("pipeline.owner"), width="small"),
        "risk_flag": st.column_config.SelectboxColumn(
            "✎ " + ui.tr("pipeline.risk_flag"),
            options=flags,
            format_func=lambda f: risk_flag_label(f, lang) if f else "—",
            disabled=not editable,
            width="medium",
        ),
        "next_step": text("✎ " + ui.tr("pipeline.next_step"), max_chars=200, disabled=not editable),
        "new_planned_on": st.column_config.DateColumn(
            "✎ " + ui.tr("pipeline.new_planned_on"),
            format="YYYY-MM-DD",
            min_value=ui.as_of(),
            disabled=not editable,
            help=ui.tr("pipeline.new_planned_on_help"),
        ),
        "comment": text("✎ " + ui.tr("pipeline.comment"), max_chars=1000, disabled=not editable),
        "severity": st.column_config.NumberColumn(
            ui.tr("pipeline.severity"), help=ui.tr("pipeline.severity_help"), width="small"
        ),
        "reasons": text(ui.tr("pipeline.reasons")),
        "amount": money_column(money_header()),
        "last_comment": text(ui.tr("pipeline.last_comment")),
    }


def overdue_editor(table: pd.DataFrame, signature: tuple) -> None:
    """Draw the editor for ``table`` (pinned per ``signature``: filters, as-of, owners)."""
    viewer = ui.viewer()
    editable = viewer.can_edit_opportunities
    pinned = st.session_state.get(_PINNED)
    if pinned is None or pinned[0] != signature:
        pinned = (signature, table.reset_index(drop=True))
        st.session_state[_PINNED] = pinned
    rows = pinned[1]
    _show_report()
    if rows.empty:
        st.success(ui.tr("pipeline.no_overdue"))
        return
    if not editable:
        st.info(ui.tr("pipeline.read_only"))
    generation = st.session_state.setdefault(_GENERATION, 0)
    key = f"pl_overdue_editor_{generation}"
    frame = editor_frame(rows)
    with st.form("pl_overdue_form", border=False):
        st.data_editor(
            frame,
            key=key,
            hide_index=True,
            disabled=[c for c in frame.columns if not (editable and c in EDITABLE)],
            column_config=_columns(rows, editable),
            height=min(640, 38 + 35 * len(frame)),
            placeholder="—",
        )
        left, right = st.columns([1, 5])
        saved = left.form_submit_button(
            ui.tr("pipeline.save"), type="primary", disabled=not editable, key="pl_overdue_save"
        )
        reload = right.form_submit_button(ui.tr("pipeline.reload"), key="pl_overdue_reload")
    if saved:
        state = st.session_state.get(key) or {}
        changes = edits_from_editor(rows, state.get("edited_rows", {}))
        if changes:
            with ui.writing() as session:
                report = save_overdue_edits(session, viewer, changes, ui.as_of())
        else:
            report = SaveReport()
        st.session_state[_REPORT] = report
    if saved or reload:
        st.session_state.pop(_PINNED, None)
        st.session_state[_GENERATION] = generation + 1
        ui.clear_cached()
        st.rerun()


def _show_report() -> None:
    """Say what the last save did, naming refused rows by their codes."""
    report: SaveReport | None = st.session_state.pop(_REPORT, None)
    if report is None:
        return
    if report.saved:
        st.success(ui.tr("pipeline.saved", count=len(report.saved), codes=", ".join(report.saved)))
    if report.conflicts:
        st.error(ui.tr("pipeline.conflicts", codes=", ".join(report.conflicts)))
    if report.denied:
        st.error(ui.tr("pipeline.denied", codes=", ".join(report.denied)))
    for code, reason in report.invalid:
        st.error(ui.tr("pipeline.invalid", code=code, reason=ui.tr(f"edit.{reason}")))
    if not (report.saved or report.conflicts or report.denied or report.invalid):
        st.info(ui.tr("pipeline.nothing_changed"))
