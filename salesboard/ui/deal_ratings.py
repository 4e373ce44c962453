"""The deal page's ratings: the deal's 1–5 stage-exit ratings, and the form a manager of the
deal's team (or an admin) rates a stage with (``pipeline.ratings``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied
from salesboard.pipeline.durations import open_stage_info
from salesboard.pipeline.opportunity import OpportunityCard
from salesboard.pipeline.ratings import RatingError, deal_ratings, record_rating
from salesboard.store.models import RATING_KINDS, Role


def ratings_section(card: OpportunityCard) -> None:
    """The deal's ratings; the rating form for managers and admins."""
    viewer = ui.viewer()
    lang = ui.lang()
    rows = ui.cached(deal_ratings)(viewer, card.id)
    if rows:
        frame = pd.DataFrame(
            {
                ui.tr("rating.stage"): [r.stage_zh if lang == "zh" else r.stage_en for r in rows],
                ui.tr("rating.kind"): [ui.tr(f"rating.kind.{r.kind}") for r in rows],
                ui.tr("rating.score"): [r.score for r in rows],
                ui.tr("rating.rated_on"): [r.rated_on.isoformat() for r in rows],
                ui.tr("rating.rated_by"): [r.rated_by for r in rows],
                ui.tr("rating.note"): [r.note for r in rows],
            }
        )
        st.dataframe(frame, hide_index=True, key="deal_ratings", placeholder="—")
    else:
        st.caption(ui.tr("rating.none"))
    if viewer.role not in (Role.MANAGER, Role.ADMIN):
        return
    stages = ui.cached(open_stage_info)()
    names = dict(zip(stages["stage_id"].astype(int), stages[f"name_{lang}"], strict=True))
    with st.form(f"rating_form_{card.id}"):
        st.markdown(f"**{ui.tr('rating.form')}**")
        stage = st.selectbox(ui.tr("rating.stage"), list(names), index=None,
                             placeholder=ui.tr("rating.pick_stage"), format_func=names.get,
                             key="rating_stage")  # fmt: skip
        kind = st.selectbox(ui.tr("rating.kind"), list(RATING_KINDS),
                            format_func=lambda k: ui.tr(f"rating.kind.{k}"), key="rating_kind")  # fmt: skip
        score = st.slider(ui.tr("rating.score"), 1, 5, 4, key="rating_score")
        rated_on = st.date_input(ui.tr("rating.rated_on"), value=ui.as_of(), key="rating_on")
        note = st.text_input(ui.tr("rating.note"), max_chars=500, key="rating_note")
        st.caption(ui.tr("rating.help"))
        if not st.form_submit_button(ui.tr("rating.save"), type="primary"):
            return
    if stage is None:
        st.error(ui.tr("rating.error.stage"))
        return
    try:
        with ui.writing() as session:
            record_rating(session, viewer, card.id, stage_id=int(stage), kind=kind,
                          score=score, rated_on=rated_on, note=note)  # fmt: skip
    except RatingError as exc:
        ui.refuse(exc, f"rating.error.{exc.field}")
        return
    except PermissionDenied as exc:
        ui.refuse(exc, "access.denied")
        return
    st.success(ui.tr("rating.saved"))
