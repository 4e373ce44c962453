"""The deal page's Support tab (资源协调, issue 17): the deal's support requests with their
response clock, one request's detail and history, cancelling it, and the form that asks a
department for help. Department members who may also read the deal answer from here too."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from salesboard import ui
from salesboard.pipeline.opportunity import OpportunityCard
from salesboard.support import requests
from salesboard.support.errors import SupportError
from salesboard.ui import support_common as common

TABLE = ("id", "type", "department", "status", "urgency", "expected_on", "requested_on", "clock")


def support_tab(card: OpportunityCard, editable: bool) -> None:
    """The deal's requests, then (for whoever may change the deal) the form raising one."""
    common.show_flash()
    frame = ui.cached(requests.deal_requests)(ui.viewer(), card.id, ui.as_of())
    if frame.empty:
        st.info(ui.tr("support.deal_none"))
    else:
        common.requests_table(frame, TABLE, key="deal_support_table")
        _one_request(frame)
    if editable:
        _raise_form(card)


def _one_request(frame) -> None:
    labels = {int(r["id"]): common.request_label(r) for _, r in frame.iterrows()}
    chosen = st.selectbox(ui.tr("support.pick"), list(labels), format_func=labels.get,
                          key="deal_support_pick")  # fmt: skip
    try:
        request = ui.cached(requests.request_for)(ui.viewer(), chosen)
    except SupportError:
        return
    with st.expander(ui.tr("support.history"), expanded=False):
        common.request_detail(request)
        common.history(request.id)
    if request.answerable:
        common.answer_forms(request, "deal_support")
    if request.cancellable:
        _cancel_form(request)


def _cancel_form(request: requests.Request) -> None:
    viewer, today, rid = ui.viewer(), ui.as_of(), request.id
    with st.popover(ui.tr("support.cancel"), icon=":material/undo:"):
        with st.form(f"deal_support_cancel_{rid}", border=False):
            reason = st.text_input(ui.tr("support.cancel_reason"), max_chars=requests.MAX_NOTE,
                                   key=f"deal_support_cancel_reason_{rid}")  # fmt: skip
            if st.form_submit_button(ui.tr("support.cancel"), type="primary"):
                common.run(
                    lambda s: requests.cancel_request(s, viewer, rid, request.version,
                                                      reason=reason, today=today),
                    ui.tr_text("support.cancelled", id=rid),
                )  # fmt: skip


def _raise_form(card: OpportunityCard) -> None:
    lang = ui.lang()
    types = ui.cached(requests.type_choices)()
    if types.empty:
        st.info(ui.tr("support.no_types"))
        return
    departments = ui.cached(requests.department_choices)()
    dept_names = {r["code"]: r[f"name_{lang}"] for _, r in departments.iterrows()}
    type_names = {
        r["code"]: ui.tr_text("support.type_choice", name=r[f"name_{lang}"],
                              department=dept_names.get(r["department"], "—"),
                              days=r["response_days"])
        for _, r in types.iterrows()
    }  # fmt: skip
    viewer, today = ui.viewer(), ui.as_of()
    with st.form("deal_support_raise", clear_on_submit=False, border=True):
        st.markdown(f"**{ui.tr_text('support.raise_title')}**")
        kind = st.selectbox(ui.tr("support.col.type"), list(type_names),
                            format_func=type_names.get, key="deal_support_type")  # fmt: skip
        # Labels computed now: a format function must not look the language up later.
        department_labels = {"": ui.tr_text("support.department_of_type"), **dept_names}
        department = st.selectbox(ui.tr("support.col.department"), list(department_labels),
                                  format_func=department_labels.get,
                                  key="deal_support_department")  # fmt: skip
        what = st.text_area(ui.tr("support.col.what"), max_chars=requests.MAX_WHAT, height=100,
                            help=ui.tr_text("support.what_help"), key="deal_support_what")  # fmt: skip
        left, right = st.columns(2)
        expected = left.date_input(ui.tr("support.col.expected_on"), value=today + timedelta(days=3),
                                   min_value=today, key="deal_support_expected")  # fmt: skip
        urgencies = {u: ui.tr_text(f"support.urgency.{u}") for u in requests.URGENCIES}
        urgency = right.selectbox(ui.tr("support.urgency"), list(urgencies), index=1,
                                  format_func=urgencies.get, key="deal_support_urgency")  # fmt: skip
        risky = st.checkbox(ui.tr("support.sets_risk_label"), key="deal_support_risk")
        if not st.form_submit_button(
            ui.tr("support.raise"), type="primary", icon=":material/send:"
        ):
            return
    common.run(
        lambda s: requests.raise_request(
            s, viewer, card.code, type_code=kind, what=what, expected_on=expected,
            urgency=urgency, sets_risk=risky, department=department or None, today=today,
        ),
        lambda rid: ui.tr_text("support.raised", id=rid),
    )  # fmt: skip
