"""Leaderboard: reps and teams ranked by goal attainment, with visits, key-action completion
and win rate beside the rank so the reason behind it shows."""

import streamlit as st

from salesboard import ui
from salesboard.goals.leaderboard import leaderboard
from salesboard.ui.goals.leaderboard import leaderboard_table
from salesboard.ui.goals.shared import metric_picker, metric_unit_caption

viewer = ui.page_viewer(__file__)
st.title(ui.tr("goals.board.title"))
period_column, metric_column, level_column = st.columns([3, 1, 1])
with period_column:
    period = ui.period_picker()
metric = metric_picker(metric_column)
levels = {"rep": ui.tr("goals.board.reps"), "team": ui.tr("goals.board.teams")}
with level_column:
    level = ui.url_select("level", ui.tr("goals.board.level"), list(levels), "rep", levels.get)
as_of = ui.as_of()
st.caption(
    ui.tr("goals.board.caption", period=period.label, date=as_of.isoformat())
    + " · "
    + metric_unit_caption(metric)
)
table = ui.cached(leaderboard)(viewer, period.label, metric, as_of, level)
if table.empty:
    st.info(ui.tr("goals.board.empty"))
    st.stop()
leaderboard_table(table, metric, level)
st.caption(ui.tr("goals.board.help"))
