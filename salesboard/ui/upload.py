"""Streamlit side of the spreadsheet upload page: reading the file (sheet, header row),
the analysis tab (preview, profile, pivot, chart, join) and the import tab (kind, mapping,
dry run with the report, import, log and undo). The rules live in ``salesboard.importing``.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.i18n import format_list
from salesboard.importing import adhoc, report
from salesboard.importing.kinds import KINDS, MODES, allowed_kinds
from salesboard.importing.lookups import load_reference
from salesboard.importing.mapping import check_mapping, fields_of, save_mapping, stage_triples
from salesboard.importing.problems import SpreadsheetRejected
from salesboard.importing.readers import RawTable, list_sheets
from salesboard.importing.service import (
    KindNotDetected,
    dry_run,
    file_sha256,
    prepare,
    read_upload,
    run_import,
)
from salesboard.importing.templates import blank_template, template_file_name
from salesboard.importing.text import cell_text
from salesboard.importing.undo import (
    UndoRefused,
    can_undo,
    import_log,
    last_import,
    undo_last_import,
)
from salesboard.importing.validate import ImportOptions, MappingError
from salesboard.importing.write import ImportConflict
from salesboard.outputs.export import Sheet, to_csv_bytes, to_xlsx
from salesboard.store.db import read_session
from salesboard.store.settings import PROJECT_ROOT, get_settings

FILE_TYPES = ["xlsx", "xlsm", "xls", "csv", "tsv", "txt"]
SAMPLES = [PROJECT_ROOT / "data" / "sample_opportunities.xlsx",
           PROJECT_ROOT / "data" / "sample_key_actions.csv"]  # fmt: skip
PREVIEW_ROWS = 200
REPORT_ROWS = 500
_NONE = ""  # the "no column" choice of a mapping selectbox
_BAD_CELL = "background-color: #ffc7ce; color: #9c0006"


def _labels(labels: dict[str, str]):
    """A format_func showing ``labels`` (others as they are), translated when the widget
    is drawn (so a test harness calling it later gets the same text)."""
    return lambda value: labels.get(value, value)


def limit_mb() -> int:
    """The upload limit in MB (``SALESBOARD_MAX_UPLOAD_MB``)."""
    return get_settings().max_upload_mb


def _memo(key: str, signature: tuple, build) -> Any:
    """``build()`` once per ``signature`` (kept in the session: no pickling of big frames)."""
    held = st.session_state.get(key)
    if held is not None and held[0] == signature:
        return held[1]
    value = build()
    st.session_state[key] = (signature, value)
    return value


# --- before a file is chosen ------------------------------------------------------------------


def start_panel(viewer: Viewer) -> None:
    """Blank templates per kind, sample files to try, and the import log."""
    lang = ui.lang()
    kinds = allowed_kinds(viewer.role)
    samples = [p for p in SAMPLES if p.exists()]
    if samples:
        st.subheader(ui.tr("upload.samples"))
        st.caption(ui.tr("upload.samples_help"))
        columns = st.columns(4)
        for i, path in enumerate(samples):
            columns[i].download_button(path.name, path.read_bytes(), file_name=path.name,
                                       key=f"sample_{i}", icon=":material/download:")  # fmt: skip
    if kinds:
        st.subheader(ui.tr("upload.templates"))
        st.caption(ui.tr("upload.templates_help"))
        with read_session(ui.engine()) as session:
            reference = load_reference(session)
        columns = st.columns(min(len(kinds), 4))
        for i, kind in enumerate(kinds):
            columns[i % len(columns)].download_button(
                ui.tr(f"import.kind.{kind}"),
                blank_template(kind, lang, reference),
                file_name=template_file_name(kind, lang),
                key=f"template_{kind}",
                icon=":material/download:",
            )
    log_panel(viewer)


# --- reading ----------------------------------------------------------------------------------


def _header_row_box(container, key: str, row: int) -> None:
    container.number_input(
        ui.tr("upload.header_row"), min_value=1, max_value=1_000_000, value=int(row), step=1,
        key=key, help=ui.tr("upload.header_row_help"),
    )  # fmt: skip


def read_file(upload) -> tuple[RawTable, bytes]:
    """The chosen sheet of the upload (sheet picker, header-row override); refusals and
    read warnings are shown, a refused file stops the page."""
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        sheets = _memo("upload_sheets", (digest,),
                       lambda: list_sheets(data, upload.name, max_bytes=limit_mb() * 1024 * 1024))  # fmt: skip
    except SpreadsheetRejected as error:
        st.error(ui.escape_markdown(report.reject_message(error, ui.lang())))
        st.stop()
    left, right, _ = st.columns([2, 1, 2])
    sheet = left.selectbox(ui.tr("upload.sheet"), sheets, key=f"upload_sheet_{digest[:8]}") if len(
        sheets) > 1 else (sheets[0] if sheets else None)  # fmt: skip
    # The header row box shows the row the reader found (the row the caption names); a
    # number typed into it overrides the detection for this file and sheet.
    box, key = (right if len(sheets) > 1 else left), f"upload_header_{digest[:8]}_{sheet}"
    chosen_row = st.session_state.get(key)
    try:
        table = _memo("upload_table", (digest, sheet, chosen_row), lambda: read_upload(
            data, upload.name, sheet=sheet, header_row=chosen_row))  # fmt: skip
    except SpreadsheetRejected as error:
        _header_row_box(box, key, chosen_row or 1)
        st.error(ui.escape_markdown(report.reject_message(error, ui.lang())))
        st.stop()
    _header_row_box(box, key, table.header_row)
    facts = {"header": table.header_row, "rows": f"{len(table.frame):,}",
             "columns": len(table.columns), "format": table.source_format.upper()}  # fmt: skip
    if table.encoding:
        st.caption(ui.tr("upload.read_text", encoding=table.encoding.upper(), **facts))
    else:
        st.caption(ui.tr("upload.read", sheet=table.sheet or "", **facts))
    for warning in table.warnings:
        st.info(ui.escape_markdown(report.warning_text(warning, ui.lang())), icon=":material/info:")
    return table, data


# --- analysis ---------------------------------------------------------------------------------


def analysis(table: RawTable, viewer: Viewer, digest: str) -> None:
    """Preview, column profile, pivot with downloads, chart builder, join to the store."""
    sheet = _memo("upload_typed", (digest, table.header_row, table.sheet),
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
        rep = left.selectbox(ui.tr("upload.join_rep"), [_NONE, *text_columns], key="join_rep",
                             format_func=_labels({_NONE: ui.tr("upload.none")}))  # fmt: skip
        customer = right.selectbox(ui.tr("upload.join_customer"), [_NONE, *text_columns],
                                   key="join_customer",
                                   format_func=_labels({_NONE: ui.tr("upload.none")}))  # fmt: skip
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
    value = c.selectbox(ui.tr("upload.pivot_values"), [_NONE, *numbers], key="pivot_values",
                        index=1 if numbers else 0,
                        format_func=_labels({_NONE: ui.tr("upload.row_count")}))  # fmt: skip
    aggregation = d.selectbox(ui.tr("upload.pivot_agg"), adhoc.AGGREGATIONS, key="pivot_agg",
                              format_func=_labels({a: ui.tr(f"upload.agg.{a}") for a in adhoc.AGGREGATIONS}))  # fmt: skip
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
                                format_func=_labels({k: ui.tr(f"upload.chart.{k}") for k in adhoc.CHART_KINDS})) or "bar"  # fmt: skip
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


# --- import -----------------------------------------------------------------------------------


def import_panel(table: RawTable, data: bytes, file_name: str, viewer: Viewer) -> None:
    """Kind, mode, mapping, dry run with the report, the import, then the log."""
    kinds = allowed_kinds(viewer.role)
    if not kinds:
        st.info(ui.tr("upload.no_kinds"))
        return
    digest = file_sha256(data)
    with read_session(ui.engine()) as session:
        try:
            detected = prepare(session, table, viewer).kind.name
        except KindNotDetected:
            detected = None
        stages = stage_triples(load_reference(session).stages)
    default = kinds.index(detected) if detected in kinds else 0
    left, right = st.columns(2)
    kind = left.selectbox(ui.tr("upload.kind"), kinds, index=default, key=f"kind_{digest[:8]}",
                          format_func=_labels({k: ui.tr(f"import.kind.{k}") for k in kinds}))  # fmt: skip
    if detected is None:
        left.caption(ui.tr("import.kind_unknown"))
    mode = right.radio(ui.tr("upload.mode"), MODES, key="import_mode",
                       format_func=_labels({m: ui.tr(f"import.mode.{m}") for m in MODES}))  # fmt: skip
    options = ImportOptions(create_customers=kind == "opportunities" and st.checkbox(
        ui.tr("upload.create_customers"), key="import_create_customers",
        help=ui.tr("upload.create_customers_help")))  # fmt: skip
    mapping = _mapping_editor(table, kind, viewer, digest, stages)
    signature = (digest, table.sheet, table.header_row, kind, mode, options.create_customers,
                 tuple(sorted(mapping.items())))  # fmt: skip
    problems = check_mapping(KINDS[kind], mapping, table.columns)
    if problems:
        for problem in problems:
            st.warning(
                ui.escape_markdown(
                    report.mapping_problem_text(problem, ui.lang(), _stage_names(stages))
                )
            )
        return
    if st.button(ui.tr("upload.check"), key="import_check", icon=":material/fact_check:",
                 type="primary"):  # fmt: skip
        _run_dry(table, kind, mapping, viewer, mode, options, signature)
    held = st.session_state.get("import_validation")
    if held is None or held[0] != signature:
        st.caption(ui.tr("upload.check_first"))
        return
    _show_report(held[1])
    _import_button(held[1], table, data, file_name, viewer, mode, options)


def _stage_names(stages: list[tuple[str, str, str]]) -> dict[str, str]:
    return {code: (zh if ui.lang() == "zh" else en) for code, zh, en in stages}


def _template_buttons(viewer: Viewer, kind: str, headers: list[str], mapping: dict) -> None:
    """Save the mapping as the user's own template; admins may also share it with everyone."""
    left, right = st.columns(2)
    shared = viewer.is_admin and right.button(
        ui.tr("upload.share_template"), key="share_template", icon=":material/groups:",
        help=ui.tr("upload.share_template_help"),
    )  # fmt: skip
    if left.button(ui.tr("upload.save_template"), key="save_template",
                   icon=":material/bookmark_add:") or shared:  # fmt: skip
        with ui.writing() as session:
            save_mapping(session, viewer, kind, headers, mapping, shared=shared)
        st.success(ui.tr("upload.template_shared" if shared else "upload.template_saved"))


