"""Plotly figures built from query results; pages only place them (SVG, never WebGL).
Amounts on an axis are in the locale's money unit, named once in the axis title; hover text
and bar labels read as everywhere else (``Locale.money``)."""

from __future__ import annotations

import html
from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go

from salesboard.i18n import t
from salesboard.i18n.locale import locale_for

# Trace attributes plotly draws as (HTML-like) text; ids, parents and customdata stay as they
# are (a click reports them back), and hover templates are ours.
_TEXT_ATTRIBUTES = ("x", "y", "labels", "text", "hovertext", "name", "legendgroup")
_AXES_WITH_TITLES = ("xaxis", "yaxis", "legend", "coloraxis")


def chart_text(value: str) -> str:
    """``value`` as plotly shows text literally: plotly renders <a href>, <b>, <br> and
    <img>-like tags in labels but decodes entities, so &, < and > become entities."""
    return html.escape(value, quote=False)


def safe_figure(figure: go.Figure) -> go.Figure:
    """``figure`` with every text plotly draws from the data escaped (``chart_text``):
    category labels, legend names, box labels, titles. Applied once per figure."""
    if getattr(figure, "_text_escaped", False):
        return figure
    for trace in figure.data:
        for attribute in _TEXT_ATTRIBUTES:
            if attribute in trace:
                escaped = _escaped(trace[attribute])
                if escaped is not None:
                    trace[attribute] = escaped
    for path in ("title.text", *(f"{axis}.title.text" for axis in _AXES_WITH_TITLES)):
        try:
            title = figure.layout[path]
        except (KeyError, ValueError):
            continue
        if isinstance(title, str):
            figure.layout[path] = chart_text(title)
    figure._text_escaped = True
    return figure


def _escaped(value):
    if isinstance(value, str):
        return chart_text(value)
    if isinstance(value, tuple | list) and any(isinstance(v, str) for v in value):
        return [chart_text(v) if isinstance(v, str) else v for v in value]
    if hasattr(value, "dtype") and value.dtype == object:  # numpy arrays of labels
        return [chart_text(v) if isinstance(v, str) else v for v in value]
    return None


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
