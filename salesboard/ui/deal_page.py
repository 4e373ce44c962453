"""The deal page as the rep's workspace (issue 15): the header (customer, amount, stage, owner,
expected close, days in stage against the standard in working days) and the stage tab — the
current stage's checklist, moving on or back (with the reason the rules ask for), winning
and losing. The other tabs are in ``deal_forms``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.deals import moves, workspace
from salesboard.deals.errors import DealError
from salesboard.i18n import format_money
from salesboard.pipeline.edits import risk_flag_label
from salesboard.pipeline.opportunity import OpportunityCard, opportunity_stays
from salesboard.store.models import OpportunityStatus
from salesboard.ui.deal_actions import run_write, seen_version


def may_work_on(viewer, card: OpportunityCard) -> bool:
    """Whether the page offers ``viewer`` its forms: they may change deals and this one is not
    lost (a signed deal is still worked on in delivery)."""
    return viewer.can_edit_opportunities and card.status != OpportunityStatus.LOST


def header(card: OpportunityCard) -> None:
    """Who, what, how much, where in the process and for how long."""
    lang = ui.lang()
    st.subheader(ui.escape_markdown(f"{card.code} · {card.name}"))
    stays = ui.cached(opportunity_stays)(card, ui.as_of())
    current = stays[stays["left_on"].isna()].tail(1)
    badges = [f":gray-badge[{ui.tr_text(f'status.{card.status}')}]"]
    if not current.empty:
        stay = current.iloc[0]
        days, standard = int(stay["days"]), stay["standard_days"]
        over = stay["over"] > 0  # working days past the standard (opportunity_stays)
        text = (
            ui.tr_text("work.days_in_stage", days=days, standard=int(standard))
            if pd.notna(standard)
            else ui.tr_text("work.days_in_stage_free", days=days)
        )
        badges.append(f":{'red' if over else 'green'}-badge[:material/timer: {text}]")
    flag = risk_flag_label(card.risk_flag, lang)
    if flag:
        badges.append(f":red-badge[:material/flag: {ui.escape_markdown(flag)}]")
    st.markdown(" ".join(badges))
    # One line, not four big metrics: on a phone in the field the tabs stay in reach.
    st.markdown(
        f"**{ui.escape_markdown(getattr(card, f'stage_{lang}'))}** · "
        f"**{format_money(card.amount_minor, lang)}** · {ui.escape_markdown(card.owner)} · "
        f"{ui.tr('deal.expected_close_on')} {card.expected_close_on or '—'}"
    )
    facts = {
        ui.tr("pipeline.customer"): card.customer,
        ui.tr("filters.team"): card.team,
        ui.tr("filters.region"): getattr(card, f"region_{lang}"),
        ui.tr("filters.product"): getattr(card, f"product_{lang}"),
        ui.tr("deal.created_on"): str(card.created_on),
        ui.tr("deal.last_activity_on"): str(card.last_activity_on or "—"),
        ui.tr("pipeline.next_step"): card.next_step or "—",
    }
    if card.won_on:
        facts[ui.tr("deal.won_on")] = str(card.won_on)
    if card.lost_on:
        facts[ui.tr("deal.lost_on")] = f"{card.lost_on} · {card.lost_reason}"
    st.markdown("  \n".join(f"**{k}**: {ui.escape_markdown(v)}" for k, v in facts.items()))


def _item_line(item, lang: str) -> str:
    name = ui.escape_markdown(item.name_zh if lang == "zh" else item.name_en)
    if item.is_deliverable:
        name = f"{ui.tr_text('work.item_deliverable')}: {name}"
    if item.done:
        when = ui.tr_text("work.item_done", day=item.done_on) if item.done_on else ""
        return f":green[:material/check_circle:] {name} {when}".strip()
    when = ui.tr_text("work.item_planned", day=item.planned_on) if item.planned_on else ""
    return f":orange[:material/radio_button_unchecked:] {name} {when}".strip()


def stage_tab(card: OpportunityCard, editable: bool) -> None:
    """The current stage's checklist, then move / win / lose."""
    lang = ui.lang()
    found = ui.cached(workspace.checklist)(card)
    if found is None or card.status == OpportunityStatus.LOST:
        st.info(ui.tr("work.closed"))
        return
    stage, items = found
    name = stage.name_zh if lang == "zh" else stage.name_en
    st.markdown(f"**{ui.tr('work.checklist', stage=name)}**")
    if items:
        st.markdown("  \n".join(_item_line(item, lang) for item in items))
    if not stage.required:
        st.caption(ui.tr("work.checklist_optional"))
    if not editable or card.status != OpportunityStatus.OPEN:
        if card.status != OpportunityStatus.OPEN:
            st.info(ui.tr("work.closed"))
        return
    _move_form(card, stage.position)
    left, right = st.columns(2)
    with left:
        _win_form(card)
    with right:
        _lose_form(card)


