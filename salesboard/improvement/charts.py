"""The "did it work" chart: the metric before and after for the pilot teams and the rest."""

from __future__ import annotations

import plotly.graph_objects as go

from salesboard.improvement.did import Comparison

PILOT_COLOUR, REST_COLOUR = "#1f6feb", "#8c959f"


def did_chart(comparison: Comparison, unit: str, labels: dict[str, str], title: str) -> go.Figure:
    """Two lines (pilots, rest) over before → after; ratios drawn as percentages.
    ``labels``: the translated words for pilot, rest, before, after."""
    scale = 100 if unit == "%" else 1
    figure = go.Figure()
    x = [labels["before"], labels["after"]]
    for name, before, after, colour in (
        (labels["pilot"], comparison.pilot_before, comparison.pilot_after, PILOT_COLOUR),
        (labels["rest"], comparison.rest_before, comparison.rest_after, REST_COLOUR),
    ):
        y = [None if c.value is None else c.value * scale for c in (before, after)]
        figure.add_trace(
            go.Scatter(x=x, y=y, name=name, mode="lines+markers+text", line={"color": colour},
                       text=["" if v is None else f"{v:.1f}" for v in y],
                       textposition="top center")
        )  # fmt: skip
    figure.update_layout(
        title=title, height=320, margin={"l": 40, "r": 20, "t": 50, "b": 40},
        yaxis={"ticksuffix": "%" if unit == "%" else ""}, legend={"orientation": "h", "y": -0.2},
    )  # fmt: skip
    return figure