def _mapping_editor(table: RawTable, kind: str, viewer: Viewer, digest: str,
                    stages: list[tuple[str, str, str]]) -> dict[str, str]:  # fmt: skip
    """One selectbox per field, prefilled by the remembered or automatic mapping."""
    with read_session(ui.engine()) as session:
        prepared = prepare(session, table, viewer, kind)
    spec = KINDS[kind]
    fields = fields_of(spec, stages)
    names = _stage_names(stages)
    missing = [f for f in spec.required if not prepared.mapping.get(f)]
    title = ui.tr("upload.mapping", mapped=len(prepared.mapping), fields=len(fields))
    mapping: dict[str, str] = {}
    # Open whenever a template was applied: a remembered mapping is shown, never silent.
    with st.expander(title, expanded=bool(missing) or prepared.from_template,
                     icon=":material/table_chart:"):  # fmt: skip
        if prepared.from_template:
            shared = prepared.shared_template
            st.caption(
                ui.tr("upload.mapping_template_shared" if shared else "upload.mapping_template")
            )
        options = [_NONE, *table.columns]
        grid = st.columns(3)
        for i, field in enumerate(fields):
            label = report.field_label(field.name, ui.lang(), names)
            if field.required:
                label += " *"
            current = prepared.mapping.get(field.name, _NONE)
            chosen = grid[i % 3].selectbox(
                label, options, index=options.index(current) if current in options else 0,
                key=f"map_{digest[:8]}_{kind}_{field.name}",
                format_func=_labels({_NONE: ui.tr("upload.none")}),
            )  # fmt: skip
            if chosen:
                mapping[field.name] = chosen
        _template_buttons(viewer, kind, table.columns, mapping)
    return mapping


