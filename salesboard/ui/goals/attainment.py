"""What the attainment page shows of the drilled goal: its tiles (target, actual,
attainment against pace, gap, time elapsed), the table of its children, and the XLSX/CSV
downloads of the whole visible tree."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.goals import present, tree
from salesboard.goals.format import format_goal_value
from salesboard.goals.view import GoalTreeView
from salesboard.i18n import format_percent, format_points
from salesboard.outputs.export import to_csv_bytes, to_xlsx
from salesboard.store.models import GoalMetric
from salesboard.ui import deal_list
from salesboard.ui.goals.shared import pace_style, value_format


def node_tiles(view: GoalTreeView, node_id: int) -> None:
    """Target, actual, attainment (vs pace), still to go and time elapsed of the node."""
    lang, metric = ui.lang(), view.metric
    row = view.node(node_id)

    def value(v) -> str:
        return format_goal_value(None if tree._missing(v) else v, metric, lang)

    target, actual, attained, gap, elapsed = st.columns(5)
    target.metric(ui.tr("goals.col.target"), value(row["target"]))
    actual.metric(ui.tr("goals.col.actual"), value(row["actual"]))
    if metric == GoalMetric.REVENUE and not tree._missing(row["actual"]):
        # The actual opens the deals behind it (won in the period, the goal's dimensions).
        deal_list.deals_link(actual, "won", view.period, **deal_list.goal_codes(row))
    vs_pace = None if tree._missing(row["vs_pace"]) else float(row["vs_pace"])
    attained.metric(
        ui.tr("goals.col.attainment"),
        format_percent(None if tree._missing(row["attainment"]) else row["attainment"]),
        delta=None if vs_pace is None else f"{format_points(vs_pace)} {ui.tr('goals.vs_pace')}",
        help=ui.tr(
            "goals.attainment_help_lower" if view.lower_is_better else "goals.attainment_help"
        ),
    )
    gap.metric(ui.tr("goals.col.gap"), value(row["gap"]), help=ui.tr("goals.gap_help"))
    elapsed.metric(ui.tr("goals.col.elapsed"), format_percent(view.elapsed))


def node_table(view: GoalTreeView, node_id: int) -> None:
    """The node's children (or the node itself, for a rep) with target, share, actual,
    attainment, gap, elapsed and pace; results are left out where the viewer may only see
    targets."""
    lang, metric = ui.lang(), view.metric
    frame = present.node_table(view, node_id, lang)
    value = value_format(metric, lang)
    formats = dict.fromkeys(present.VALUE_COLUMNS, value)
    formats.update(dict.fromkeys(present.RATIO_COLUMNS, "{:.1%}"))
    formats["vs_pace"] = "{:+.1f}"
    styled = frame.style.format(formats, na_rep="—").map(pace_style, subset=["pace"])
    # All rows share one level (the children's): it goes in the caption, not in every row.
    columns = [c for c in present.TABLE_COLUMNS if c not in ("id", "scope")]
    if frame["actual"].isna().all():
        columns = ["name", "owner", "target", "share_of_parent"]
    if len(view.children(node_id)):
        st.caption(ui.tr("goals.table.children", scope=frame["scope"].iloc[0]))
    st.dataframe(
        styled,
        hide_index=True,
        column_order=columns,
        column_config={c: present.column_label(c, metric, lang) for c in present.TABLE_COLUMNS},
        key="goal_table",
        placeholder="—",
    )


def downloads(view: GoalTreeView) -> None:
    """XLSX (indented levels, with the findings) and CSV of the whole visible tree."""
    lang = ui.lang()
    stem = f"goals_{view.metric}_{view.period.label}"
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(
        ui.tr("goals.download_xlsx"),
        data=lambda: to_xlsx(
            [present.export_sheet(view, lang), present.findings_sheet(view, lang)]
        ),
        file_name=f"{stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
    )
    right.download_button(
        ui.tr("goals.download_csv"),
        data=lambda: to_csv_bytes(present.csv_frame(view, lang)),
        file_name=f"{stem}.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
    )
