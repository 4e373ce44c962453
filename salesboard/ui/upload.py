"""Streamlit side of the spreadsheet upload page: reading the file (sheet, header row) and
the import tab (kind, mapping, dry run with the report, import, log and undo); the analysis
tab is ``upload_analysis``. The rules live in ``salesboard.importing``.
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
from salesboard.importing import report
from salesboard.importing.constants import with_constants
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
from salesboard.importing.templates import blank_templates, template_file_name
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
from salesboard.store.db import read_session
from salesboard.store.settings import PROJECT_ROOT, get_settings

FILE_TYPES = ["xlsx", "xlsm", "xls", "csv", "tsv", "txt"]
SAMPLES = [PROJECT_ROOT / "data" / "sample_opportunities.xlsx",
           PROJECT_ROOT / "data" / "sample_key_actions.csv"]  # fmt: skip
REPORT_ROWS = 500
NO_COLUMN = ""  # the "no column" choice of a mapping selectbox
ALL_ROWS = "\x00all-rows"  # the "same value for all rows" choice (no header is spelled so)
_BAD_CELL = "background-color: #ffc7ce; color: #9c0006"


def choice_labels(labels: dict[str, str]):
    """A format_func showing ``labels`` (others as they are), translated when the widget
    is drawn (so a test harness calling it later gets the same text)."""
    return lambda value: labels.get(value, value)


def limit_mb() -> int:
    """The upload limit in MB (``SALESBOARD_MAX_UPLOAD_MB``)."""
    return get_settings().max_upload_mb


def memo(key: str, signature: tuple, build) -> Any:
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
        templates = ui.cached(blank_templates)(lang, tuple(kinds))
        columns = st.columns(min(len(kinds), 4))
        for i, kind in enumerate(kinds):
            columns[i % len(columns)].download_button(
                ui.tr(f"import.kind.{kind}"),
                templates[kind],
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
        sheets = memo("upload_sheets", (digest,),
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
        table = memo("upload_table", (digest, sheet, chosen_row), lambda: read_upload(
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
                          format_func=choice_labels({k: ui.tr(f"import.kind.{k}") for k in kinds}))  # fmt: skip
    if detected is None:
        left.caption(ui.tr("import.kind_unknown"))
    mode = right.radio(ui.tr("upload.mode"), MODES, key="import_mode",
                       format_func=choice_labels({m: ui.tr(f"import.mode.{m}") for m in MODES}))  # fmt: skip
    create_missing = bool(KINDS[kind].creatable) and st.checkbox(
        ui.tr("upload.create_missing"), key="import_create_missing",
        help=ui.tr("upload.create_missing_help"))  # fmt: skip
    mapping, constants = _mapping_editor(table, kind, viewer, digest, stages)
    options = ImportOptions(create_missing=create_missing, constants=constants, lang=ui.lang())
    signature = (digest, table.sheet, table.header_row, kind, mode, create_missing,
                 tuple(sorted(mapping.items())), tuple(sorted(constants.items())))  # fmt: skip
    # A constant stands in for a column: the mapping is checked with the constants in.
    checked, mapped = with_constants(table, mapping, constants, ui.lang())
    problems = check_mapping(KINDS[kind], mapped, checked.columns)
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
                    stages: list[tuple[str, str, str]]) -> tuple[dict[str, str], dict[str, str]]:  # fmt: skip
    """One selectbox per field, prefilled by the remembered or automatic mapping; a field
    may instead take one value for all rows. Returns ({field: column}, {field: value})."""
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
        options = [NO_COLUMN, ALL_ROWS, *table.columns]
        labels = choice_labels(
            {NO_COLUMN: ui.tr("upload.none"), ALL_ROWS: ui.tr("upload.all_rows")}
        )
        constants: dict[str, str] = {}
        grid = st.columns(3)
        for i, field in enumerate(fields):
            name = report.field_label(field.name, ui.lang(), names)
            label = f"{name} *" if field.required else name
            current = prepared.mapping.get(field.name, NO_COLUMN)
            cell = grid[i % 3]
            key = f"map_{digest[:8]}_{kind}_{field.name}"
            chosen = cell.selectbox(
                label, options, index=options.index(current) if current in options else 0,
                key=key, format_func=labels,
            )  # fmt: skip
            if chosen == ALL_ROWS:
                value = cell.text_input(ui.tr_text("upload.all_rows_value", field=name),
                                        key=f"{key}_value", max_chars=200)  # fmt: skip
                if value.strip():
                    constants[field.name] = value.strip()
            elif chosen:
                mapping[field.name] = chosen
        _template_buttons(viewer, kind, table.columns, mapping)
    return mapping, constants


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
        if result.credentials:  # the only copy of the passwords, for one download
            st.session_state["import_passwords"] = (
                len(result.credentials), report.passwords_workbook(result.credentials, ui.lang())
            )  # fmt: skip
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
    passwords = st.session_state.pop("import_passwords", None)
    if passwords:  # shown on this run only: the next rerun has no copy left
        count, workbook = passwords
        st.download_button(ui.tr("upload.passwords_download", count=count), workbook,
                           file_name=ui.tr("upload.passwords_file"), key="passwords_download",
                           on_click="ignore", type="primary", icon=":material/key:")  # fmt: skip
        st.warning(ui.tr("upload.passwords_once"), icon=":material/lock:")


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
