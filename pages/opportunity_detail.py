"""One opportunity (``?code=XS…``), the rep's workspace: the deal's header, its stage checklist
with move / win / lose, key actions, visits, edits and the timeline with comments. A code the
viewer may not read shows nothing but "not found". ``?deals=won&period=…`` lists the deals
behind a tile instead (``ui.deal_list``)."""

import streamlit as st

from salesboard import ui
from salesboard.calendar.periods import period_containing
from salesboard.pipeline.opportunity import opportunity_card
from salesboard.ui import deal_assess, deal_forms, deal_list, deal_page, deal_ratings, deal_support
from salesboard.ui.deal_actions import show_flash, stale_notice

lang = ui.lang()
viewer = ui.page_viewer(__file__)
if kind := deal_list.requested_list():  # the deals behind a tile (?deals=won&period=…)
    st.title(ui.tr("deals.title"))
    deal_list.deal_list_view(kind)
    st.stop()
st.title(ui.tr("deal.title"))
code = st.text_input(ui.tr("deal.code"), value=st.query_params.get("code", ""), key="deal_code")
if not code:
    st.info(ui.tr("deal.enter_code"))
    deal_list.list_links(period_containing("quarter", ui.as_of()))
    st.stop()
st.query_params["code"] = code.strip().upper()
card = ui.cached(opportunity_card)(viewer, code)
if card is None:
    st.warning(ui.tr("deal.not_found", code=code.strip().upper()))
    st.stop()

show_flash()
deal_page.header(card)
editable = deal_page.may_work_on(viewer, card)
if viewer.can_edit_opportunities:
    stale_notice(card)
else:
    st.info(ui.tr("work.read_only"))
# Keyed: the open tab survives the rerun a save makes (an unkeyed one would reset to the first).
tabs = st.tabs(
    [
        ui.tr_text(f"work.tab_{n}")
        for n in (
            "checklist",
            "actions",
            "visit",
            "assess",
            "support",
            "timeline",
            "files",
            "ratings",
        )
    ]
    + ([ui.tr_text("work.tab_edit")] if editable else []),
    key=f"deal_tabs_{ui.lang()}",
    on_change="rerun",
)
# Each tab's content in the order of the labels above (the edit tab last, when offered).
drawers = [
    lambda: deal_page.stage_tab(card, editable),
    lambda: deal_forms.actions_tab(card, editable),
    lambda: deal_forms.visits_tab(card, editable),
    lambda: deal_assess.assessment_tab(card, editable),
    lambda: deal_support.support_tab(card, editable),
    lambda: deal_forms.timeline_tab(card, viewer.can_edit_opportunities),
    lambda: deal_forms.files_tab(card, editable),
    lambda: deal_ratings.ratings_section(card),
] + ([lambda: deal_forms.edit_tab(card)] if editable else [])
for tab, draw in zip(tabs, drawers, strict=True):
    with tab:
        draw()
st.page_link("pages/pipeline_review.py", label=ui.tr("deal.back"), icon=":material/arrow_back:")
