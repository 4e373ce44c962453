"""The page "what top performers do differently": the comparison table with each finding in
words (or why there is none), and a scatter of one behaviour against the result."""

from __future__ import annotations

import math

import pandas as pd
import plotly.express as px
import streamlit as st

from salesboard import ui
from salesboard.evaluation.top_performers import (
    BEHAVIOURS,
    MIN_GROUP,
    Comparison,
    compare_top_and_bottom,
    groups_of,
)
from salesboard.improvement.knowledge import search_practices
from salesboard.ui.improvement_link import current_link, new_action_button, practice_links

PERCENT = ("effective_share", "action_on_time")


def _value(behaviour: str, value: float) -> str:
    if value is None or math.isnan(value):
        return "—"
    if behaviour in PERCENT:
        return f"{value * 100:.0f}%"
    return f"{value:.1f}"


def _number(value: float) -> str:
    return "—" if value is None or math.isnan(value) or math.isinf(value) else f"{value:.1f}"


def comparison_table(found: list[Comparison]) -> None:
    """One row per behaviour: the two groups' means, the ratio, d and the verdict."""
    st.dataframe(
        pd.DataFrame({
            ui.tr_text("top.behaviour"): [ui.tr_text(f"top.b.{c.behaviour}") for c in found],
            ui.tr_text("top.col.top_mean"): [_value(c.behaviour, c.top_mean) for c in found],
            ui.tr_text("top.col.bottom_mean"): [_value(c.behaviour, c.bottom_mean) for c in found],
            ui.tr_text("top.col.ratio"): [_number(c.ratio) for c in found],
            ui.tr_text("top.col.effect"): [_number(c.effect) for c in found],
            ui.tr_text("top.col.verdict"): [ui.tr_text(f"top.verdict.{c.verdict}") for c in found],
        }),
        hide_index=True, width="stretch", key="top_table",
    )  # fmt: skip


def findings(found: list[Comparison]) -> list[tuple[Comparison, str]]:
    """Each clear or moderate difference with its words (the strongest first)."""
    stated = sorted(
        (c for c in found if c.verdict in ("clear", "moderate")), key=lambda c: -abs(c.effect)
    )
    return [
        (c, ui.tr_text(
            "top.finding", behaviour=ui.tr_text(f"top.b.{c.behaviour}"),
            top=_value(c.behaviour, c.top_mean), bottom=_value(c.behaviour, c.bottom_mean),
            ratio=_number(c.ratio), effect=_number(c.effect),
        ))
        for c in stated
    ]  # fmt: skip


# The improvement target metric a behaviour is measured by, where there is one.
TARGET_METRIC = {
    "action_on_time": "key_actions_on_time",
    "effective_share": "effective_visits",
    "visits_per_week": "effective_visits",
    "stage_pace": "over_standard",
}


def _act_on(comparison: Comparison, line: str, period_label: str) -> None:
    """Under a finding: the best practices about that behaviour, and a button that makes an
    improvement action of it (linking back to this page and period)."""
    name = ui.tr_text(f"top.b.{comparison.behaviour}")
    with st.container(border=True):
        st.caption(ui.escape_markdown(line))
        practices = ui.cached(search_practices)(name, "", 3)
        if not practices.empty:
            practice_links(practices)
        new_action_button(
            "top_bottom", f"{period_label}:{comparison.behaviour}",
            {"area": name, "pain_point": line,
             "metric": TARGET_METRIC.get(comparison.behaviour, "")},
            current_link("/top-performers"),
        )  # fmt: skip


def top_performers_view(frame: pd.DataFrame, by: str, period_label: str) -> None:
    """The comparison of ``frame`` (``rep_behaviours``) ranked by ``by``."""
    by_name = ui.tr_text(f"top.by.{by}")
    st.caption(ui.tr("top.caption", by=by_name, period=period_label))
    ranked = int(frame[by].notna().sum())
    if ranked < 2:
        st.info(ui.tr("top.empty"))
        return
    found = compare_top_and_bottom(frame, by)
    if min(found[0].top_n, found[0].bottom_n) < MIN_GROUP:
        st.warning(ui.tr("top.thin", count=ranked, by=by_name, n=MIN_GROUP))
    st.markdown(f"**{ui.tr('top.findings')}**")
    stated = findings(found)
    if stated:
        st.markdown("\n".join(f"- {ui.escape_markdown(line)}" for _, line in stated))
        for comparison, line in stated:
            _act_on(comparison, line, period_label)
    else:
        st.info(ui.tr("top.no_finding", n=MIN_GROUP))
    comparison_table(found)
    _scatter(frame, by)
    with st.expander(ui.tr("top.method")):
        st.markdown(ui.tr("top.method_text", n=MIN_GROUP))


def _scatter(frame: pd.DataFrame, by: str) -> None:
    names = {b: ui.tr_text(f"top.b.{b}") for b in BEHAVIOURS}
    x = st.selectbox(ui.tr("top.scatter_x"), list(names), format_func=names.__getitem__,
                     key="top_scatter_x")  # fmt: skip
    groups = groups_of(frame, by).map(lambda g: ui.tr_text(f"top.group.{g}"))
    data = frame.assign(group=groups).dropna(subset=[x, by])
    figure = px.scatter(
        data, x=x, y=by, color="group", hover_name="name",
        labels={x: names[x], by: ui.tr_text(f"top.by.{by}"), "group": ui.tr_text("top.group")},
        title=ui.tr_text("top.scatter"),
    )  # fmt: skip
    if by in ("attainment", "win_rate"):
        figure.update_yaxes(tickformat=".0%")
    if x in PERCENT:
        figure.update_xaxes(tickformat=".0%")
    figure.update_layout(margin={"l": 10, "r": 10, "t": 40, "b": 10}, legend_title_text="")
    ui.plotly_chart(figure, key="top_scatter", width="stretch")
