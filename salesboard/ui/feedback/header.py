"""The form's basic information (基本信息: month, team, manager, rep, date filled, status and
the last save) and its sign-off (who submitted and who confirmed, the manager's comment when
the form was returned)."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.feedback.queries import FormView
from salesboard.ui.feedback.labels import local_time, status_text

_STATUS_COLOURS = {"draft": "gray", "submitted": "blue", "confirmed": "green", "returned": "orange"}


def header(form: FormView, state: dict) -> None:
    """The form's basic information (基本信息) and where it stands."""
    cells = [
        ("feedback.header.period", form.period),
        ("feedback.header.team", form.team_name or "—"),
        ("feedback.header.manager", form.manager_name or "—"),
        ("feedback.header.rep", form.rep_name),
        ("feedback.header.filled_on", local_time(form.created_at)[:10]),
    ]
    columns = st.columns([1, 1.3, 1, 1, 1, 1.6])
    for column, (key, value) in zip(columns, cells, strict=False):
        column.caption(ui.tr(key))
        column.markdown(f"**{ui.escape_markdown(value)}**")
    with columns[-1]:
        st.caption(ui.tr("feedback.header.status"))
        revision = ui.tr("feedback.revision", revision=form.revision) if form.revision > 1 else ""
        st.badge(
            status_text(form.status) + (f" · {revision}" if revision else ""),
            color=_STATUS_COLOURS.get(form.status, "gray"),
        )
    saved = state.get("saved_at") or form.updated_at
    st.caption(
        ui.tr("feedback.saved_line", version=state["version"], name=form.updated_by_name or "—",
              time=local_time(saved))
    )  # fmt: skip


def signoff(form: FormView) -> None:
    """The seed's signatures: who submitted and who confirmed, with the dates."""
    st.subheader(ui.tr("feedback.section.signoff"))
    rep, manager = st.columns(2)
    rep.markdown(
        ui.tr("feedback.sign.rep", name=form.submitted_by_name or "______",
              time=local_time(form.submitted_at))
    )  # fmt: skip
    manager.markdown(
        ui.tr("feedback.sign.manager", name=form.confirmed_by_name or "______",
              time=local_time(form.confirmed_at))
    )  # fmt: skip
    if form.submissions > 1:
        rep.caption(ui.tr("feedback.resubmitted", count=form.submissions))
    if form.return_comment and form.status in ("returned", "submitted"):
        st.warning(
            ui.tr(
                "feedback.returned_comment",
                name=form.returned_by_name,
                time=local_time(form.returned_at),
            )
            + f"\n\n> {form.return_comment}"
        )
