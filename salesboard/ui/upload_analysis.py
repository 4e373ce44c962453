"""Streamlit side of the upload page's analysis tab: a look at the file without importing
it — preview, column profile, pivot with downloads, chart builder, join to the store. The
rules live in ``salesboard.importing.adhoc``."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.importing import adhoc
from salesboard.importing.readers import RawTable
from salesboard.outputs.export import Sheet, to_csv_bytes, to_xlsx
from salesboard.store.db import read_session
from salesboard.ui.upload import NO_COLUMN, choice_labels, memo

PREVIEW_ROWS = 200


def analysis(table: RawTable, viewer: Viewer, digest: str) -> None:
    """Preview, column profile, pivot with downloads, chart builder, join to the store."""
    sheet = memo("upload_typed", (digest, table.header_row, table.sheet),
                 lambda: adhoc.typed_sheet(table))  # fmt: skip
    frame = _join(sheet, viewer)
    st.subheader(ui.tr("upload.preview"))
    preview = frame.head(PREVIEW_ROWS).rename_axis(ui.tr("import.report.row"))
    st.dataframe(preview, key="upload_preview", height=320,
                 column_config=_column_config(preview, sheet.kinds), placeholder="—")  # fmt: skip
    if len(frame) > PREVIEW_ROWS:
        st.caption(ui.tr("upload.preview_more", shown=PREVIEW_ROWS, rows=f"{len(frame):,}"))
    st.subheader(ui.tr("upload.profile"))
    profile = adhoc.profile(adhoc.TypedSheet(frame, {**sheet.kinds, **_joined_kinds(frame, sheet)}))
    profile["type"] = [ui.tr(f"upload.type.{k}") for k in profile["type"]]
    profile.columns = [ui.tr(f"upload.profile.{c}") for c in profile.columns]
    st.dataframe(profile, hide_index=True, key="upload_profile", column_config={
        profile.columns[5]: st.column_config.TextColumn(width="medium"),
        profile.columns[8]: st.column_config.NumberColumn(format="localized"),
    }, placeholder="—")  # fmt: skip
    _pivot_section(frame, sheet)


def _column_config(frame: pd.DataFrame, kinds: dict[str, str]) -> dict[str, Any]:
    """Dates as dates, money and numbers with separators, ratios as percentages."""
    config: dict[str, Any] = {}
    for column in frame.columns:
        kind = kinds.get(column, "text")
        if kind == "date":
            config[column] = st.column_config.DateColumn(column, format="YYYY-MM-DD")
        elif kind in ("money", "number"):
            config[column] = st.column_config.NumberColumn(column, format="localized")
        elif kind == "percent":
            config[column] = st.column_config.NumberColumn(column, format="percent")
    return config


def _joined_kinds(frame: pd.DataFrame, sheet: adhoc.TypedSheet) -> dict[str, str]:
    return {c: "text" for c in frame.columns if c not in sheet.kinds}


def _join(sheet: adhoc.TypedSheet, viewer: Viewer) -> pd.DataFrame:
    text_columns = [c for c, k in sheet.kinds.items() if k == "text"]
    with st.expander(ui.tr("upload.join"), icon=":material/join:"):
        st.caption(ui.tr("upload.join_help"))
        left, right = st.columns(2)
        rep = left.selectbox(ui.tr("upload.join_rep"), [NO_COLUMN, *text_columns], key="join_rep",
                             format_func=choice_labels({NO_COLUMN: ui.tr("upload.none")}))  # fmt: skip
        customer = right.selectbox(ui.tr("upload.join_customer"), [NO_COLUMN, *text_columns],
                                   key="join_customer",
                                   format_func=choice_labels({NO_COLUMN: ui.tr("upload.none")}))  # fmt: skip
        if not rep and not customer:
            return sheet.frame
        with read_session(ui.engine()) as session:
            joined, matched = adhoc.join_store(session, viewer, sheet.frame, rep_column=rep or None,
                                               customer_column=customer or None, lang=ui.lang())  # fmt: skip
        st.caption(ui.tr("upload.join_matched", reps=matched.get("rep", 0),
                         customers=matched.get("customer", 0), rows=len(sheet.frame)))  # fmt: skip
    return joined


def _pivot_section(frame: pd.DataFrame, sheet: adhoc.TypedSheet) -> None:
    st.subheader(ui.tr("upload.pivot"))
    dims = [c for c in frame.columns if sheet.kinds.get(c, "text") in ("text", "date")]
    numbers = [c for c in frame.columns if sheet.kinds.get(c) in ("money", "number", "percent")]
    a, b, c, d = st.columns([3, 3, 2, 2])
    first = adhoc.default_dimension(sheet)
    rows = a.multiselect(ui.tr("upload.pivot_rows"), dims, default=[first] if first else [],
                         key="pivot_rows", placeholder=ui.tr("upload.choose"))  # fmt: skip
    columns = b.multiselect(ui.tr("upload.pivot_columns"), [x for x in dims if x not in rows],
                            key="pivot_columns", placeholder=ui.tr("upload.choose"))  # fmt: skip
    value = c.selectbox(ui.tr("upload.pivot_values"), [NO_COLUMN, *numbers], key="pivot_values",
                        index=1 if numbers else 0,
                        format_func=choice_labels({NO_COLUMN: ui.tr("upload.row_count")}))  # fmt: skip
    aggregation = d.selectbox(ui.tr("upload.pivot_agg"), adhoc.AGGREGATIONS, key="pivot_agg",
                              format_func=choice_labels({a: ui.tr(f"upload.agg.{a}") for a in adhoc.AGGREGATIONS}))  # fmt: skip
    if not rows and not columns:
        st.info(ui.tr("upload.pivot_pick"))
        return
    table = adhoc.pivot(frame, rows, columns, value or None, aggregation,
                        count_label=ui.tr("upload.row_count"))  # fmt: skip
    number = st.column_config.NumberColumn(format="localized")
    st.dataframe(table, hide_index=True, key="pivot_table",
                 column_config={c: number for c in table.columns if c not in (*rows, *columns)}, placeholder="—")  # fmt: skip
    left, right, _ = st.columns([1, 1, 4])
    left.download_button("XLSX", to_xlsx([Sheet(ui.tr("upload.pivot"), table)]),
                         file_name="pivot.xlsx", key="pivot_xlsx", icon=":material/download:")  # fmt: skip
    right.download_button("CSV", to_csv_bytes(table), file_name="pivot.csv", key="pivot_csv",
                          icon=":material/download:")  # fmt: skip
    _chart_section(table, rows, columns, value or ui.tr("upload.row_count"))


def _chart_section(table: pd.DataFrame, rows: list[str], columns: list[str], value: str) -> None:
    st.subheader(ui.tr("upload.chart"))
    kind = st.segmented_control(ui.tr("upload.chart_kind"), adhoc.CHART_KINDS, default="bar",
                                key="chart_kind",
                                format_func=choice_labels({k: ui.tr(f"upload.chart.{k}") for k in adhoc.CHART_KINDS})) or "bar"  # fmt: skip
    if not rows:
        st.info(ui.tr("upload.chart_needs_rows"))
        return
    if columns:
        data = adhoc.long_pivot(table, rows[:1])
        figure = adhoc.chart(data, kind, rows[0], "value", color="series", path=[rows[0], "series"])
    else:
        y = [c for c in table.columns if c not in rows][0]
        data = table[table[rows[0]].astype(str) != "Σ"]
        figure = adhoc.chart(data, kind, rows[0], y, path=rows)
    figure.update_layout(yaxis_title=value)
    ui.plotly_chart(figure, key="upload_chart")
