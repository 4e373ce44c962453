"""Scorecard (绩效评估): each rep's or team's score for a month, quarter or year — process
and result metrics normalised to 0–100 and weighted by the stored weight set — explained by
a waterfall, placed in the distribution, followed over the last periods."""

import streamlit as st

from salesboard import ui
from salesboard.evaluation.scorecard import score_trend, scorecards
from salesboard.ui import scorecard as view

viewer = ui.page_viewer(__file__)
st.title(ui.tr("score.title"))
period_column, level_column = st.columns([3, 1])
with period_column:
    period = ui.period_picker(default_kind="month")
levels = {"rep": ui.tr("score.level.rep"), "team": ui.tr("score.level.team")}
with level_column:
    level = ui.url_select("level", ui.tr("score.level"), list(levels), "rep", levels.get)
as_of = ui.as_of()
st.caption(ui.tr("score.caption", period=period.label, date=as_of.isoformat()))
cards = ui.cached(scorecards)(viewer, level, period, as_of)
if not cards:
    st.info(ui.tr("score.empty"))
    st.stop()
by_id = {str(c.subject_id): c for c in cards}
own = str(viewer.user_id) if level == "rep" and str(viewer.user_id) in by_id else None
chosen = by_id[
    ui.url_select(
        "who",
        ui.tr("score.person"),
        list(by_id),
        own or next(iter(by_id)),
        lambda i: ui.escape_markdown(by_id[i].name),
    )  # fmt: skip
]
view.score_tiles(chosen)
left, right = st.columns([3, 2])
with left:
    view.waterfall(chosen)
with right:
    view.distribution(cards, chosen, level)
view.metric_table(chosen)
# A rep sees their own trend at once; for someone else's it is one switch away (five more
# periods of that person's figures: a third of a second at 1M deals).
own_card = level == "rep" and chosen.subject_id == viewer.user_id
if own_card or st.toggle(ui.tr("score.show_trend"), key="score_show_trend"):
    view.trend(ui.cached(score_trend)(viewer, level, chosen.subject_id, period, as_of, 6, chosen))
view.normalisation_rules()
with st.expander(ui.tr("score.all")):
    view.everyone_table(cards)
    view.export_button(cards, period.label, as_of)
    view.save_buttons(viewer, level, period, as_of, any(c.saved_id for c in cards))
view.weights_editor(viewer, as_of)
