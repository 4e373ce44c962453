"""Plotly figures of the goal pages (SVG only): the goal treemap coloured by attainment
against the pace, the monthly attainment trend, and the forecast comparison."""

from __future__ import annotations

import calendar
import math

import pandas as pd
import plotly.colors
import plotly.graph_objects as go

from salesboard.goals import tree
from salesboard.goals.format import format_goal_value, format_share, to_display, unit_label
from salesboard.goals.view import GoalTreeView
from salesboard.i18n import format_percent, t
from salesboard.outputs.charts import chart_text
from salesboard.outputs.colours import text_colour_on

# Diverging scale centred on the pace: red = behind, pale yellow = on pace, green = ahead.
PACE_SCALE = "RdYlGn"
# Colour saturates this many percentage points away from the pace.
PACE_RANGE = 30.0
CONTEXT_COLOUR = "#d0d7de"  # nodes shown for orientation only (no actual for this viewer)
NO_DATA_COLOUR = "#eaeef2"
REMAINDER_COLOUR = "#f6f8fa"  # target not split to any child yet
FINDING_LINE = "#cf222e"
TREEMAP_DEPTH = 2  # levels below the current node drawn in the treemap


def pace_colour(vs_pace: float | None) -> str:
    """The colour of a node ``vs_pace`` points from its pace (None: no attainment)."""
    if vs_pace is None or (isinstance(vs_pace, float) and math.isnan(vs_pace)):
        return NO_DATA_COLOUR
    position = (max(-PACE_RANGE, min(PACE_RANGE, vs_pace)) + PACE_RANGE) / (2 * PACE_RANGE)
    return plotly.colors.sample_colorscale(PACE_SCALE, [position])[0]


def _box_sizes(part: pd.DataFrame) -> dict[int, float]:
    """Area of each box: its target, or its children's areas when they add up to more (plotly
    draws nothing for a parent smaller than its children); unallocated target stays empty. A
    context box (target shown for orientation) is as large as what the viewer sees in it."""
    sizes: dict[int, float] = {}
    kids: dict[int, list[int]] = {}
    for node, parent in zip(part["id"], part["parent_id"], strict=True):
        if not tree._missing(parent):
            kids.setdefault(int(parent), []).append(int(node))
    rows = zip(part["id"][::-1], part["target"][::-1], part["context"][::-1], strict=True)
    for node, target, context in rows:
        children = kids.get(int(node), [])
        inner = sum(sizes.get(k, 0.0) for k in children)
        own = float(target) if target > 0 else 0.0
        sizes[int(node)] = inner if context and children else max(own, inner)
    return sizes


def _remainders(part: pd.DataFrame, sizes: dict[int, float]) -> dict[int, float]:
    """Per drawn node with drawn children: the target its children leave unallocated."""
    kids: dict[int, float] = {}
    for node, parent in zip(part["id"], part["parent_id"], strict=True):
        if not tree._missing(parent) and int(parent) in sizes:
            kids[int(parent)] = kids.get(int(parent), 0.0) + sizes[int(node)]
    context = dict(zip(part["id"].astype(int), part["context"], strict=True))
    return {
        node: sizes[node] - inner
        for node, inner in kids.items()
        if not context[node] and sizes[node] - inner > 0.005 * sizes[node]
    }


def _hover(row: pd.Series, metric: str, lang: str) -> str:
    lines = [f"<b>{chart_text(str(row[f'name_{lang}']))}</b>"]
    if row["owner_name"]:
        lines.append(f"{t('goals.col.owner', lang)}: {chart_text(str(row['owner_name']))}")
    lines.append(f"{t('goals.col.target', lang)}: {format_goal_value(row['target'], metric, lang)}")
    if not tree._missing(row["share_of_parent"]):
        lines.append(
            f"{t('goals.col.share_of_parent', lang)}: {format_share(row['share_of_parent'])}"
        )
    if row["context"]:
        lines.append(t("goals.context_only", lang))
        return "<br>".join(lines)
    lines.append(f"{t('goals.col.actual', lang)}: {format_goal_value(row['actual'], metric, lang)}")
    lines.append(f"{t('goals.col.attainment', lang)}: {format_percent(row['attainment'])}")
    if not tree._missing(row["vs_pace"]):
        lines.append(f"{t('goals.col.vs_pace', lang)}: {row['vs_pace']:+.1f} pp")
    return "<br>".join(lines)


