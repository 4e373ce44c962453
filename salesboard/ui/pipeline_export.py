"""The review's export: the whole page as XLSX (one sheet per table), one-file HTML, the
overdue table as CSV, or every figure as JSON — computed on demand, with every row."""

from __future__ import annotations

import streamlit as st

from salesboard import ui
from salesboard.pipeline.report import EXPORT_FORMATS, MIME, build_report, export_bytes
from salesboard.pipeline.view_filters import DIMENSIONS, FilterOptions, ViewFilters
from salesboard.store.db import read_session
from salesboard.ui.filter_bar import FilterBar


def scope_text(bar: FilterBar) -> str:
    """The chosen filters in words ("团队: 华东销售一组; 产品线: 云服务")."""
    return scope_words(bar.view, bar.options)


def scope_words(view: ViewFilters, options: FilterOptions) -> str:
    """``view``'s chosen codes in words, named through ``options``."""
    lang = ui.lang()
    parts = [
        f"{ui.tr(f'filters.{d}')}: " + ", ".join(options.label(d, c, lang) for c in view.codes(d))
        for d in DIMENSIONS
        if view.codes(d)
    ]
    return "; ".join(parts)


def export_popover(bar: FilterBar, mode: str = "cohort") -> None:
    """A popover to pick a format, prepare the file and download it."""
    with st.popover(ui.tr("pipeline.export"), icon=":material/download:"):
        names = {f: ui.tr(f"pipeline.format_{f}") for f in EXPORT_FORMATS}
        fmt = st.radio(
            ui.tr("pipeline.format"),
            list(names),
            format_func=names.__getitem__,
            key="pl_export_fmt",
        )
        if st.button(ui.tr("pipeline.prepare"), key="pl_export_prepare"):
            with st.spinner(ui.tr("pipeline.preparing")), read_session(ui.engine()) as session:
                report = build_report(
                    session, ui.viewer(), bar.period, bar.filters, bar.as_of,
                    scope=scope_text(bar), mode=mode,
                )  # fmt: skip
                st.session_state["pl_export"] = (fmt, export_bytes(report, fmt, ui.lang()))
        prepared = st.session_state.get("pl_export")
        if prepared and prepared[0] == fmt:
            st.download_button(
                ui.tr("pipeline.download"),
                data=prepared[1],
                file_name=f"pipeline_{bar.period.label}_{bar.as_of}.{fmt}".replace("..", "_"),
                mime=MIME[fmt],
                key="pl_export_download",
                type="primary",
            )
