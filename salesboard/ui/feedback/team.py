"""The manager's feedback view of a month: summary tiles, one row per rep with status,
completion and a link to the form, reminders for reps who have not handed in, and the open
and overdue improvement items. The admins' KPI settings tab is ``metric_settings``."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.feedback.queries import NOT_STARTED
from salesboard.i18n import format_list, format_percent
from salesboard.i18n.locale import locale_for
from salesboard.ui.improvement_link import promote_item_picker


def _when(value) -> str:
    """A stored UTC stamp in the company's zone, "YYYY-MM-DD HH:MM" ("" when missing)."""
    if value is None or pd.isna(value):
        return ""
    return locale_for(ui.lang()).stamp(pd.Timestamp(value).to_pydatetime())


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
            # A full bar is 100 % (the target); more shows as full, the number says how much.
            "completion": col.ProgressColumn(
                ui.tr("feedback_team.completion"), format="percent", min_value=0, max_value=1
            ),
            "overrides": col.NumberColumn(
                ui.tr("feedback_team.overrides"), help=ui.tr("feedback_team.overrides_help")
            ),
            "submitted_at": col.TextColumn(ui.tr("feedback_team.submitted_at")),
            "link": col.LinkColumn(
                ui.tr("feedback_team.open"), display_text=ui.tr("feedback_team.open_text")
            ),
        },
        placeholder="—",
    )


def reminders(frame: pd.DataFrame, period: str) -> None:
    """Reps who have not submitted the month's form, and a reminder text to send them."""
    waiting = frame[frame["status"].isin([NOT_STARTED, "draft", "returned"])]
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
    st.dataframe(styled.hide(axis="index"), width="stretch", hide_index=True, placeholder="—")
    promote_item_picker(items)  # a measure worth copying → the knowledge base (issue 16)
