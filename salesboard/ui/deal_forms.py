"""The deal page's work tabs: key actions (complete with deliverable and feedback, re-plan,
add), visits (log or plan; effective is computed), editing the deal's fields, and the
timeline with comments. Every write goes through ``salesboard.deals`` with the version the
page was opened at (``deal_actions``)."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.deals import attachments, fields, key_actions, visits, workspace
from salesboard.i18n import format_money
from salesboard.pipeline.edits import RISK_FLAGS, risk_flag_label
from salesboard.pipeline.opportunity import OpportunityCard, opportunity_history, opportunity_stays
from salesboard.store.db import read_session
from salesboard.store.settings import get_settings
from salesboard.ui.deal_actions import generation, run_write, seen_version
from salesboard.ui.file_drop import file_drop, file_list
from salesboard.ui.improvement_link import promote_button

# A changed column → the label of its field in the edit form.
FIELD_LABELS = {
    "name": "work.name", "amount_minor": "work.pipeline_amount",
    "expected_close_on": "work.expected_close", "product_line_id": "work.product_line",
    "source": "work.source", "next_step": "work.next_step", "risk_flag": "work.risk_flag",
}  # fmt: skip


def _action_label(row, lang: str) -> str:
    name = ui.key_action_name(row.action, lang)
    return f"{name} · {row.planned_on}"


def actions_tab(card: OpportunityCard, editable: bool) -> None:
    """Open key actions, and forms to complete, re-plan and add them."""
    lang = ui.lang()
    open_rows = ui.cached(workspace.open_key_actions)(card)
    if open_rows.empty:
        st.info(ui.tr("work.no_open_actions"))
    else:
        st.dataframe(
            pd.DataFrame({
                ui.tr_text("pipeline.stage"): open_rows[f"stage_{lang}"],
                ui.tr_text("work.action_name"): open_rows["action"].map(
                    lambda a: ui.key_action_name(a, lang)),
                ui.tr_text("work.planned_on"): open_rows["planned_on"],
            }),
            hide_index=True, key="deal_open_actions", width="stretch",
        )  # fmt: skip
    if not editable:
        return
    labels = {int(r.id): _action_label(r, lang) for r in open_rows.itertuples(index=False)}
    if labels:
        with st.expander(ui.tr("work.complete_action"), expanded=True, icon=":material/task_alt:"):
            _complete_form(card, labels)
        with st.expander(ui.tr("work.replan"), icon=":material/event_repeat:"):
            _replan_form(card, labels)
    with st.expander(ui.tr("work.add_action"), icon=":material/add_task:"):
        with st.form("deal_add_action", border=False):
            name = st.text_input(ui.tr("work.action_name"), max_chars=200, key="deal_new_action")
            planned = st.date_input(ui.tr("work.planned_on"), value=ui.as_of() + timedelta(days=2),
                                    min_value=ui.as_of(), key="deal_new_action_on")  # fmt: skip
            if st.form_submit_button(ui.tr("work.add")):
                run_write(
                    card,
                    lambda s: key_actions.add_key_action(
                        s, ui.viewer(), card.code, action=name, planned_on=planned,
                        today=ui.as_of(), seen_version=seen_version(card)),
                    ui.tr("work.added"),
                    reset=("deal_new_action",),
                )  # fmt: skip


def _complete_form(card: OpportunityCard, labels: dict[int, str]) -> None:
    with st.form("deal_complete_action", border=False):
        action_id = st.selectbox(ui.tr("work.pick_action"), list(labels),
                                 format_func=labels.__getitem__, key="deal_done_action")  # fmt: skip
        done_on = st.date_input(ui.tr("work.done_on"), value=ui.as_of(), max_value=ui.as_of(),
                                key="deal_done_on")  # fmt: skip
        deliverable = st.text_input(ui.tr("work.deliverable"), max_chars=200,
                                    key="deal_deliverable")  # fmt: skip
        feedback = st.text_area(ui.tr("work.feedback"), max_chars=500, key="deal_feedback",
                                height=80)  # fmt: skip
        upload = attachment_input("deal_done_file")
        if st.form_submit_button(ui.tr("work.complete"), type="primary"):

            def write(s):
                key_actions.complete_key_action(
                    s, ui.viewer(), card.code, action_id, done_on=done_on, today=ui.as_of(),
                    deliverable=deliverable, customer_feedback=feedback,
                    seen_version=seen_version(card),
                )  # fmt: skip
                save_upload(s, card, upload, action_id)

            run_write(card, write, ui.tr("work.completed"),
                      reset=("deal_deliverable", "deal_feedback"))  # fmt: skip


def _replan_form(card: OpportunityCard, labels: dict[int, str]) -> None:
    with st.form("deal_replan_action", border=False):
        action_id = st.selectbox(ui.tr("work.pick_action"), list(labels),
                                 format_func=labels.__getitem__, key="deal_replan_action")  # fmt: skip
        new_date = st.date_input(ui.tr("work.new_date"), value=ui.as_of() + timedelta(days=7),
                                 min_value=ui.as_of(), key="deal_replan_on")  # fmt: skip
        reason = st.text_input(ui.tr("work.reason"), max_chars=500, key="deal_replan_reason")
        if st.form_submit_button(ui.tr("work.replan")):
            run_write(
                card,
                lambda s: key_actions.replan_key_action(
                    s, ui.viewer(), card.code, action_id, planned_on=new_date, today=ui.as_of(),
                    reason=reason, seen_version=seen_version(card)),
                ui.tr("work.replanned"),
            )  # fmt: skip


def attachment_input(key: str):
    """The file picker of a deliverable (PDF, Office, images; checked by content on save)."""
    # The picker says the store's own limit (the server's upload limit is the larger one), in
    # the user's language (Streamlit's own drop-zone texts are English).
    return file_drop(ui.tr("work.file"), ATTACHMENT_TYPES, key=f"{key}_{generation()}",
                     limit_mb=get_settings().attachment_max_mb)  # fmt: skip


# The file types a deliverable may be (the attachment store checks the content on save).
ATTACHMENT_TYPES = sorted({e for exts in attachments.EXTENSIONS.values() for e in exts})


def save_upload(session, card: OpportunityCard, upload, key_action_id: int | None) -> None:
    """Store an uploaded deliverable with the deal (in the same transaction as the write)."""
    if upload is None:
        return
    attachments.save_attachment(
        session, ui.viewer(), card.id, upload.name, upload.getvalue(), key_action_id=key_action_id
    )


def _file_content(attachment_id: int) -> bytes:
    """An attachment's bytes, read when the user clicks download (never on render)."""
    with read_session(ui.engine()) as session:
        found = attachments.read_attachment(session, ui.viewer(), attachment_id)
    return found[2] if found else b""


