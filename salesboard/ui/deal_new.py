"""The new-deal form (新建商机): a customer picked from those in the creator's scope (searched
by name) or added on the spot, product line, amount in 万 or yuan, expected close, lead
source, and for managers and admins the owner. The code is generated; the form links to
the new deal's page."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from salesboard import ui
from salesboard.deals import create, workspace
from salesboard.deals.errors import DealError
from salesboard.store.models import Role
from salesboard.ui.deal_actions import refusal

_CREATED = "deal_new_created"


def new_deal_form() -> None:
    """The form, and the link to the deal it created last."""
    viewer, lang = ui.viewer(), ui.lang()
    created = st.session_state.get(_CREATED)
    if created:
        st.success(ui.tr("work.created", code=created), icon=":material/check_circle:")
        st.page_link("pages/opportunity_detail.py", label=ui.tr_text("work.open_deal", code=created),
                     query_params={"code": created}, icon=":material/open_in_new:")  # fmt: skip
    search = st.text_input(ui.tr("work.customer_search"), key="deal_new_search", max_chars=64)
    found = ui.cached(create.customers_in_scope)(viewer, search, 50)
    customers = {int(r.id): r.name for r in found.itertuples(index=False)}
    if not customers:
        st.caption(ui.tr("work.no_customers"))
    lines = {c: (zh if lang == "zh" else en) for c, zh, en in ui.cached(workspace.active_entries)("product_line")}  # fmt: skip
    sources = {"": ui.tr_text("work.no_source")} | {
        c: (zh if lang == "zh" else en)
        for c, zh, en in ui.cached(workspace.active_entries)("source")
    }
    owners = ui.cached(create.owners_for)(viewer)
    people = dict(zip(owners["username"], owners["display_name"], strict=True))
    with st.form("deal_new_form", border=True):
        customer = st.selectbox(ui.tr("work.customer"), list(customers), index=None, placeholder=ui.tr_text("work.choose"),
                                format_func=customers.__getitem__, key="deal_new_customer")  # fmt: skip
        new_customer = st.text_input(ui.tr("work.new_customer"), max_chars=128,
                                     key="deal_new_customer_name")  # fmt: skip
        line = st.selectbox(ui.tr("work.product_line"), list(lines), format_func=lines.__getitem__,
                            key="deal_new_line")  # fmt: skip
        amount = st.text_input(ui.tr("work.amount"), key="deal_new_amount", placeholder="85万")
        close = st.date_input(ui.tr("work.expected_close"), value=ui.as_of() + timedelta(days=60),
                              min_value=ui.as_of(), key="deal_new_close")  # fmt: skip
        source = st.selectbox(ui.tr("work.source"), list(sources),
                              format_func=sources.__getitem__, key="deal_new_source")  # fmt: skip
        name = st.text_input(ui.tr("work.name"), max_chars=200, key="deal_new_name")
        owner = None
        if viewer.role != Role.REP and people:
            default = list(people).index(viewer.username) if viewer.username in people else 0
            owner = st.selectbox(ui.tr("work.owner"), list(people), index=default,
                                 format_func=people.__getitem__, key="deal_new_owner")  # fmt: skip
        if st.form_submit_button(ui.tr("work.create"), type="primary", icon=":material/add:"):
            _create(customer, new_customer, line, amount, close, source, name, owner)


def _create(customer, new_customer, line, amount, close, source, name, owner) -> None:
    viewer = ui.viewer()
    try:
        with ui.writing() as session:
            if new_customer.strip():
                customer = create.create_customer(session, viewer, new_customer, on=ui.as_of())
            if customer is None:
                raise DealError("unknown_customer", "no customer chosen", "customer", customer="")
            code = create.create_deal(
                session, viewer, customer=customer, product_line=line or "", amount=amount,
                on=ui.as_of(), today=ui.as_of(), name=name, expected_close_on=close,
                source=source, owner=owner,
            )  # fmt: skip
    except DealError as error:
        st.error(refusal(error), icon=":material/block:")
        return
    st.session_state[_CREATED] = code
    st.rerun()
