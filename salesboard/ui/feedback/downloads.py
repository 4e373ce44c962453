"""The form's downloads: printable HTML, XLSX in the seed's layout, and JSON."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.feedback import report
from salesboard.feedback.queries import FormView

_KINDS = (
    ("html", "text/html"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("json", "application/json"),
)


def downloads(form: FormView) -> None:
    """Download the form as printable HTML, XLSX (the seed's layout) and JSON."""
    lang = ui.lang()
    name = f"feedback_{form.period}_{form.rep_name}_r{form.revision}"
    for column, (fmt, mime) in zip(st.columns(len(_KINDS)), _KINDS, strict=True):
        column.download_button(
            ui.tr(f"feedback.download.{fmt}"),
            data=lambda fmt=fmt: report.form_bytes(form, fmt, lang),
            file_name=f"{name}.{fmt}",
            mime=mime,
            key=f"fb_download_{fmt}",
            on_click="ignore",
        )