def files_tab(card: OpportunityCard, editable: bool) -> None:
    """The deal's files (download within scope) and attaching one to the deal."""
    files = ui.cached(attachments.attachments_of)(ui.viewer(), card.id)
    if files.empty:
        st.info(ui.tr("work.no_files"))
    file_list(files, _file_content, key="deal_file", label=ui.tr("work.download"))
    if not editable:
        return
    with st.form("deal_attach_form", border=False, clear_on_submit=True):
        upload = attachment_input("deal_attach_file")
        if st.form_submit_button(ui.tr("work.attach"), icon=":material/attach_file:"):
            run_write(card, lambda s: save_upload(s, card, upload, None), ui.tr("work.attached"))


def visits_tab(card: OpportunityCard, editable: bool) -> None:
    """This week's visit plan, the log/plan form and the deal's visits."""
    week = ui.cached(visits.visit_week)(ui.viewer(), ui.as_of())
    st.caption(ui.tr("work.week_plan", planned=week.planned, done=week.done,
                     effective=week.effective))  # fmt: skip
    rows = ui.cached(workspace.deal_visits)(card)
    if editable:
        visit_form(card, workspace.planned_visits(rows))
    if rows.empty:
        st.info(ui.tr("work.no_visits"))
        return
    yes, no = ui.tr_text("work.yes"), ui.tr_text("work.no")
    st.dataframe(
        pd.DataFrame({
            ui.tr_text("work.col_visited_on"): rows["visited_on"],
            ui.tr_text("work.col_status"): rows["status"].map(
                lambda s: ui.tr_text(f"work.status_{s}")),
            ui.tr_text("work.col_contact"): rows["contact_name"] + rows["contact_role"].map(
                lambda r: f"（{r}）" if r else ""),
            ui.tr_text("work.col_minutes"): rows["minutes"],
            ui.tr_text("work.col_effective"): rows["effective"].map(lambda e: yes if e else no),
            ui.tr_text("work.col_need"): rows["need"],
            ui.tr_text("work.col_commitment"): rows["commitment"],
        }),
        hide_index=True, key="deal_visits", width="stretch",
    )  # fmt: skip


# The visit form's fields, emptied after a visit is saved.
VISIT_FIELDS = tuple(
    f"deal_visit_{name}"
    for name in ("plan", "on", "min", "contact", "role", "dm", "need", "goal", "commit", "next")
)


