"""What the support pages share (the deal's Support tab, the queue, the review's breach
list): a request table in the user's language, a request's history, the department's forms
(accept / progress / close) and translating a refusal. Values typed by people are shown as
text in tables (never Markdown)."""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.deals.errors import DealError
from salesboard.i18n.locale import locale_for
from salesboard.support import requests
from salesboard.support.errors import SupportError
from salesboard.ui import flash
from salesboard.ui.deal_actions import refusal as deal_refusal
from salesboard.ui.flash import write_then_rerun

_FLASH = "support_flash"
# Column code → (header key, how the row's value is read).
COLUMNS: dict[str, tuple[str, Callable[[pd.DataFrame, str], pd.Series]]] = {
    "id": ("support.col.id", lambda f, _: f["id"].map(lambda i: f"#{i}")),
    "deal": ("support.col.deal", lambda f, _: f["code"] + " · " + f["deal_name"]),
    "code": ("support.col.deal", lambda f, _: f["code"]),
    "customer": ("support.col.customer", lambda f, _: f["customer"]),
    "stage": ("support.col.stage", lambda f, lang: f[f"stage_{lang}"]),
    "owner": ("support.col.owner", lambda f, _: f["owner"]),
    "type": ("support.col.type", lambda f, lang: f[f"type_{lang}"]),
    "department": ("support.col.department", lambda f, lang: f[f"department_{lang}"]),
    "what": ("support.col.what", lambda f, _: f["what"]),
    "urgency": ("support.urgency", lambda f, _: f["urgency"].map(lambda u: ui.tr_text(f"support.urgency.{u}"))),
    "status": ("support.status", lambda f, _: f["status"].map(lambda s: ui.tr_text(f"support.status.{s}"))),
    "expected_on": ("support.col.expected_on", lambda f, _: f["expected_on"].map(_day)),
    "requested_on": ("support.col.requested_on", lambda f, _: f["requested_on"].map(_day)),
    "requested_by": ("support.col.requested_by", lambda f, _: f["requested_by"].fillna("—")),
    "responded_on": ("support.col.responded_on", lambda f, _: f["responded_on"].map(_day)),
    "waited": ("support.col.waited", lambda f, _: f["waited_days"]),
    "standard": ("support.col.standard", lambda f, _: f["response_days"]),
    "over": ("support.col.over", lambda f, _: f["over_days"]),
    "clock": ("support.col.waited", lambda f, _: [_clock(r) for r in f.itertuples()]),
    "resolution": ("support.col.resolution", lambda f, _: f["resolution"].replace("", "—")),
}  # fmt: skip


def _day(value) -> str:
    return "—" if value is None or pd.isna(value) else str(value)[:10]


def _clock(row) -> str:
    text = ui.tr_text("support.waited_of", waited=row.waited_days, standard=row.response_days)
    return f"⚠ {text}" if row.breached else text


def requests_table(frame: pd.DataFrame, columns: tuple[str, ...], key: str) -> None:
    """``frame`` (a request list) as a read-only table of ``columns`` (codes of ``COLUMNS``)."""
    lang = ui.lang()
    shown = pd.DataFrame(
        {ui.tr_text(COLUMNS[c][0]): list(COLUMNS[c][1](frame, lang)) for c in columns}
    )
    st.dataframe(shown, hide_index=True, key=key, placeholder="—")


def request_label(row) -> str:
    """One line naming a request in a picker: number, type, deal, status."""
    lang = ui.lang()
    status = ui.tr_text(f"support.status.{row['status']}")
    return f"#{row['id']} · {row[f'type_{lang}']} · {row['code']} · {status}"


def refusal(error: SupportError | DealError) -> str:
    """A refused write in the user's language, naming the field at fault."""
    if isinstance(error, DealError):
        return deal_refusal(error)
    message = ui.tr_text(
        f"support.error.{error.code}", **{k: str(v) for k, v in error.params.items()}
    )
    if error.field and error.code in ("required", "too_long"):
        return ui.tr_text("support.error.field", field=field_label(error.field), message=message)
    return message


