"""Streamlit side of the manager's feedback view: the team's forms for a month, reminders,
open and overdue improvement items, and (admins) the form's metric configuration."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.feedback import config as form_config
from salesboard.feedback import store
from salesboard.feedback.form import from_display, to_display
from salesboard.i18n import format_list, format_percent


def _when(value) -> str:
    """A UTC stamp as local "YYYY-MM-DD HH:MM" ("" when missing)."""
    if value is None or pd.isna(value):
        return ""
    return pd.Timestamp(value).to_pydatetime().astimezone().strftime("%Y-%m-%d %H:%M")


def summary_tiles(frame: pd.DataFrame) -> None:
    """Reps, submitted, confirmed, returned and the team's mean weighted completion."""
    total = len(frame)
    counts = frame["status"].value_counts()
    handed_in = int(counts.get("submitted", 0) + counts.get("confirmed", 0))
    scores = frame["completion"].dropna()
    tiles = st.columns(5)
    tiles[0].metric(ui.tr("feedback_team.reps"), total)
    tiles[1].metric(ui.tr("feedback_team.handed_in"), f"{handed_in} / {total}")
    tiles[2].metric(ui.tr("feedback.status.confirmed"), int(counts.get("confirmed", 0)))
    tiles[3].metric(ui.tr("feedback.status.returned"), int(counts.get("returned", 0)))
    tiles[4].metric(
        ui.tr("feedback_team.completion"),
        format_percent(scores.mean() if len(scores) else None),
        help=ui.tr("feedback_team.completion_help"),
    )


def forms_table(frame: pd.DataFrame, period: str) -> None:
    """One row per rep with status, completion and a link that opens the form."""
    lang = ui.lang()
    shown = pd.DataFrame(
        {
            "rep": frame["rep"],
            "team": frame["team"],
            "status": [ui.tr(f"feedback.status.{s}") for s in frame["status"]],
            "completion": frame["completion"].astype("Float64"),
            "overrides": frame["overrides"],
            "submitted_at": [_when(v) for v in frame["submitted_at"]],
            "link": [f"feedback?rep={u}&period={period}&lang={lang}" for u in frame["username"]],
        }
    )
    col = st.column_config
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            "rep": col.TextColumn(ui.tr("feedback.header.rep")),
            "team": col.TextColumn(ui.tr("feedback.header.team")),
            "status": col.TextColumn(ui.tr("feedback.header.status")),
            "completion": col.ProgressColumn(
                ui.tr("feedback_team.completion"), format="percent", min_value=0, max_value=1.5
            ),
            "overrides": col.NumberColumn(
                ui.tr("feedback_team.overrides"), help=ui.tr("feedback_team.overrides_help")
            ),
            "submitted_at": col.TextColumn(ui.tr("feedback_team.submitted_at")),
            "link": col.LinkColumn(
                ui.tr("feedback_team.open"), display_text=ui.tr("feedback_team.open_text")
            ),
        },  # fmt: skip
    )


def reminders(frame: pd.DataFrame, period: str) -> None:
    """Reps who have not submitted the month's form, and a reminder text to send them."""
    waiting = frame[frame["status"].isin([store.NOT_STARTED, "draft", "returned"])]
    st.subheader(ui.tr("feedback_team.reminders", count=len(waiting)))
    if waiting.empty:
        st.success(ui.tr("feedback_team.all_in"))
        return
    zh = ui.lang() == "zh"
    status = {s: ui.tr(f"feedback.status.{s}") for s in waiting["status"]}
    lines = [f"{r.rep}（{status[r.status]}）" if zh else f"{r.rep} ({status[r.status]})"
             for r in waiting.itertuples()]  # fmt: skip
    st.markdown("\n".join(f"- {ui.escape_markdown(line)}" for line in lines))
    st.caption(ui.tr("feedback_team.reminder_hint"))
    names = format_list(waiting["rep"], ui.lang())
    st.code(ui.tr_text("feedback_team.reminder_text", names=names, period=period), language=None)