def _run_dry(table, kind, mapping, viewer, mode, options, signature) -> None:
    try:
        with st.spinner(ui.tr("upload.checking")):
            validation = dry_run(ui.engine(), table, KINDS[kind], mapping, viewer, mode=mode,
                                 options=options)  # fmt: skip
    except PermissionDenied:
        st.error(ui.tr("import.forbidden_kind", kind=ui.tr(f"import.kind.{kind}")))
        return
    except MappingError as error:
        for problem in error.problems:
            st.warning(ui.escape_markdown(report.mapping_problem_text(problem, ui.lang())))
        return
    st.session_state["import_validation"] = (signature, validation)
    st.session_state.pop("import_result", None)


def _show_report(validation) -> None:
    lang = ui.lang()
    counts = validation.counts()
    cells = st.columns(5)
    for cell, key in zip(cells, ("rows", "insert", "update", "skip", "failed"), strict=True):
        value = counts[key] + (counts["unchanged"] if key == "skip" else 0)
        cell.metric(ui.tr(f"upload.count.{key}"), f"{value:,}")
    for note in report.note_texts(validation, lang):
        st.caption(ui.escape_markdown(note))
    if validation.clean:
        st.success(ui.tr("upload.all_valid"))
        return
    st.error(ui.tr("upload.some_failed", failed=f"{counts['failed']:,}"))
    numbers = validation.row_numbers[validation.failed]
    more = "…" if len(numbers) > 30 else ""
    st.caption(ui.tr("upload.failed_rows", rows=format_list(numbers[:30], ui.lang()) + more))
    rows, marks = report.failed_rows(validation, lang)
    # On screen the row number and the reason come first (the workbook keeps the file's
    # column order so the fixed rows upload again as they are).
    order = [*rows.columns[-2:], *rows.columns[:-2]]
    shown = _displayable(rows.head(REPORT_ROWS))[order]
    bad = marks.head(REPORT_ROWS)[order].to_numpy()
    styled = shown.style.apply(lambda _: np.where(bad, _BAD_CELL, ""), axis=None)
    st.dataframe(styled, hide_index=True, key="failed_rows", column_config={
        order[0]: st.column_config.NumberColumn(width="small"),
        order[1]: st.column_config.TextColumn(width="large"),
    }, placeholder="—")  # fmt: skip
    with st.expander(ui.tr("upload.problem_list", count=f"{len(validation.problems):,}")):
        st.dataframe(report.report_frame(validation, lang, limit=5000), hide_index=True,
                     key="problem_list", placeholder="—")  # fmt: skip
    st.download_button(ui.tr("upload.error_workbook"), report.error_workbook(validation, lang),
                       file_name=ui.tr("upload.error_file"), key="error_workbook",
                       icon=":material/download:")  # fmt: skip


