"""What top performers do differently (高绩效行为对比): reps ranked by a result, the top and
bottom quarters compared on their behaviours — ``ui.top_performers``."""

import streamlit as st

from salesboard import ui
from salesboard.evaluation.top_performers import RANK_BY, rep_behaviours
from salesboard.ui.top_performers import top_performers_view

viewer = ui.page_viewer(__file__)
st.title(ui.tr("top.title"))
period_column, by_column = st.columns([3, 1])
with period_column:
    period = ui.period_picker()
names = {by: ui.tr_text(f"top.by.{by}") for by in RANK_BY}
with by_column:
    by = ui.url_select("by", ui.tr("top.rank_by"), list(RANK_BY), "attainment", names.get)
frame = ui.cached(rep_behaviours)(viewer, period.label, "revenue", ui.as_of())
top_performers_view(frame, by, period.label)
