"""The decomposition check of the attainment page: goals whose children do not add up and
goals without an owner, as sentences with a button each or, when many, as a table whose
rows open the goal."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.goals import present
from salesboard.goals.view import GoalTreeView
from salesboard.ui.goals.drill import set_node
from salesboard.ui.goals.shared import value_format

# Up to this many findings read as sentences with a button each; more become a table.
FINDINGS_AS_LIST = 8


def findings_section(view: GoalTreeView, node_id: int) -> None:
    """The decomposition check: every node whose children do not add up, and unowned nodes."""
    st.subheader(ui.tr("goals.check.title"))
    if view.findings.empty:
        st.success(ui.tr("goals.check.ok"))
        return
    lang, metric = ui.lang(), view.metric
    count = len(view.findings)
    st.warning(
        ui.tr("goals.check.found_one") if count == 1 else ui.tr("goals.check.found", count=count)
    )
    frame = present.findings_table(view, lang)
    if len(frame) <= FINDINGS_AS_LIST:
        for row in frame.itertuples(index=False):
            text, button = st.columns([6, 1], vertical_alignment="center")
            path, problem = ui.escape_markdown(row.path), ui.escape_markdown(row.problem)
            text.markdown(f"**{path}**：{problem}" if lang == "zh" else f"**{path}**: {problem}")
            if int(row.id) != node_id:
                button.button(
                    ui.tr("goals.check.open"), key=f"finding_{row.id}", type="tertiary",
                    on_click=set_node, args=(int(row.id),),
                )  # fmt: skip
        return
    value = value_format(metric, lang)
    columns = ["path", "problem", "difference"]
    styled = frame.style.format({"difference": value.replace("{:", "{:+")}, na_rep="—")
    event = st.dataframe(
        styled,
        hide_index=True,
        column_order=columns,
        column_config={c: present.column_label(c, metric, lang) for c in columns}
        | {
            "problem": st.column_config.TextColumn(
                present.column_label("problem", metric, lang), width="large"
            )
        },
        on_select="rerun",
        selection_mode="single-row",
        key=f"goal_findings_{node_id}",
        placeholder="—",
    )
    st.caption(ui.tr("goals.check.jump"))
    rows = event.selection.rows if event else []
    if rows and int(frame["id"].iloc[rows[0]]) != node_id:
        set_node(int(frame["id"].iloc[rows[0]]))
        st.rerun()
