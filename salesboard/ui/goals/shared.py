"""Widgets the goal pages share: the metric picker and the page header of period and
metric (both kept in the URL), unit captions, the number format of goal values, the pace
colours of tables, and the viewer's total beside one branch of their goals."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.figures.attainment import Attainment, viewer_attainment
from salesboard.goals.format import format_goal_value, is_money, unit_label
from salesboard.goals.view import GoalTreeView
from salesboard.i18n import format_percent
from salesboard.store.models import GoalMetric

METRIC_KEY = "metric"


def metric_picker(container=None) -> str:
    """The goal metric (revenue, new customers …), bound to ``?metric=``."""
    labels = {str(m): ui.tr(f"goals.metric.{m}") for m in GoalMetric}
    return ui.url_select(
        METRIC_KEY,
        ui.tr("goals.metric"),
        list(labels),
        GoalMetric.REVENUE,
        labels.get,
        container=container,
    )


def period_and_metric():
    """The period picker and the metric picker side by side (both in the URL), and the
    working-calendar notice for the period: the header of the goal pages."""
    period_column, metric_column = st.columns([3, 1])
    with period_column:
        period = ui.period_picker()
    metric = metric_picker(metric_column)
    ui.calendar_notice(ui.as_of(), period.end)
    return period, metric


PACE_COLOURS = {"▲": "#1a7f37", "●": "#9a6700", "▼": "#cf222e"}


def value_format(metric: str, lang: str) -> str:
    """The format string of ``metric``'s values in display units (万元 keep a decimal)."""
    if metric in (GoalMetric.NEW_CUSTOMERS, GoalMetric.VISITS):
        return "{:,.0f}"
    return "{:,.1f}" if lang == "zh" or metric == GoalMetric.CYCLE_DAYS else "{:,.0f}"


def pace_style(text: str) -> str:
    """The CSS of a pace cell: green ahead (▲), amber on pace (●), red behind (▼)."""
    colour = PACE_COLOURS.get(str(text)[:1])
    return f"color: {colour}; font-weight: 600" if colour else ""


def unit_caption(view: GoalTreeView) -> str:
    """ "Money in 万元" etc. for captions."""
    return metric_unit_caption(view.metric)


def metric_unit_caption(metric: str) -> str:
    """The unit tables of ``metric`` use, for a caption."""
    key = "goals.units_money" if is_money(metric) else "goals.units"
    return ui.tr(key, unit=unit_label(metric, ui.lang()))


def shows_whole(view: GoalTreeView, node_id: int, total: Attainment) -> bool:
    """True when the drilled node is all of the viewer's goals (nothing to add beside it)."""
    virtual = bool(view.node(node_id)["virtual"])
    shown = set(view.children(node_id)["id"].astype(int)) if virtual else {node_id}
    return set(total.goal_ids) == shown


def viewer_total(view: GoalTreeView, node_id: int) -> None:
    """Beside one branch of the viewer's goals: a tile with the attainment over all of them
    (``figures.attainment``, the number the Overview and the leaderboard show) and a caption
    that says the page shows one branch."""
    total = ui.cached(viewer_attainment)(
        ui.viewer(), view.period.label, view.metric, view.as_of, view.effective_visits
    )
    if not total.goal_ids or shows_whole(view, node_id, total):
        return
    lang = ui.lang()

    def value(v) -> str:
        return format_goal_value(v, view.metric, lang)

    tile, note = st.columns([2, 3], vertical_alignment="center")  # the label reads whole
    tile.metric(
        ui.tr("figures.all_goals", goals=len(total.goal_ids)),
        format_percent(total.ratio),
        help=ui.tr(
            "figures.all_goals_help", actual=value(total.actual), target=value(total.target)
        ),
        border=True,
    )
    note.caption(ui.tr("figures.one_branch", goals=len(total.goal_ids)))
