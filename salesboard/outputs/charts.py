"""Plotly figures built from query results; pages only place them (SVG, never WebGL)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from salesboard.i18n import t
from salesboard.i18n.locale import locale_for


def money_axis_values(minor: pd.Series, lang: str) -> pd.Series:
    """Minor units to the chart unit of ``lang`` (``Locale.money_unit``: 万元 in Chinese,
    whole currency units in English)."""
    return minor.astype("float64") / locale_for(lang).money_unit().minor_per_unit


def money_axis(lang: str, title: str | None = None) -> dict:
    """A plotly axis for amounts in ``money_axis_values``: the title names the unit once
    ("金额（万元）" / "Amount (CNY)"), ticks with separators (zh) or K/M (en)."""
    locale = locale_for(lang)
    label = title or t("overview.amount", lang)
    return {"title": locale.with_unit(label, locale.money_unit().label), **locale.money_axis()}


def won_vs_goal_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Bars of won amount per month with the goal as a line (columns: month, won_minor, goal_minor)."""
    figure = go.Figure()
    figure.add_bar(
        x=frame["month"],
        y=money_axis_values(frame["won_minor"], lang),
        name=t("overview.series_won", lang),
        marker_color="#1f6feb",
    )
    figure.add_scatter(
        x=frame["month"],
        y=money_axis_values(frame["goal_minor"], lang),
        name=t("overview.series_goal", lang),
        mode="lines+markers",
        line={"color": "#d1242f", "dash": "dash"},
    )
    figure.update_layout(
        title=t("overview.trend_title", lang),
        xaxis_title=t("overview.month", lang),
        yaxis=money_axis(lang),
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 50, "b": 10, "l": 10, "r": 10},
        height=360,
    )
    return figure


def pipeline_by_stage_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars of open amount per stage, labelled with the count."""
    names = frame[locale_for(lang).name_column()]
    figure = go.Figure(
        go.Bar(
            y=names,
            x=money_axis_values(frame["amount_minor"], lang),
            orientation="h",
            text=[f"{n:,}" for n in frame["count"]],
            textposition="auto",
            marker_color="#54aeff",
            hovertemplate=f"%{{y}}: %{{x:{locale_for(lang).money_axis()['hoverformat']}}}<extra></extra>",
        )
    )
    figure.update_layout(
        title=t("overview.pipeline_title", lang),
        xaxis=money_axis(lang),
        yaxis={"autorange": "reversed"},
        margin={"t": 50, "b": 10, "l": 10, "r": 10},
        height=360,
    )
    return figure