def visit_form(
    card: OpportunityCard | None, plans: pd.DataFrame, customer_id: int | None = None
) -> None:
    """Log a visit done (optionally completing a plan) or plan one, on the deal ``card`` or
    else to ``customer_id``; narrow-screen friendly: one field per row."""
    code = card.code if card is not None else None
    modes = {"log": ui.tr_text("work.visit_mode_log"), "plan": ui.tr_text("work.visit_mode_plan")}
    mode = st.segmented_control(ui.tr("work.visit_mode"), list(modes), default="log",
                                format_func=modes.__getitem__, key="deal_visit_mode") or "log"  # fmt: skip
    plan_labels = {0: ui.tr_text("work.no_plan")} | {
        int(r.id): f"{r.visited_on} · {r.contact_name or '—'}"
        for r in plans.itertuples(index=False)
    }
    with st.form("deal_visit_form", border=True):
        plan_id = 0
        if mode == "log" and len(plan_labels) > 1:
            plan_id = st.selectbox(ui.tr("work.pick_plan"), list(plan_labels),
                                   format_func=plan_labels.__getitem__, key="deal_visit_plan")  # fmt: skip
        on = st.date_input(
            ui.tr("work.visited_on"), value=ui.as_of(), key="deal_visit_on",
            **({"max_value": ui.as_of()} if mode == "log" else {"min_value": ui.as_of()}),
        )  # fmt: skip
        minutes = st.number_input(ui.tr("work.minutes"), 1, 1440, 30, step=5, key="deal_visit_min")
        contact = st.text_input(ui.tr("work.contact_name"), max_chars=64, key="deal_visit_contact")
        role = st.text_input(ui.tr("work.contact_role"), max_chars=64, key="deal_visit_role")
        decision = st.checkbox(ui.tr("work.decision_maker"), key="deal_visit_dm")
        need = st.text_area(ui.tr("work.need"), max_chars=500, height=68, key="deal_visit_need")
        goal = st.text_input(ui.tr("work.goal"), max_chars=200, key="deal_visit_goal")
        commitment = st.text_input(ui.tr("work.commitment"), max_chars=200, key="deal_visit_commit")
        step = st.text_input(ui.tr("work.visit_next"), max_chars=200, key="deal_visit_next")
        st.caption(ui.tr("work.effective_rule"))
        if st.form_submit_button(ui.tr("work.log_visit"), type="primary"):
            visit = visits.VisitInput(on, int(minutes), contact, role, decision, need, goal,
                                      commitment, step)  # fmt: skip
            if mode == "plan":
                run_write(card, lambda s: visits.plan_visit(s, ui.viewer(), visit, code=code,
                                                            customer_id=customer_id,
                                                            today=ui.as_of()),
                          ui.tr("work.visit_planned", day=str(on)), reset=VISIT_FIELDS)  # fmt: skip
            else:
                effective = visits.is_effective(int(minutes), decision, need)
                run_write(
                    card,
                    lambda s: visits.log_visit(s, ui.viewer(), visit, code=code,
                                               customer_id=customer_id, today=ui.as_of(),
                                               planned_visit_id=plan_id or None),
                    ui.tr("work.visit_logged", effective=ui.tr_text(
                        "work.effective" if effective else "work.not_effective")),
                    reset=VISIT_FIELDS,
                )  # fmt: skip


