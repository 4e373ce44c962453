"""Audit log (admins; leaders read): who changed what and when, with old and new values;
filters, newest first, a page at a time, export to XLSX / CSV."""

from datetime import timedelta

import streamlit as st

from salesboard import ui
from salesboard.accounts import audit_search
from salesboard.accounts.audit_search import AuditQuery, audit_export, audit_table
from salesboard.accounts.audit_text import code_label
from salesboard.store.db import read_session

viewer = ui.page_viewer(__file__)
lang = ui.lang()
st.title(ui.tr("audit.title"))
st.caption(ui.tr("audit.caption", zone=audit_search.company_zone().key))

choices = ui.cached(audit_search.audit_filter_choices)(viewer)
any_label = {"": ui.tr("audit.any")}
top = st.columns(3)
pickers = {}
for column, (name, kind) in zip(
    top, (("actor_name", ""), ("action", "action"), ("entity", "entity")), strict=True
):
    labels = {**any_label, **{c: code_label(kind, c, lang) if kind else c for c in choices[name]}}
    pickers[name] = ui.url_select(  # in the URL: a link reopens the same search
        f"audit_{kind or 'actor'}",
        ui.tr(f"audit.col.{name}"),
        list(labels),
        "",
        labels.get,
        container=column,
    )
bottom = st.columns(3)
entity_id = bottom[0].text_input(ui.tr("audit.col.entity_id"), max_chars=64, key="audit_entity_id")
today = ui.as_of()
days = bottom[1].date_input(
    ui.tr("audit.dates"), value=(), max_value=today + timedelta(days=1), key="audit_dates"
)
text = bottom[2].text_input(
    ui.tr("audit.search"), max_chars=100, placeholder=ui.tr("audit.search_hint"), key="audit_text"
)
since = days[0] if len(days) >= 1 else None
until = days[1] if len(days) == 2 else since
query = AuditQuery(
    pickers["actor_name"], pickers["action"], pickers["entity"], entity_id, since, until, text
)

page_number = st.session_state.get("audit_page", 1)
result = ui.cached(audit_search.search_audit)(viewer, query, page_number)
if result.total == 0:
    st.info(ui.tr("audit.none"))
    st.stop()
# Pixel widths that fit the eight columns at 1400 px: values and summary get the room.
widths = {"at": 150, "actor_name": 100, "action": 110, "entity": 110, "entity_id": 60,
          "summary": 170, "old_values": 190, "new_values": 190}  # fmt: skip
config = {ui.tr(f"audit.col.{c}"): st.column_config.Column(width=w) for c, w in widths.items()}
config[ui.tr("audit.col.at")] = st.column_config.DatetimeColumn(
    format="YYYY-MM-DD HH:mm:ss", width=widths["at"]
)
st.dataframe(
    audit_table(result.frame, lang), hide_index=True, column_config=config, placeholder="—"
)
pager, count, xlsx, csv = st.columns([1, 2, 1, 1], vertical_alignment="bottom")
pager.number_input(
    ui.tr("audit.page"), min_value=1, max_value=result.pages, value=result.page, key="audit_page"
)
count.caption(ui.tr("audit.count", total=result.total, page=result.page, pages=result.pages))
engine = ui.engine()


def exported(fmt: str):
    def build() -> bytes:
        with read_session(engine) as session:
            return audit_export(session, viewer, query, fmt, lang)

    return build


for column, fmt, mime in (
    (xlsx, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    (csv, "csv", "text/csv"),
):
    column.download_button(
        ui.tr(f"audit.export_{fmt}"),
        exported(fmt),
        file_name=f"audit-log.{fmt}",
        mime=mime,
        on_click="ignore",
        icon=":material/download:",
        key=f"audit_export_{fmt}",
    )
