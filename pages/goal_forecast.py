"""Trend and forecast: attainment by month across the year, where the period will land
(run-rate and weighted pipeline side by side), and how far each forecast was off before."""

import streamlit as st

from salesboard import ui
from salesboard.goals.forecast import forecast_node, node_backtest, node_forecast
from salesboard.goals.view import goal_tree
from salesboard.ui.goals import forecast as forecast_ui
from salesboard.ui.goals.shared import period_and_metric, unit_caption, viewer_total

viewer = ui.page_viewer(__file__)
st.title(ui.tr("goals.forecast.title"))
period, metric = period_and_metric()
as_of = ui.as_of()

tree = ui.cached(goal_tree)(viewer, period.label, metric, as_of, False)
goal = forecast_node(tree, forecast_ui.node_picker(tree))
if goal is None:
    st.info(ui.tr("goals.forecast.nothing", period=period.label))
    st.stop()
result = ui.cached(node_forecast)(viewer, period.label, metric, as_of, goal)
st.caption(ui.tr("goals.forecast.caption", date=as_of.isoformat()) + " · " + unit_caption(tree))
viewer_total(tree, goal.node_id)

forecast_ui.trend(result.trend, tree.period.start.year, metric)
st.subheader(ui.tr("goals.forecast.heading", period=period.label))
if not result.forecast.supports_forecast:
    st.info(ui.tr("goals.forecast.average_metric"))
else:
    forecast_ui.tiles(result.forecast)
    forecast_ui.comparison(result.forecast)
    with st.spinner(ui.tr("goals.backtest.running")):
        past = ui.cached(node_backtest, hourly=True)(viewer, period.label, metric, as_of, goal)
    forecast_ui.backtest(past)
