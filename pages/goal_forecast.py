"""Trend and forecast: attainment by month across the year, where the period will land
(run-rate and weighted pipeline side by side), and how far each forecast was off before."""

import streamlit as st

from salesboard import ui
from salesboard.goals.forecast import forecast_view
from salesboard.goals.view import goal_tree
from salesboard.ui.goals import forecast as forecast_ui
from salesboard.ui.goals.shared import period_and_metric, unit_caption, viewer_total

viewer = ui.page_viewer(__file__)
st.title(ui.tr("goals.forecast.title"))
period, metric = period_and_metric()
as_of = ui.as_of()

tree = ui.cached(goal_tree)(viewer, period.label, metric, as_of, False)
node = forecast_ui.node_picker(tree)
if node is None:
    st.info(ui.tr("goals.forecast.nothing", period=period.label))
    st.stop()
result = ui.cached(forecast_view)(viewer, period.label, metric, as_of, node, 0)
st.caption(ui.tr("goals.forecast.caption", date=as_of.isoformat()) + " · " + unit_caption(tree))
viewer_total(tree, node)

forecast_ui.trend(result, metric)
st.subheader(ui.tr("goals.forecast.heading", period=period.label))
if not result.forecast.supports_forecast:
    st.info(ui.tr("goals.forecast.average_metric"))
else:
    forecast_ui.tiles(result.forecast)
    forecast_ui.comparison(result.forecast)
    with st.spinner(ui.tr("goals.backtest.running")):
        past = ui.cached(forecast_view, hourly=True)(viewer, period.label, metric, as_of, node)
    forecast_ui.backtest(past.forecast)
