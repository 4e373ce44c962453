"""Plotly figures built from query results; pages only place them (SVG, never WebGL)."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from salesboard.i18n import t

_MINOR_PER_DISPLAY = {"zh": 100 * 10_000, "en": 100}  # zh shows 万元, en shows currency units


def money_axis_values(minor: pd.Series, lang: str) -> pd.Series:
    """Minor units to the chart unit of ``lang`` (万元 for zh, whole currency for en)."""
    return minor.astype("float64") / _MINOR_PER_DISPLAY[lang]


def _money_axis_title(lang: str) -> str:
    return t("unit.wan_yuan", lang) if lang == "zh" else "CNY"


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
        yaxis_title=_money_axis_title(lang),
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 50, "b": 10, "l": 10, "r": 10},
        height=360,
    )
    return figure


def pipeline_by_stage_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars of open amount per stage, labelled with the count."""
    names = frame[f"name_{lang}"]
    figure = go.Figure(
        go.Bar(
            y=names,
            x=money_axis_values(frame["amount_minor"], lang),
            orientation="h",
            text=[f"{n:,}" for n in frame["count"]],
            textposition="auto",
            marker_color="#54aeff",
            hovertemplate="%{y}: %{x:,.1f}<extra></extra>",
        )
    )
    figure.update_layout(
        title=t("overview.pipeline_title", lang),
        xaxis_title=_money_axis_title(lang),
        yaxis={"autorange": "reversed"},
        margin={"t": 50, "b": 10, "l": 10, "r": 10},
        height=360,
    )
    return figure
