"""The support queue page's parts: filters bound to the URL (department, status, breaches
only), the queue as a table, and one request's detail, history and the department's forms."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.i18n import format_count
from salesboard.support import requests
from salesboard.support.errors import SupportError
from salesboard.ui import support_common as common

TABLE = ("id", "deal", "customer", "type", "department", "urgency", "status", "expected_on",
         "requested_on", "clock", "owner")  # fmt: skip
STATUS_FILTERS = {"open": requests.OPEN_STATUSES, "closed": ("closed", "cancelled"), "all": ()}


def scope_caption(viewer: Viewer, departments: tuple[int, ...]) -> None:
    """Which requests the viewer sees, in words."""
    if viewer.sees_everything:
        parts = ["support.scope.all"]
    else:
        parts = (["support.scope.department"] if departments else []) + (
            ["support.scope.deals"] if viewer.can_edit_opportunities else []
        )
    if parts:
        scope = ui.tr_text("support.caption_scope", scope="、".join(ui.tr_text(p) for p in parts)
                           if ui.lang() == "zh" else ", ".join(ui.tr_text(p) for p in parts))  # fmt: skip
        st.caption(scope)


def filters() -> tuple[tuple[int, ...], tuple[str, ...], bool]:
    """(department ids, statuses, breaches only) from the filter widgets (codes in the URL)."""
    lang = ui.lang()
    departments = ui.cached(requests.department_choices)()
    names = {"": ui.tr_text("support.all_departments")} | {
        r["code"]: r[f"name_{lang}"] for _, r in departments.iterrows()
    }
    ids = dict(zip(departments["code"], departments["id"], strict=True))
    left, middle, right = st.columns([2, 2, 1], vertical_alignment="bottom")
    code = ui.url_select("dept", ui.tr("support.filter.department"), list(names), "",
                         names.get, container=left)  # fmt: skip
    status_labels = {k: ui.tr_text(f"support.filter.{k}" if k != "closed" else "support.status.closed")
                     for k in STATUS_FILTERS}  # fmt: skip
    status = ui.url_segments("status", ui.tr("support.filter.status"), list(STATUS_FILTERS),
                             "open", status_labels.get, container=middle)  # fmt: skip
    breached = right.toggle(ui.tr("support.filter.breached"), key="support_breached_only")
    return ((int(ids[code]),) if code else ()), STATUS_FILTERS[status], breached


def queue_view(viewer: Viewer) -> None:
    """The filtered queue, then the chosen request."""
    common.show_flash()
    departments = ui.cached(requests.member_department_ids)(viewer)
    scope_caption(viewer, departments)
    if not departments and not viewer.can_edit_opportunities and not viewer.sees_everything:
        st.info(ui.tr("support.not_member"))
        return
    department_ids, statuses, breached_only = filters()
    frame = ui.cached(requests.queue)(viewer, ui.as_of(), department_ids, statuses)
    if breached_only:
        frame = frame[frame["breached"]].reset_index(drop=True)
    if frame.empty:
        st.info(ui.tr("support.queue_none"))
        return
    st.caption(ui.tr("support.queue_count", count=format_count(len(frame)),
                     breached=format_count(int(frame["breached"].sum()))))  # fmt: skip
    common.requests_table(frame, TABLE, key="support_queue_table")
    labels = {int(r["id"]): common.request_label(r) for _, r in frame.iterrows()}
    wanted = st.query_params.get("request")
    options = list(labels)
    initial = (
        options.index(int(wanted)) if wanted and wanted.isdigit() and int(wanted) in labels else 0
    )
    chosen = st.selectbox(ui.tr("support.pick"), options, index=initial, format_func=labels.get,
                          key="support_pick")  # fmt: skip
    try:
        request = ui.cached(requests.request_for)(viewer, chosen)
    except SupportError:
        return
    with st.container(border=True):
        common.request_detail(request)
        with st.expander(ui.tr("support.history")):
            common.history(request.id)
    if request.answerable:
        common.answer_forms(request, "support_queue")
    elif request["status"] in requests.OPEN_STATUSES:
        st.caption(ui.tr("support.read_only"))