def _displayable(frame: pd.DataFrame) -> pd.DataFrame:
    """Raw cells as the text Excel shows (a column mixing numbers and text cannot go to
    the browser as one typed column)."""

    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = [cell_text(v) for v in out[column]]
    return out


def _import_button(validation, table, data, file_name, viewer, mode, options) -> None:
    counts = validation.counts()
    writable = counts["insert"] + counts["update"]
    label = ui.tr("upload.import_rows", count=f"{writable:,}")
    if st.button(label, key="import_run", type="primary", disabled=writable == 0,
                 icon=":material/upload:"):  # fmt: skip
        try:
            with st.spinner(ui.tr("upload.importing")):
                _, result = run_import(
                    ui.engine(), table, validation.kind, validation.mapping, viewer, mode=mode,
                    options=options, file_name=file_name, file_hash=file_sha256(data),
                )  # fmt: skip
        except ImportConflict:
            st.error(ui.tr("import.conflict"))
            return
        except Exception as error:  # the transaction rolled back: say so, with an error id
            ui.report_error(error, message_key="import.failed_write")
            return
        ui.clear_cached()
        st.session_state.pop("import_validation", None)
        st.session_state["import_result"] = ui.tr(
            "import.report.result", batch=result.batch_id, inserted=result.inserted,
            updated=result.updated, skipped=result.skipped + result.unchanged, failed=result.failed,
        )  # fmt: skip
        st.rerun()


def result_message() -> None:
    """The outcome of the last import or undo of this session, once."""
    message = st.session_state.pop("import_result", None)
    if message:
        st.success(ui.escape_markdown(message), icon=":material/task_alt:")


def log_panel(viewer: Viewer) -> None:
    """The outcome of this session's last import or undo, recent imports and the undo of
    the last one."""
    st.subheader(ui.tr("upload.log"))
    result_message()
    with read_session(ui.engine()) as session:
        log = import_log(session, viewer, limit=20)
        last = last_import(session)
        undo_allowed = last is not None and can_undo(viewer, last)
        last_label = (last.id, last.file_name) if last is not None else None
    if log.empty:
        st.caption(ui.tr("import.log.empty"))
        return
    st.dataframe(
        report.log_frame(log, ui.lang()), hide_index=True, key="import_log", placeholder="—"
    )
    if undo_allowed:
        if st.button(ui.tr("upload.undo", batch=last_label[0], file=last_label[1]),
                     key="import_undo", icon=":material/undo:"):  # fmt: skip
            _undo(viewer)


def _undo(viewer: Viewer) -> None:

    try:
        with ui.writing() as session:
            undone = undo_last_import(session, viewer)
    except UndoRefused as refused:
        st.error(
            ui.escape_markdown(
                report.safe_text(f"import.undo.{refused.code}", ui.lang(), **refused.params)
            )
        )
        return
    st.session_state["import_result"] = ui.tr("import.undo.done", batch=undone.batch_id,
                                              file=undone.file_name)  # fmt: skip
    st.session_state.pop("import_validation", None)
    st.rerun()
