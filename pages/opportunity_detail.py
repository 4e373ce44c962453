"""One opportunity (``?code=XS…``): the deal, its stage stays against the standards, its key
actions and its history. A code the viewer may not read shows nothing but "not found".
``?deals=won&period=…`` lists the deals behind a tile instead (``ui.deal_list``)."""

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.calendar.periods import period_containing
from salesboard.i18n import format_money
from salesboard.pipeline.edits import risk_flag_label
from salesboard.pipeline.opportunity import (
    opportunity_actions,
    opportunity_card,
    opportunity_history,
    opportunity_stays,
)
from salesboard.ui import deal_list

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

st.subheader(ui.escape_markdown(f"{card.code} · {card.name}"))
flag = risk_flag_label(card.risk_flag, lang)
st.markdown(
    f"{ui.tr('pipeline.risk_flag')}: "
    + (f":red-badge[:material/flag: {ui.escape_markdown(flag)}]" if flag else "—")
)
tiles = st.columns(4)
tiles[0].metric(ui.tr("pipeline.stage"), ui.escape_markdown(getattr(card, f"stage_{lang}")))
tiles[1].metric(ui.tr("deal.status"), ui.tr(f"status.{card.status}"))
amount = format_money(card.amount_minor, lang)
tiles[2].metric(ui.tr("pipeline.amount"), amount)
tiles[3].metric(ui.tr("pipeline.owner"), ui.escape_markdown(card.owner))
facts = {
    ui.tr("pipeline.customer"): card.customer,
    ui.tr("filters.team"): card.team,
    ui.tr("filters.region"): getattr(card, f"region_{lang}"),
    ui.tr("filters.product"): getattr(card, f"product_{lang}"),
    ui.tr("deal.created_on"): card.created_on,
    ui.tr("deal.stage_entered_on"): card.stage_entered_on,
    ui.tr("deal.expected_close_on"): card.expected_close_on or "—",
    ui.tr("deal.last_activity_on"): card.last_activity_on or "—",
    ui.tr("pipeline.next_step"): card.next_step or "—",
}
if card.won_on:
    facts[ui.tr("deal.won_on")] = card.won_on
if card.lost_on:
    facts[ui.tr("deal.lost_on")] = f"{card.lost_on} · {card.lost_reason}"
st.markdown("  \n".join(f"**{k}**: {ui.escape_markdown(v)}" for k, v in facts.items()))

stays_tab, actions_tab, history_tab = st.tabs(
    [ui.tr("deal.tab_stages"), ui.tr("deal.tab_actions"), ui.tr("deal.tab_history")]
)
stays = ui.cached(opportunity_stays)(card, ui.as_of())
stays_tab.dataframe(
    pd.DataFrame(
        {
            ui.tr("pipeline.stage"): stays[f"name_{lang}"],
            ui.tr("deal.entered_on"): stays["entered_on"],
            ui.tr("deal.left_on"): stays["left_on"].map(
                lambda d: ui.tr("deal.still_here") if d is None or pd.isna(d) else str(d)
            ),
            ui.tr("deal.working_days"): stays["days"],
            ui.tr("pipeline.standard"): stays["standard_days"],
            ui.tr("deal.over"): stays["over"],
        }
    ),
    hide_index=True,
    key="deal_stays",
    placeholder="—",
)
actions = ui.cached(opportunity_actions)(card)
actions["action"] = actions["action"].map(lambda a: ui.key_action_name(a, lang))
actions_tab.dataframe(
    actions.drop(columns=[f"stage_{'en' if lang == 'zh' else 'zh'}"]).rename(
        columns=lambda c: ui.tr(f"deal.action_{c}")
    ),
    hide_index=True,
    key="deal_actions",
    placeholder="—",
)
history = ui.cached(opportunity_history)(card)
kinds = history["kind"].map(lambda k: ui.tr(f"event.{k}"))
history_tab.dataframe(
    pd.DataFrame(
        {
            ui.tr("deal.happened_on"): history["happened_on"],
            ui.tr("deal.event"): kinds,
            ui.tr("deal.old_value"): history["old_value"].map(lambda v: risk_flag_label(v, lang)),
            ui.tr("deal.new_value"): history[f"stage_{lang}"].where(
                history["kind"] == "stage",
                history["new_value"].map(lambda v: risk_flag_label(v, lang)),
            ),
            ui.tr("deal.note"): history["note"],
            ui.tr("deal.actor"): history["actor"],
        }
    ),
    hide_index=True,
    key="deal_history",
    column_config={ui.tr("deal.note"): st.column_config.TextColumn(width="large")},
    placeholder="—",
)
st.page_link("pages/pipeline_review.py", label=ui.tr("deal.back"), icon=":material/arrow_back:")