def field_label(field: str) -> str:
    """The form label of a request field."""
    return ui.tr_text({"what": "support.col.what", "note": "support.note",
                       "resolution": "support.col.resolution", "reason": "support.cancel_reason",
                       "expected_on": "support.col.expected_on", "type": "support.col.type",
                       "department": "support.col.department"}.get(field, "support.col.note"))  # fmt: skip


def run(write: Callable, done: str | Callable[[object], str]) -> bool:
    """Run ``write(session)``; on success remember ``done`` (or ``done(result)``) and rerun,
    else show why (nothing written)."""
    return write_then_rerun(write, done, flash_key=_FLASH, refused=(SupportError, DealError),
                            refusal=refusal)  # fmt: skip


def show_flash() -> None:
    """The outcome of the last support write, once."""
    flash.show_flash(_FLASH)


def history(request_id: int) -> None:
    """The steps of a request: when, who, what, note (text as typed)."""
    steps = ui.cached(requests.request_history)(ui.viewer(), request_id)
    locale = locale_for(ui.lang())
    shown = pd.DataFrame({
        ui.tr_text("support.col.when"): [locale.stamp(m) for m in steps["happened_at"]],
        ui.tr_text("support.col.actor"): steps["actor"].fillna("—"),
        ui.tr_text("support.col.step"): [ui.tr_text(f"support.step.{k}") for k in steps["kind"]],
        ui.tr_text("support.col.note"): steps["note"].replace("", "—"),
    })  # fmt: skip
    st.dataframe(shown, hide_index=True, key=f"support_history_{request_id}", placeholder="—")


def request_detail(request: requests.Request) -> None:
    """The request and its deal's header, as plain text."""
    lang = ui.lang()
    facts = {
        ui.tr_text("support.deal_header"): f"{request['code']} · {request['deal_name']}",
        ui.tr_text("support.col.customer"): request["customer"],
        ui.tr_text("support.col.stage"): request[f"stage_{lang}"],
        ui.tr_text("support.col.owner"): request["owner"],
        ui.tr_text("support.col.type"): request[f"type_{lang}"],
        ui.tr_text("support.col.department"): request[f"department_{lang}"],
        ui.tr_text("support.urgency"): ui.tr_text(f"support.urgency.{request['urgency']}"),
        ui.tr_text("support.col.expected_on"): _day(request["expected_on"]),
        ui.tr_text("support.status"): ui.tr_text(f"support.status.{request['status']}"),
    }
    st.markdown("  \n".join(f"**{k}**: {ui.escape_markdown(str(v))}" for k, v in facts.items()))
    st.text(request["what"])
    if request["resolution"]:
        st.markdown(f"**{ui.tr_text('support.col.resolution')}**")
        st.text(request["resolution"])


def answer_forms(request: requests.Request, key: str) -> None:
    """The department's forms on an open request: accept or write progress, close."""
    viewer, today = ui.viewer(), ui.as_of()
    rid, version = request.id, request.version
    with st.form(f"{key}_answer_{rid}", border=True):
        st.markdown(f"**{ui.tr_text('support.answer_title')}**")
        note = st.text_area(ui.tr("support.note"), max_chars=requests.MAX_NOTE, height=80,
                            key=f"{key}_note_{rid}")  # fmt: skip
        resolution = st.text_area(ui.tr("support.col.resolution"), max_chars=requests.MAX_NOTE,
                                  height=80, help=ui.tr_text("support.resolution_help"),
                                  key=f"{key}_resolution_{rid}")  # fmt: skip
        label = "support.accept" if request["status"] == "open" else "support.progress"
        left, right = st.columns(2)
        step = left.form_submit_button(
            ui.tr(label), icon=":material/play_arrow:", key=f"{key}_step_{rid}"
        )
        close = right.form_submit_button(ui.tr("support.close"), type="primary",
                                         icon=":material/task_alt:", key=f"{key}_close_{rid}")  # fmt: skip
    if step:
        run(lambda s: requests.answer(s, viewer, rid, version, note=note, today=today),
            ui.tr_text("support.answered", id=rid))  # fmt: skip
    if close:
        run(lambda s: requests.close_request(s, viewer, rid, version, resolution=resolution,
                                             today=today),
            ui.tr_text("support.closed", id=rid))  # fmt: skip
