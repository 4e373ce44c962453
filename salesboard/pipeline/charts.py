"""Plotly figures of the pipeline review (SVG only): funnel with an optional comparison,
lost by stage, stage-duration distribution against the standards, the monthly duration
trend and counts by risk flag / theme."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from salesboard.i18n import format_money, format_percent, t
from salesboard.outputs.charts import money_axis_values
from salesboard.outputs.colours import series_style

CURRENT_COLOR = "#1f6feb"
OTHER_COLOR = "#8c959f"
STANDARD_COLOR = "#d1242f"
_MARGIN = {"t": 50, "b": 10, "l": 10, "r": 10}


def _names(frame: pd.DataFrame, lang: str) -> list[str]:
    return frame[f"name_{lang}"].tolist()


def funnel_chart(
    current: pd.DataFrame,
    lang: str,
    measure: str = "count",
    other: pd.DataFrame | None = None,
    labels: tuple[str, str] = ("", ""),
) -> go.Figure:
    """The funnel (``stage_funnel`` frames) by count or amount, with ``other`` as a second,
    grey funnel beside it; each bar says its share of the first stage."""
    figure = go.Figure()
    series = [(current, labels[0] or t("pipeline.series_current", lang), CURRENT_COLOR)]
    if other is not None:
        series.append((other, labels[1] or t("pipeline.series_other", lang), OTHER_COLOR))
    for frame, name, color in series:
        values = (
            frame["reached"]
            if measure == "count"
            else money_axis_values(frame["amount_minor"], lang)
        )
        values_text = [
            f"{int(n):,}" if measure == "count" else format_money(int(a), lang)
            for n, a in zip(frame["reached"], frame["amount_minor"], strict=True)
        ]
        # The share of the first stage, worked out here: plotly's own "percent initial"
        # reads "Infinity%" when nothing entered the first stage.
        first = float(values.iloc[0]) if len(values) else 0.0
        shares = [format_percent(float(v) / first if first else None) for v in values]
        # Our own figures on two lines through the template: the texts themselves are escaped
        # before drawing (``ui.plotly_chart``), so a "<br>" inside them would show literally.
        figure.add_trace(
            go.Funnel(
                y=_names(frame, lang),
                x=values,
                name=name,
                customdata=[[v, s] for v, s in zip(values_text, shares, strict=True)],
                texttemplate="%{customdata[0]}<br>%{customdata[1]}",
                marker={"color": color},
                connector={"visible": other is None},
                hovertemplate="%{y}: %{customdata[0]} (%{customdata[1]})<extra>"
                + name
                + "</extra>",
            )
        )
    figure.update_layout(
        title=t(f"pipeline.funnel_title_{measure}", lang),
        margin=_MARGIN,
        height=380,
        legend={"orientation": "h", "y": -0.08},
        showlegend=other is not None,
    )
    return figure


def lost_chart(lost: pd.DataFrame, stage_names: dict[str, str], lang: str) -> go.Figure:
    """Bars of lost deals per stage they were lost in (``lost_dropouts``)."""
    figure = go.Figure(
        go.Bar(
            x=[stage_names.get(s, s) for s in lost["stage"]],
            y=lost["lost"],
            text=[
                f"{n:,} · {share:.0%}" for n, share in zip(lost["lost"], lost["share"], strict=True)
            ],
            textposition="auto",
            marker_color="#cf222e",
            hovertemplate="%{x}: %{y:,}<extra></extra>",
        )
    )
    figure.update_layout(title=t("pipeline.lost_title", lang), margin=_MARGIN, height=300)
    return figure


# The statistics of a duration box, each from its column of the duration summary (the
# whiskers at the 10th and 90th percentiles).
BOX_STATISTICS = {
    "q1": "p25_days",
    "median": "median_days",
    "q3": "p75_days",
    "lowerfence": "p10_days",
    "upperfence": "p90_days",
    "mean": "mean_days",
}


def duration_box_chart(summary: pd.DataFrame, lang: str) -> go.Figure:
    """Per stage, a box of the stays' working days (quartiles, whiskers at the 10th and
    90th percentiles, dashed mean) with the stage standard as a red marker."""
    rows = summary[summary["count"] > 0]
    names = _names(rows, lang)
    figure = go.Figure(
        go.Box(
            x=names,
            **{statistic: rows[column] for statistic, column in BOX_STATISTICS.items()},
            name=t("pipeline.series_stays", lang),
            marker_color=CURRENT_COLOR,
            boxmean=True,
        )
    )
    figure.add_scatter(
        x=names,
        y=rows["standard_days"],
        mode="markers",
        marker={
            "symbol": "line-ew-open",
            "size": 40,
            "color": STANDARD_COLOR,
            "line": {"width": 3},
        },
        name=t("pipeline.series_standard", lang),
        hovertemplate="%{x}: %{y}<extra></extra>",
    )
    figure.update_layout(
        title=t("pipeline.box_title", lang),
        yaxis_title=t("pipeline.working_days", lang),
        margin=_MARGIN,
        height=380,
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


def duration_trend_chart(trend: pd.DataFrame, lang: str, relative: bool = False) -> go.Figure:
    """Mean working days per stage and month (or the mean ÷ the standard, with 1 = on
    standard) over the trend's months."""
    figure = go.Figure()
    for index, (_, rows) in enumerate(trend.groupby("position", sort=True)):
        values = rows["mean_days"] / rows["standard_days"] if relative else rows["mean_days"]
        figure.add_scatter(
            x=rows["month"],
            y=values,
            mode="lines+markers",
            name=rows[f"name_{lang}"].iloc[0],
            hovertemplate="%{x}: %{y:.1f}<extra>%{fullData.name}</extra>",
            **series_style(index),  # each stage its own hue and marker: no look-alike pairs
        )
    if relative:
        figure.add_hline(y=1, line_dash="dash", line_color=STANDARD_COLOR)
    figure.update_layout(
        title=t(f"pipeline.trend_title_{'relative' if relative else 'days'}", lang),
        xaxis={"type": "category"},
        yaxis_title=t("pipeline.times_standard" if relative else "pipeline.working_days", lang),
        margin=_MARGIN,
        height=360,
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


def count_bars(
    labels: list[str], counts: list[int], title: str, color: str = CURRENT_COLOR
) -> go.Figure:
    """Horizontal bars of counts per label, biggest on top."""
    figure = go.Figure(
        go.Bar(
            y=labels,
            x=counts,
            orientation="h",
            text=[f"{c:,}" for c in counts],
            textposition="auto",
            marker_color=color,
            hovertemplate="%{y}: %{x:,}<extra></extra>",
        )
    )
    figure.update_layout(
        title=title,
        yaxis={"autorange": "reversed"},
        margin=_MARGIN,
        height=max(220, 60 + 36 * len(labels)),
    )
    return figure


QUALITY_COLORS = {"high": "#1a7f37", "medium": "#d4a72c", "low": "#cf222e", "none": "#afb8c1"}


def quality_chart(quality: pd.DataFrame, band_names: dict[str, str], lang: str) -> go.Figure:
    """Open deals per stage stacked by assessed quality band (``pipeline.assessment.
    pipeline_quality``), stages top to bottom in process order."""
    stages = quality.drop_duplicates("position").sort_values("position")
    names = _names(stages, lang)
    figure = go.Figure()
    for band, name in band_names.items():
        part = quality[quality["band"] == band].set_index("position")["count"]
        counts = [int(part.get(p, 0)) for p in stages["position"]]
        figure.add_bar(
            y=names, x=counts, name=name, orientation="h", marker_color=QUALITY_COLORS[band],
            hovertemplate=f"%{{y}} · {name}: %{{x:,}}<extra></extra>",
        )  # fmt: skip
    figure.update_layout(
        barmode="stack",
        title=t("pipeline.quality_chart", lang),
        yaxis={"autorange": "reversed"},
        margin=_MARGIN,
        height=max(240, 90 + 40 * len(names)),
        legend={"orientation": "h", "y": -0.12, "traceorder": "normal"},
        # whole deals: no 0.5 ticks on a short axis
        xaxis={"tickformat": ",d", **({"dtick": 1} if quality["count"].max() <= 8 else {})},
    )
    return figure
