"""The goal setup page's tab for the XLSX template: download the period's goals, upload a
filled sheet and import it (all rows or none, problems listed by row)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.calendar.periods import Period
from salesboard.goals import template
from salesboard.store.db import read_session
from salesboard.ui.file_drop import file_drop
from salesboard.ui.goals.setup_shared import show_error


def template_tab(viewer: Viewer, period: Period, metric: str) -> None:
    """Download the period's goals as a template; upload a filled one (all rows or none)."""
    lang = ui.lang()
    st.download_button(
        ui.tr("goals.settings.template_download"),
        data=lambda: _template_bytes(viewer, period.label, metric, lang),
        file_name=f"goals_{metric}_{period.label}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        icon=":material/download:",
    )
    upload = file_drop(ui.tr("goals.settings.template_upload"), ["xlsx"], key="goal_template")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        with ui.writing() as session:
            rows = template.read_template(session, data)
            if not st.button(
                ui.tr("goals.settings.import_button", count=len(rows)),
                type="primary",
                key="template_import",
            ):
                return
            result = template.import_goals(session, viewer, rows)
    except template.TemplateError as error:
        st.error(ui.tr("goals.settings.template_problems", count=len(error.problems)))
        st.dataframe(
            pd.DataFrame(error.problems, columns=["row", "column", "problem"]),
            hide_index=True,
            column_config={
                "row": ui.tr("goals.field.row"),
                "column": ui.tr("goals.settings.column"),
                "problem": ui.tr("goals.col.problem"),
            },
            placeholder="—",
        )
        return
    except PermissionDenied as error:
        show_error(error)
        return
    st.success(
        ui.tr(
            "goals.settings.imported",
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        )
    )


def _template_bytes(viewer: Viewer, period: str, metric: str, lang: str) -> bytes:

    if not viewer.can_edit_goals:
        raise PermissionDenied("goals.edit", "only leaders and admins set goals")
    with read_session(ui.engine()) as session:
        return template.template_xlsx(session, period, metric, lang)
