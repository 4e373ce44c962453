"""The one way a figure reaches the page: plotly renders HTML-like tags in labels (links
included), so what users typed is escaped first (``outputs.charts.safe_figure``)."""

from __future__ import annotations

from typing import Any

import plotly.io as pio
import streamlit as st

from salesboard.outputs.charts import safe_figure

# Streamlit styles every chart with its own theme in the browser: plotly's default template
# only cost the server time to apply and 6 KB of JSON per figure.
pio.templates.default = "none"


def plotly_chart(figure, *, where: Any = None, **kwargs: Any):
    """``st.plotly_chart`` (or ``where.plotly_chart`` for a column) of ``figure`` with its
    labels escaped; returns the selection event as Streamlit does."""
    return (where or st).plotly_chart(safe_figure(figure), **kwargs)