def goal_treemap(view: GoalTreeView, node_id: int, lang: str, height: int = 520) -> go.Figure:
    """Treemap of ``node_id`` and two levels below it: area = target, colour = attainment
    against the pace (time elapsed; 100 % for averages), red outline = a decomposition finding.
    Box ids are goal ids, so a click names the goal to drill into."""
    part = tree.subtree(view.nodes, node_id, depth=TREEMAP_DEPTH)
    metric = view.metric
    sizes = _box_sizes(part)
    flagged = set(view.findings.loc[view.findings["kind"] != "no_owner", "id"].astype(int))
    colours, lines, widths, texts, hovers = [], [], [], [], []
    for _, row in part.iterrows():
        node = int(row["id"])
        colours.append(CONTEXT_COLOUR if row["context"] else pace_colour(row["vs_pace"]))
        lines.append(FINDING_LINE if node in flagged else "#ffffff")
        widths.append(3 if node in flagged else 1)
        value = format_goal_value(row["target"], metric, lang)
        if row["context"]:
            texts.append(value)
        else:
            texts.append(f"{format_percent(row['attainment'])} · {value}")
        hovers.append(_hover(row, metric, lang))
    ids = [str(int(i)) for i in part["id"]]
    labels = [
        ("⚠ " if int(i) in flagged else "") + str(n)
        for i, n in zip(part["id"], part[f"name_{lang}"], strict=True)
    ]
    parents = [
        "" if int(i) == node_id or tree._missing(p) else str(int(p))
        for i, p in zip(part["id"], part["parent_id"], strict=True)
    ]
    values = [sizes[int(i)] for i in part["id"]]
    # The part of a target not split to any child gets its own labelled box (plotly would
    # leave it blank); its id is not a goal id, so a click on it drills nowhere.
    for parent, rest in _remainders(part, sizes).items():
        amount = format_goal_value(rest, metric, lang)
        ids.append(f"{parent}-rest")
        labels.append(t("goals.unallocated", lang))
        parents.append(str(parent))
        values.append(rest)
        colours.append(REMAINDER_COLOUR)
        lines.append("#8c959f")
        widths.append(1)
        texts.append(amount)
        hovers.append(f"{t('goals.unallocated', lang)}: {amount}")
    figure = go.Figure(
        go.Treemap(
            ids=ids,
            labels=labels,
            parents=parents,
            values=values,
            branchvalues="total",
            marker={"colors": colours, "line": {"color": lines, "width": widths}},
            # Black or white, whichever reads on the box's colour (≥ 4.5:1).
            textfont={"color": [text_colour_on(c) for c in colours]},
            text=texts,
            customdata=hovers,
            texttemplate="<b>%{label}</b><br>%{text}",
            hovertemplate="%{customdata}<extra></extra>",
            pathbar={"visible": False},
            maxdepth=TREEMAP_DEPTH + 1,
            tiling={"pad": 2},
            sort=False,
        )
    )
    # A colour bar explaining the colours: plotly draws none for explicit treemap colours, so
    # an empty scatter carries it.
    reference = "100%" if metric in tree.AVERAGE_METRICS else t("goals.legend.time", lang)
    figure.add_scatter(
        x=[None],
        y=[None],
        mode="markers",
        showlegend=False,
        hoverinfo="skip",
        marker={
            "colorscale": PACE_SCALE,
            "cmin": -PACE_RANGE,
            "cmax": PACE_RANGE,
            "color": [0],
            "showscale": True,
            "colorbar": {
                "title": {
                    "text": t("goals.legend.title", lang, reference=reference),
                    "side": "right",
                },
                "tickvals": [-PACE_RANGE, -15, 0, 15, PACE_RANGE],
                "ticktext": [
                    t("goals.legend.behind", lang, points=int(PACE_RANGE)),
                    "−15",
                    t("goals.legend.on_pace", lang),
                    "+15",
                    t("goals.legend.ahead", lang, points=int(PACE_RANGE)),
                ],
                "thickness": 14,
                "len": 0.9,
            },
        },
    )
    figure.update_layout(
        height=height,
        margin={"t": 10, "b": 10, "l": 10, "r": 10},
        xaxis={"visible": False},
        yaxis={"visible": False},
        plot_bgcolor="rgba(0,0,0,0)",
        uniformtext={"minsize": 10, "mode": "hide"},
    )
    return figure


def _nan_to_none(value):
    return None if tree._missing(value) else value


