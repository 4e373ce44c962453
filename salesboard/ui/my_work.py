"""My work's widgets: the rep picker of a manager, and each section as a compact list (one
line per item with the deal's code linked to its page, a grey line saying why), readable at
390 px where a wide table is not."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.feedback.queries import visible_reps
from salesboard.i18n import format_count
from salesboard.store.models import Role
from salesboard.worklist.lists import MyWork, WorkList, section_list
from salesboard.worklist.present import (
    deal_words,
    form_text,
    rows_by_rep,
    section_count,
    section_title,
    why_text,
)

REP_KEY = "rep"
EVERYONE = ""


def pick_rep(viewer: Viewer, work: MyWork) -> int | None:
    """A manager's rep picker bound to ``?rep=<username>`` ("" = all their reps), each rep
    with their count of items; None (everyone) for a rep, who sees only their own."""
    if viewer.role != Role.MANAGER:
        return None
    reps = ui.cached(visible_reps)(viewer)
    counts: dict[int, int] = {}
    for found in (work.overdue_actions, work.due_actions, work.stalled, work.visits.today):
        for owner, count in zip(found.per_rep["owner_id"], found.per_rep["count"], strict=True):
            counts[int(owner)] = counts.get(int(owner), 0) + int(count)
    names = dict(zip(reps["username"], reps["display_name"], strict=True))
    ids = dict(zip(reps["username"], reps["id"], strict=True))

    def label(username: str) -> str:
        if username == EVERYONE:
            return ui.tr_text("work.everyone")
        count = format_count(counts.get(int(ids[username]), 0))
        return ui.tr_text("work.rep_count", rep=names[username], count=count)

    chosen = ui.url_select(REP_KEY, ui.tr("work.rep"), [EVERYONE, *names], EVERYONE, label)
    return None if chosen == EVERYONE else int(ids[chosen])


def deal_link(code: str, lang: str) -> str:
    """Markdown: the deal's code linking to its page (keeps the language)."""
    url = f"/opportunity?code={code}&lang={lang}"
    return f"[**{ui.escape_markdown(code, inline=True)}**]({url})"


def item_line(row, lang: str) -> str:
    """One item as two Markdown lines: the linked code, customer and stage; why, in grey."""
    code, customer, stage = deal_words(row, lang)
    head = [deal_link(code, lang) if code else ui.tr_text("work.no_deal")]
    head += [ui.escape_markdown(p, inline=True) for p in (customer, stage) if p]
    why = ui.escape_markdown(why_text(row, lang), inline=True)
    return f"{' · '.join(head)}  \n:gray[{why}]"


def item_list(rows: pd.DataFrame) -> None:
    """Rows as a compact list, one Markdown block (plain dicts, not ``iterrows``' Series
    built per row)."""
    lang = ui.lang()  # once: each call reads the URL
    st.markdown("\n\n".join(item_line(row, lang) for row in rows.to_dict("records")))


def work_section(work: MyWork, section: str, grouped: bool) -> None:
    """One section: its title and count, its items (by rep when ``grouped``), what to do
    when it is empty, and a note when only the first items are shown."""
    lang = ui.lang()
    count = section_count(work, section)
    with st.container(border=True, key=f"work_{section}"):
        st.markdown(f"**{section_title(section, count, lang)}**")
        if section == "visits_today":
            st.caption(
                ui.tr("work.visit_counts", planned=work.visits.planned, done=work.visits.done)
            )
        if not count:
            st.caption(ui.tr(f"work.empty.{section}"))
            return
        found = section_list(work, section)
        if found is None:
            form_list(work.forms)
            return
        _items(found, grouped)


def _items(found: WorkList, grouped: bool) -> None:
    if grouped:
        # Every rep's heading above their items, all in one Markdown block (one element a
        # section, not one a rep).
        lang = ui.lang()
        blocks = []
        for rep, rows in rows_by_rep(found):
            heading = f"*{ui.escape_markdown(rep, inline=True)}*"
            blocks.append("\n\n".join([heading, *(item_line(row, lang) for row in rows)]))
        st.markdown("\n\n".join(blocks))
    else:
        item_list(found.rows)
    if found.total > len(found.rows):
        shown, total = format_count(len(found.rows)), format_count(found.total)
        st.caption(ui.tr("work.limited", shown=shown, total=total))


def form_list(forms: pd.DataFrame) -> None:
    """The waiting feedback forms, each linking to the form."""
    lang = ui.lang()
    lines = []
    for _, row in forms.iterrows():
        url = f"/feedback?period={row['period']}&rep={row['username']}&lang={lang}"
        text = ui.escape_markdown(form_text(row, lang), inline=True)
        lines.append(f"[{text}]({url})")
    st.markdown("\n\n".join(lines))
