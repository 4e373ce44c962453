"""The visit page, for reps in the field (at 390 px one field per row): this week's plan,
the visits planned, and the form to log or plan a visit on one of their deals or to a
customer without a deal."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.deals import create, visits, workspace
from salesboard.pipeline.opportunity import opportunity_card
from salesboard.ui.deal_actions import show_flash
from salesboard.ui.deal_forms import visit_form


def visit_page() -> None:
    """Plan summary, planned visits, then the target picker and the form."""
    viewer = ui.viewer()
    show_flash()
    week = ui.cached(visits.visit_week)(viewer, ui.as_of())
    st.caption(ui.tr("work.week_plan", planned=week.planned, done=week.done,
                     effective=week.effective))  # fmt: skip
    plans = ui.cached(workspace.my_planned_visits)(viewer)
    if not plans.empty:
        st.markdown(f"**{ui.tr('work.planned_visits')}**")
        st.markdown("  \n".join(
            f"{r.visited_on} · {ui.escape_markdown(r.customer)}"
            + (f" · {ui.escape_markdown(r.code)}" if r.code else "")
            for r in plans.itertuples(index=False)
        ))  # fmt: skip
    kinds = {
        "deal": ui.tr_text("work.visit_on_deal"),
        "customer": ui.tr_text("work.visit_on_customer"),
    }
    kind = st.segmented_control(ui.tr("work.visit_target"), list(kinds), default="deal",
                                format_func=kinds.__getitem__, key="visit_target") or "deal"  # fmt: skip
    search = st.text_input(ui.tr("work.visit_search"), key="visit_search", max_chars=64)
    if kind == "deal":
        deals = ui.cached(workspace.deals_to_visit)(viewer, search, 30)
        options = {r.code: f"{r.code} · {r.customer}" for r in deals.itertuples(index=False)}
        code = st.selectbox(ui.tr("work.visit_deal"), list(options), index=None, placeholder=ui.tr_text("work.choose"),
                            format_func=options.__getitem__, key="visit_deal")  # fmt: skip
        if code is None:
            st.info(ui.tr("work.visit_pick"))
            return
        card = ui.cached(opportunity_card)(viewer, code)
        if card is None:
            return
        visit_form(card, plans[plans["code"] == code])
    else:
        found = ui.cached(create.customers_in_scope)(viewer, search, 50)
        customers = {int(r.id): r.name for r in found.itertuples(index=False)}
        customer = st.selectbox(ui.tr("work.customer"), list(customers), index=None, placeholder=ui.tr_text("work.choose"),
                                format_func=customers.__getitem__, key="visit_customer")  # fmt: skip
        if customer is None:
            st.info(ui.tr("work.visit_pick"))
            return
        visit_form(None, plans[(plans["customer_id"] == customer) & plans["code"].isna()],
                   customer_id=customer)  # fmt: skip