def _move_form(card: OpportunityCard, position: int) -> None:
    lang = ui.lang()
    targets = ui.cached(workspace.move_targets)(card)
    if not targets:
        return
    names = {s.code: (s.name_zh if lang == "zh" else s.name_en) for s in targets}
    # The next stage by default: moving on is the common case, moving back the exception.
    ahead = [i for i, s in enumerate(targets) if s.position > position]
    target = st.selectbox(
        ui.tr("work.move_to"), list(names), index=ahead[0] if ahead else 0,
        format_func=names.__getitem__, key=f"deal_move_to_{card.stage_code}",
    )  # fmt: skip
    try:  # the gate as the move will see it, shown before the user submits
        plan = ui.cached(moves.plan_move)(ui.viewer(), card.code, target)
    except DealError:
        plan = None
    if plan is not None and plan.backwards:
        st.warning(ui.tr("work.back_warning"), icon=":material/undo:")
    elif plan is not None and plan.undone:
        undone = [i.name_zh if lang == "zh" else i.name_en for i in plan.undone]
        st.warning(
            ui.tr("work.gate_warning", stage=names[target], count=len(undone),
                  actions=("、" if lang == "zh" else "; ").join(undone)),
            icon=":material/checklist:",
        )  # fmt: skip
    with st.form("deal_move_form", border=False):
        reason = st.text_area(ui.tr("work.reason"), max_chars=500, help=ui.tr_text("work.reason_help"),
                              key="deal_move_reason", height=80)  # fmt: skip
        if st.form_submit_button(ui.tr("work.move"), type="primary", icon=":material/east:"):
            run_write(
                card,
                lambda s: moves.move_stage(
                    s, ui.viewer(), card.code, target, seen_version=seen_version(card),
                    reason=reason, on=ui.as_of(), today=ui.as_of(),
                ),
                ui.tr("work.moved", stage=names[target]),
            )  # fmt: skip


def _closing_days(card: OpportunityCard) -> dict:
    """The date picker's bounds for signing or losing the deal: from the day it entered its
    stage through the as-of day. A stage entered after the as-of day (history dated ahead,
    or an earlier as-of day) leaves only the as-of day, and the write names the rule it
    breaks — the picker's bounds may not cross, Streamlit refuses to draw it."""
    today = ui.as_of()
    return {"value": today, "max_value": today, "min_value": min(card.stage_entered_on, today)}


def _win_form(card: OpportunityCard) -> None:
    with st.popover(ui.tr("work.win"), icon=":material/handshake:", width="stretch"):
        with st.form("deal_win_form", border=False):
            signed = st.date_input(ui.tr("work.signed_on"), **_closing_days(card),
                                   key="deal_signed_on")  # fmt: skip
            reason = st.text_input(ui.tr("work.reason"), max_chars=500, key="deal_win_reason",
                                   help=ui.tr_text("work.reason_help"))  # fmt: skip
            if st.form_submit_button(ui.tr("work.win"), type="primary"):
                run_write(
                    card,
                    lambda s: moves.win_deal(s, ui.viewer(), card.code, signed_on=signed,
                                             seen_version=seen_version(card), reason=reason,
                                             today=ui.as_of()),
                    ui.tr("work.won", stage=_won_stage_name()),
                )  # fmt: skip


def _won_stage_name() -> str:
    """The stage a signed deal moves to, in the user's language (empty when none)."""
    try:
        stage = ui.cached(moves.first_won_stage)()
    except DealError:
        return ""
    return stage.name_zh if ui.lang() == "zh" else stage.name_en


def _lose_form(card: OpportunityCard) -> None:
    lang = ui.lang()
    reasons = ui.cached(moves.lost_reasons)()
    names = {code: (zh if lang == "zh" else en) for code, zh, en in reasons}
    with st.popover(ui.tr("work.lose"), icon=":material/do_not_disturb_on:",
                    width="stretch"):  # fmt: skip
        with st.form("deal_lose_form", border=False):
            code = st.selectbox(ui.tr("work.lost_reason"), list(names),
                                format_func=names.__getitem__, key="deal_lost_reason")  # fmt: skip
            text = st.text_input(ui.tr("work.lost_text"), max_chars=500, key="deal_lost_text")
            lost_on = st.date_input(ui.tr("work.lost_on"), **_closing_days(card),
                                    key="deal_lost_on")  # fmt: skip
            if st.form_submit_button(ui.tr("work.lose"), type="primary"):
                run_write(
                    card,
                    lambda s: moves.lose_deal(s, ui.viewer(), card.code, reason_code=code,
                                              text=text, on=lost_on,
                                              seen_version=seen_version(card), today=ui.as_of()),
                    ui.tr("work.lost"),
                )  # fmt: skip