def month_label(label: str, lang: str, partial: bool = False) -> str:
    """ "2026-03" as "3月" / "Mar"; a month still under way gets a "*"."""
    number = int(label[5:7])
    text = f"{number}月" if lang == "zh" else calendar.month_abbr[number]
    return text + ("*" if partial else "")


def attainment_trend_chart(
    trend: pd.DataFrame, metric: str, lang: str, partial_month: str | None = None
) -> go.Figure:
    """Monthly target and actual (bars) with attainment and year-to-date attainment (lines,
    right axis, %) across a year; ``partial_month`` (label) is marked as still under way.

    ``trend`` columns: ``month`` (label), ``target``, ``actual``, ``attainment``,
    ``cumulative_attainment``."""
    months = [month_label(m, lang, m == partial_month) for m in trend["month"]]
    figure = go.Figure()
    for column, colour in (("target", "#d0d7de"), ("actual", "#1f6feb")):
        figure.add_bar(
            x=months,
            y=[to_display(v, metric, lang) for v in trend[column]],
            name=t(f"goals.col.{column}", lang),
            marker_color=colour,
            customdata=[format_goal_value(_nan_to_none(v), metric, lang) for v in trend[column]],
            hovertemplate="%{x} · %{fullData.name}: %{customdata}<extra></extra>",
        )
    for column, name, line in (
        ("attainment", "goals.col.attainment", {"color": "#bf3989"}),
        ("cumulative_attainment", "goals.trend.cumulative", {"color": "#8250df", "dash": "dot"}),
    ):
        figure.add_scatter(
            x=months,
            y=trend[column] * 100,
            name=t(name, lang),
            yaxis="y2",
            mode="lines+markers" if column == "attainment" else "lines",
            line=line,
            hovertemplate="%{y:.1f}%<extra></extra>",
        )
    highest = pd.concat([trend["attainment"], trend["cumulative_attainment"]]).max()
    top = (
        max(120.0, math.ceil((float(highest) * 100 + 5) / 20) * 20) if pd.notna(highest) else 120.0
    )
    figure.update_layout(
        barmode="group",
        height=380,
        margin={"t": 30, "b": 10, "l": 10, "r": 10},
        xaxis={"type": "category"},
        yaxis={"title": unit_label(metric, lang), "rangemode": "tozero", "tickformat": ",.0f"},
        yaxis2={
            "title": t("goals.col.attainment", lang),
            "overlaying": "y",
            "side": "right",
            "range": [0, top],
            # Gridlines every 20 points up to 200 %, then coarser: 440 % in steps of 20 made a
            # wall of labels on a phone.
            "dtick": 20 if top <= 200 else (50 if top <= 500 else 100),
            "ticksuffix": "%",
            "tickformat": ".0f",
            "showgrid": False,
        },
        legend={"orientation": "h", "y": -0.15},
    )
    return figure


def forecast_chart(result, lang: str) -> go.Figure:
    """Target, actual so far and the two period-end forecasts side by side (horizontal bars),
    with the target as a reference line."""
    metric = result.metric
    rows = [
        (t("goals.forecast.actual_so_far", lang), result.actual, "#1f6feb"),
        (t("goals.forecast.run_rate", lang), result.run_rate, "#8250df"),
        (t("goals.forecast.pipeline", lang), result.pipeline, "#bf8700"),
    ]
    rows = [r for r in rows if r[1] is not None]
    values = [to_display(v, metric, lang) for _, v, _ in rows]
    figure = go.Figure(
        go.Bar(
            y=[name for name, _, _ in rows],
            x=values,
            orientation="h",
            marker_color=[c for _, _, c in rows],
            text=[format_goal_value(v, metric, lang) for _, v, _ in rows],
            textposition="auto",
            hoverinfo="skip",
        )
    )
    if result.target:
        target = to_display(result.target, metric, lang)
        figure.add_vline(
            x=target,
            line={"color": "#cf222e", "dash": "dash"},
            annotation_text=t(
                "goals.forecast.target_line",
                lang,
                value=format_goal_value(result.target, metric, lang),
            ),
            # Beside the line, on a white ground: the line never runs through its label.
            annotation_position="top left",
            annotation_bgcolor="rgba(255,255,255,0.9)",
            annotation_font_color="#cf222e",
        )
    figure.update_layout(
        height=230,
        margin={"t": 30, "b": 10, "l": 10, "r": 10},
        xaxis={"title": unit_label(metric, lang), "rangemode": "tozero", "tickformat": ",.0f"},
        yaxis={"autorange": "reversed"},
        showlegend=False,
    )
    return figure