def edit_tab(card: OpportunityCard) -> None:
    """The deal's editable fields; only what changed is saved (version-checked)."""
    lang = ui.lang()
    lines = {
        c: (zh if lang == "zh" else en)
        for c, zh, en in ui.cached(workspace.active_entries)("product_line")
    }
    sources = {"": ui.tr_text("work.no_source")} | {
        c: (zh if lang == "zh" else en)
        for c, zh, en in ui.cached(workspace.active_entries)("source")
    }
    lines.setdefault(card.product_line_code, getattr(card, f"product_{lang}"))
    sources.setdefault(card.source, card.source)
    flags = [""] + [f for f in dict.fromkeys([*RISK_FLAGS, card.risk_flag]) if f]
    with st.form("deal_edit_form", border=False):
        name = st.text_input(ui.tr("work.name"), value=card.name, max_chars=200, key="deal_ed_name")
        amount = st.text_input(ui.tr("work.amount"), value=f"{card.amount_minor / 100:.2f}".rstrip("0").rstrip("."),
                               key="deal_ed_amount", help=format_money(card.amount_minor, lang))  # fmt: skip
        close = st.date_input(ui.tr("work.expected_close"), value=card.expected_close_on,
                              min_value=card.created_on, key="deal_ed_close")  # fmt: skip
        line = st.selectbox(ui.tr("work.product_line"), list(lines), index=list(lines).index(card.product_line_code),
                            format_func=lines.__getitem__, key="deal_ed_line")  # fmt: skip
        source = st.selectbox(ui.tr("work.source"), list(sources), index=list(sources).index(card.source),
                              format_func=sources.__getitem__, key="deal_ed_source")  # fmt: skip
        step = st.text_input(
            ui.tr("work.next_step"), value=card.next_step, max_chars=200, key="deal_ed_step"
        )
        flag = st.selectbox(ui.tr("work.risk_flag"), flags, index=flags.index(card.risk_flag),
                            format_func=lambda f: risk_flag_label(f, lang) if f else "—",
                            key="deal_ed_flag")  # fmt: skip
        if st.form_submit_button(ui.tr("work.edit_save"), type="primary"):
            wanted = {"name": name, "amount": amount, "expected_close_on": close,
                      "product_line": line, "source": source, "next_step": step, "risk_flag": flag}  # fmt: skip
            run_write(
                card,
                lambda s: fields.edit_deal(s, ui.viewer(), card.code, wanted,
                                           seen_version=seen_version(card), today=ui.as_of()),
                lambda changed: ui.tr("work.saved", fields=", ".join(
                    ui.tr_text(FIELD_LABELS[c]) for c in changed)) if changed
                else ui.tr("work.nothing_changed"),
            )  # fmt: skip


def _new_value(kind: str, value: str, stage: str, lang: str) -> str:
    """A timeline row's new value as shown: a stage by name, a visit as effective or not, a
    risk flag in the user's language, anything else as stored."""
    if kind == "stage":
        return stage
    if kind == "visit":
        return ui.tr_text("work.effective" if value == "effective" else "work.not_effective")
    return risk_flag_label(value, lang)


def timeline_tab(card: OpportunityCard, editable: bool) -> None:
    """Everything that happened, newest first, and the comment box."""
    lang = ui.lang()
    if editable:
        with st.form("deal_comment_form", border=False, clear_on_submit=True):
            text = st.text_area(ui.tr("work.comment"), max_chars=1000, height=68,
                                placeholder=ui.tr_text("work.comment_placeholder"),
                                key="deal_comment")  # fmt: skip
            if st.form_submit_button(ui.tr("work.send"), icon=":material/send:"):
                run_write(card, lambda s: key_actions.add_comment(s, ui.viewer(), card.code, text,
                                                                  today=ui.as_of()),
                          ui.tr("work.sent"))  # fmt: skip
    promote_button("deal", card.code, key=f"deal_{card.code}")
    history = ui.cached(opportunity_history)(card)
    kinds = history["kind"].map(lambda k: ui.tr_text(f"event.{k}"))
    st.dataframe(
        pd.DataFrame({
            ui.tr_text("deal.happened_on"): history["happened_on"],
            ui.tr_text("deal.event"): kinds,
            ui.tr_text("deal.old_value"): history["old_value"].map(lambda v: risk_flag_label(v, lang)),
            ui.tr_text("deal.new_value"): [
                _new_value(kind, value, stage, lang)
                for kind, value, stage in zip(history["kind"], history["new_value"],
                                              history[f"stage_{lang}"], strict=True)
            ],
            ui.tr_text("deal.note"): history["note"],
            ui.tr_text("deal.actor"): history["actor"],
        }),
        hide_index=True, key="deal_history", width="stretch",
        column_config={ui.tr_text("deal.note"): st.column_config.TextColumn(width="large")},
    )  # fmt: skip
    with st.expander(ui.tr("deal.tab_stages"), icon=":material/timeline:"):
        stays = ui.cached(opportunity_stays)(card, ui.as_of())
        st.dataframe(
            pd.DataFrame({
                ui.tr_text("pipeline.stage"): stays[f"name_{lang}"],
                ui.tr_text("deal.entered_on"): stays["entered_on"],
                ui.tr_text("deal.left_on"): stays["left_on"].map(
                    lambda d: ui.tr_text("deal.still_here") if d is None or pd.isna(d) else str(d)),
                ui.tr_text("deal.working_days"): stays["days"],
                ui.tr_text("pipeline.standard"): stays["standard_days"],
                ui.tr_text("deal.over"): stays["over"],
            }),
            hide_index=True, key="deal_stays", width="stretch",
        )  # fmt: skip
