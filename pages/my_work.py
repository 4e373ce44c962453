"""My work (我的工作台): what is waiting on the signed-in rep today — key actions overdue and
due this week, deals over their stage standard or idle, visits planned, feedback forms — or,
for a manager, on their team, by rep. Each item is one click from its deal."""

import streamlit as st

from salesboard import ui
from salesboard.i18n.locale import Locale
from salesboard.store.models import Role
from salesboard.ui import my_work as mw
from salesboard.ui.deal_list import overdue_link
from salesboard.ui.leads_page import my_new_leads
from salesboard.worklist.lists import SECTIONS, my_work

viewer = ui.page_viewer(__file__)
as_of = ui.as_of()
team = viewer.role == Role.MANAGER
st.title(ui.tr("work.title_team" if team else "work.title"))
work = ui.cached(my_work)(viewer, as_of)
rep_id = mw.pick_rep(viewer, work)
if rep_id is not None:
    work = ui.cached(my_work)(viewer, as_of, rep_id)
st.caption(
    ui.tr(
        "work.as_of",
        day=Locale.day(as_of),
        start=Locale.day(work.week.start),
        end=Locale.day(work.week.end),
    )
)
if work.nothing_due and work.visits.week.empty:
    st.success(ui.tr("work.all_clear"))
for section in SECTIONS:
    mw.work_section(work, section, grouped=team and rep_id is None)
    if section == "stalled" and work.stalled.total:
        overdue_link(st)
if viewer.role == Role.REP:  # issue 17: new leads assigned to the rep
    my_new_leads(viewer)
