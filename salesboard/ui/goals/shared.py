"""Widgets the goal pages share: the metric picker and the page header of period and
metric (both kept in the URL), unit captions, the number format of goal values and the
pace colours of tables."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.goals.format import is_money, unit_label
from salesboard.goals.view import GoalTreeView
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
