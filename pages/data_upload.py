"""Spreadsheet upload: look at an Excel/CSV file at once (analysis) or load it into the
store (import with mapping, dry run, error report, log and undo)."""

import streamlit as st

from salesboard import ui
from salesboard.importing.service import file_sha256
from salesboard.ui import upload, upload_analysis
from salesboard.ui.file_drop import file_drop

viewer = ui.page_viewer(__file__)
st.title(ui.tr("upload.title"))
st.caption(ui.tr("upload.caption", limit=upload.limit_mb()))

chosen = file_drop(
    ui.tr("upload.file"),
    upload.FILE_TYPES,
    key="upload_file",
    limit_mb=upload.limit_mb(),
    help=ui.tr("upload.file_help", limit=upload.limit_mb()),
)
if chosen is None:
    upload.start_panel(viewer)
    st.stop()

table, data = upload.read_file(chosen)
# Tabs that track state: only the open one runs, and it stays open across reruns (after
# an import or an undo the user is still on the import tab).
analyse, load = st.tabs(
    [ui.tr("upload.tab_analyse"), ui.tr("upload.tab_import")],
    key=f"upload_tab_{ui.lang()}",
    on_change="rerun",
)
if analyse.open:
    with analyse:
        upload_analysis.analysis(table, viewer, file_sha256(data))
if load.open:
    with load:
        upload.import_panel(table, data, chosen.name, viewer)
        upload.log_panel(viewer)