def items_table(items: pd.DataFrame) -> None:
    """Open improvement items, overdue ones first and highlighted."""
    overdue = int(items["overdue"].sum()) if len(items) else 0
    st.subheader(ui.tr("feedback_team.items", count=len(items), overdue=overdue))
    if items.empty:
        st.caption(ui.tr("feedback_team.no_items"))
        return
    shown = pd.DataFrame(
        {
            ui.tr("feedback.header.rep"): items["rep"],
            ui.tr("feedback.col.period"): items["period"],
            ui.tr("feedback.col.problem"): items["problem"],
            ui.tr("feedback.col.measure"): items["measure"],
            ui.tr("feedback.col.owner"): items["owner"],
            ui.tr("feedback.col.due_on"): items["due_on"],
            ui.tr("feedback.col.status"): [ui.tr(f"feedback.item.{s}") for s in items["status"]],
            ui.tr("feedback_team.overdue"): [ui.tr("feedback_team.overdue_yes") if o else "" for o in items["overdue"]],
        }
    )  # fmt: skip
    flags = list(items["overdue"])
    styled = shown.style.apply(
        lambda row: ["background-color: #ffe3e3" if flags[row.name] else "" for _ in row], axis=1
    )
    st.dataframe(styled.hide(axis="index"), width="stretch", hide_index=True)


def config_editor(viewer: Viewer) -> None:
    """Admins choose the form's KPIs, their category, direction, weight, order and default
    target; a warning when process metrics weigh less than 40 %."""
    config = ui.cached(form_config.load_config)()
    for key, values in form_config.weight_warnings(config.metrics):
        st.warning(ui.tr(key, **values))
    share = form_config.process_share(config.metrics)
    st.caption(ui.tr("feedback_config.share", share=format_percent(share)))
    frame = pd.DataFrame(
        {
            "code": [m.code for m in config.metrics],
            "metric": [ui.tr(f"feedback.metric.{m.code}") for m in config.metrics],
            "category": [m.category for m in config.metrics],
            "direction": [m.direction for m in config.metrics],
            "weight": [float(m.weight) for m in config.metrics],
            "shown": [m.shown for m in config.metrics],
            "order": [m.order for m in config.metrics],
            "default_target": pd.array(
                [to_display(m.kind, m.default_target) for m in config.metrics], dtype="Float64"
            ),
            "unit": [ui.tr(f"feedback.unit.{m.kind}") for m in config.metrics],
        }
    )
    col = st.column_config
    with st.form("fb_config"):
        edited = st.data_editor(
            frame,
            hide_index=True,
            width="stretch",
            disabled=["code", "metric", "unit"],
            column_order=[
                "metric",
                "category",
                "direction",
                "weight",
                "shown",
                "order",
                "default_target",
                "unit",
            ],
            column_config={
                "metric": col.TextColumn(ui.tr("feedback.col.metric")),
                "category": col.SelectboxColumn(
                    ui.tr("feedback.col.category"),
                    options=list(form_config.CATEGORIES),
                    format_func=lambda c: ui.tr(f"feedback.category.{c}"),
                    required=True,
                ),
                "direction": col.SelectboxColumn(
                    ui.tr("feedback_config.direction"),
                    options=list(form_config.DIRECTIONS),
                    format_func=lambda d: ui.tr(f"feedback_config.direction_{d}"),
                    required=True,
                ),
                "weight": col.NumberColumn(
                    ui.tr("feedback_config.weight"), min_value=0, max_value=100, step=1
                ),
                "shown": col.CheckboxColumn(ui.tr("feedback_config.shown")),
                "order": col.NumberColumn(ui.tr("feedback_config.order"), min_value=0, step=1),
                "default_target": col.NumberColumn(
                    ui.tr("feedback_config.default_target"),
                    help=ui.tr("feedback_config.default_target_help"),
                ),
                "unit": col.TextColumn(ui.tr("feedback.col.unit")),
            },  # fmt: skip
            key="fb_config_editor",
        )
        threshold = st.number_input(
            ui.tr("feedback_config.threshold"), min_value=1.0, max_value=200.0,
            value=round(config.threshold * 100, 1), step=1.0,
        )  # fmt: skip
        saved = st.form_submit_button(ui.tr("feedback_config.save"), type="primary")
    if not saved:
        return
    metrics = []
    for base, row in zip(config.metrics, edited.itertuples(index=False), strict=True):
        target = (
            None
            if pd.isna(row.default_target)
            else from_display(base.kind, float(row.default_target))
        )
        metrics.append(
            replace(base, category=row.category, direction=row.direction, weight=float(row.weight or 0),
                    shown=bool(row.shown), order=int(row.order or 0), default_target=target)
        )  # fmt: skip
    try:
        with ui.writing() as session:
            form_config.save_config(
                session, viewer, form_config.FormConfig(tuple(metrics), threshold / 100)
            )
    except (ValueError, PermissionDenied) as error:
        st.error(ui.escape_markdown(str(error)))
        return
    st.success(ui.tr("feedback_config.saved"))
    st.rerun()
