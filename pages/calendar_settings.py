"""Working calendar (admin): company days off and extra working days over the public calendar."""

from datetime import date

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.calendar.workdays import (
    is_working_day_in_store,
    list_overrides,
    remove_override,
    set_override,
)
from salesboard.store.settings import get_settings

admin = ui.page_viewer(__file__)
st.title(ui.tr("calendar.title"))
kind = get_settings().calendar
st.caption(ui.tr("calendar.caption", kind=ui.tr(f"calendar.kind_{kind}")))
as_of = ui.as_of()
ui.calendar_notice(as_of, date(as_of.year + 1, 1, 1))

overrides = ui.cached(list_overrides)()
if overrides:
    st.dataframe(
        pd.DataFrame(
            {
                ui.tr("calendar.day"): [o.day for o in overrides],
                ui.tr("calendar.is_working"): [o.is_working for o in overrides],
                ui.tr("calendar.note"): [o.note for o in overrides],
            }
        ),
        hide_index=True,
        placeholder="—",
    )
else:
    st.caption(ui.tr("calendar.none"))

with st.form("calendar_add"):
    st.subheader(ui.tr("calendar.add"))
    day = st.date_input(ui.tr("calendar.day"), value=as_of, key="calendar_day")
    is_working = st.toggle(ui.tr("calendar.is_working"), key="calendar_is_working")
    note = st.text_input(ui.tr("calendar.note"), max_chars=200, key="calendar_note")
    if st.form_submit_button(ui.tr("calendar.save")):
        try:
            with ui.writing() as session:
                set_override(session, day, is_working, note, actor=admin)
            st.success(ui.tr("calendar.saved", day=day))
            st.rerun()
        except ValueError as exc:
            ui.refuse(exc, "calendar.not_saved")

if overrides:
    chosen = st.selectbox(
        ui.tr("calendar.day"), [o.day for o in overrides], key="calendar_remove_day"
    )
    if st.button(ui.tr("calendar.remove"), key="calendar_remove"):
        with ui.writing() as session:
            remove_override(session, chosen, actor=admin)
        st.rerun()

# What the calendar now says about the chosen day, overrides included.
state = "calendar.working" if ui.cached(is_working_day_in_store)(day) else "calendar.off"
st.info(ui.tr("calendar.check", day=day, state=ui.tr(state)))
