"""Plotly figures built from query results; pages only place them (SVG, never WebGL).
Amounts on an axis are in the locale's money unit, named once in the axis title; hover text
and bar labels read as everywhere else (``Locale.money``)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from salesboard.i18n import t
from salesboard.i18n.locale import locale_for


def money_axis_values(minor: pd.Series, lang: str) -> pd.Series:
    """Minor units to the chart unit of ``lang`` (``Locale.money_unit``: 万元 in Chinese,
    whole currency units in English)."""
    return minor.astype("float64") / locale_for(lang).money_unit().minor_per_unit


def money_texts(minor: Iterable, lang: str) -> list[str]:
    """Each amount (minor units) as it reads everywhere else, for bar labels and hover text."""
    locale = locale_for(lang)
    return [locale.money(None if pd.isna(v) else int(v)) for v in minor]


def money_axis(lang: str, title: str | None = None) -> dict:
    """A plotly axis for amounts in ``money_axis_values``: the title names the unit once
    ("金额（万元）" / "Amount (CNY)"), the ticks are plain numbers with separators (never
    "12k 万元")."""
    locale = locale_for(lang)
    label = title or t("overview.amount", lang)
    return {"title": locale.with_unit(label, locale.money_unit().label), **locale.money_axis()}


def won_vs_goal_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Bars of won amount per month with the goal as a line (columns: month, won_minor, goal_minor)."""
    figure = go.Figure()
    for column, name, style in (
        ("won_minor", "overview.series_won", {"marker_color": "#1f6feb"}),
        (
            "goal_minor",
            "overview.series_goal",
            {"mode": "lines+markers", "line": {"color": "#d1242f", "dash": "dash"}},
        ),
    ):
        add = figure.add_bar if column == "won_minor" else figure.add_scatter
        add(
            x=frame["month"],
            y=money_axis_values(frame[column], lang),
            name=t(name, lang),
            customdata=money_texts(frame[column], lang),
            hovertemplate="%{x} · %{fullData.name}: %{customdata}<extra></extra>",
            **style,
        )
    figure.update_layout(
        title=t("overview.trend_title", lang),
        # Month labels as they are ("2026-01"): a date axis would say "Jan 2026" in Chinese.
        xaxis={"title": t("overview.month", lang), "type": "category"},
        yaxis=money_axis(lang),
        legend={"orientation": "h", "y": -0.2},
        margin={"t": 50, "b": 10, "l": 10, "r": 10},
        height=360,
    )
    return figure


def pipeline_by_stage_chart(frame: pd.DataFrame, lang: str) -> go.Figure:
    """Horizontal bars of open amount per stage, labelled with that amount (what the bar's
    length shows); the count of deals is in the hover text."""
    names = frame[locale_for(lang).name_column()]
    amounts = money_texts(frame["amount_minor"], lang)
    counts = [t("overview.deal_count", lang, count=f"{int(n):,}") for n in frame["count"]]
    figure = go.Figure(
        go.Bar(
            y=names,
            x=money_axis_values(frame["amount_minor"], lang),
            orientation="h",
            text=amounts,
            textposition="auto",
            marker_color="#54aeff",
            customdata=list(zip(amounts, counts, strict=True)),
            hovertemplate="%{y}: %{customdata[0]} · %{customdata[1]}<extra></extra>",
        )
    )
    figure.update_layout(
        title=t("overview.pipeline_title", lang),
        xaxis=money_axis(lang),
        yaxis={"autorange": "reversed"},
        margin={"t": 50, "b": 10, "l": 10, "r": 10},
        height=360,
    )
    if frame.empty:  # say so, rather than draw empty axes running from -1 to 4
        figure.update_layout(xaxis={"visible": False}, yaxis={"visible": False})
        figure.add_annotation(
            text=t("overview.no_open", lang), showarrow=False, font={"size": 14},
            xref="paper", yref="paper", x=0.5, y=0.5,
        )  # fmt: skip
    return figure
