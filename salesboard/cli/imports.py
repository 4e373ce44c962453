"""``python -m salesboard import FILE …``, ``import-log`` and ``import-undo``.

``import`` prints the validation report (the same rows and messages as the page) and
exits 0 when the file is clean (every row imported, or would be in a dry run), else 1.
A file with bad rows writes nothing unless ``--skip-invalid`` is given.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from salesboard.accounts.access import PermissionDenied
from salesboard.cli.common import CliError, engine_for, scoped_by_user, viewer_for_args
from salesboard.i18n import t
from salesboard.importing import report, service
from salesboard.importing.constants import (
    ConstantError,
    constant_column,
    parse_assignments,
    with_constants,
)
from salesboard.importing.kinds import KINDS, MODES
from salesboard.importing.lookups import load_reference
from salesboard.importing.mapping import check_mapping, parse_mapping_option, save_mapping
from salesboard.importing.problems import SpreadsheetRejected
from salesboard.importing.report import log_frame, report_frame, safe_text
from salesboard.importing.undo import UndoRefused, import_log, undo_last_import
from salesboard.importing.validate import ImportOptions, MappingError
from salesboard.importing.write import ImportConflict
from salesboard.store.db import read_session, write_session
from salesboard.store.settings import get_settings

_REPORT_LINES = 200


def add_parsers(sub) -> None:
    """Register ``import``, ``import-log`` and ``import-undo``."""
    parser = sub.add_parser(
        "import",
        help="validate and import a spreadsheet (xlsx, xls, csv)",
        description="Validate a spreadsheet and import its rows into the store. Exit 0 when "
        "every row is valid, 1 otherwise.",
    )
    parser.add_argument("file", help="the spreadsheet (xlsx, xlsm, xls, csv, tsv)")
    parser.add_argument(
        "--kind", choices=list(KINDS), help="what the rows are (default: from the headers)"
    )
    parser.add_argument("--sheet", help="sheet name or 0-based index (default: the first visible)")
    parser.add_argument(
        "--header-row", type=int, help="row number of the header (default: detected)"
    )
    parser.add_argument("--mode", choices=MODES, default="insert",
                        help="insert: only new rows (existing = error); update: insert and update "
                        "existing; skip: insert and skip existing (default: insert)")  # fmt: skip
    parser.add_argument("--dry-run", action="store_true", help="validate only, write nothing")
    parser.add_argument("--mapping", help='JSON {"field": "column"} or a file holding it')
    parser.add_argument("--save-mapping", action="store_true",
                        help="remember the mapping for this header set as the --as-user's own "
                        "template (without --as-user: shared with everyone)")  # fmt: skip
    parser.add_argument("--share-mapping", action="store_true",
                        help="admins: remember the mapping for everyone (audited)")  # fmt: skip
    parser.add_argument("--skip-invalid", action="store_true",
                        help="import the valid rows even when some rows have problems")  # fmt: skip
    parser.add_argument("--create-missing", "--create-customers", dest="create_missing",
                        action="store_true",
                        help="create what the rows name but the store lacks: customers, and "
                        "(admins) regions and product lines; the dry run lists them first")  # fmt: skip
    parser.add_argument("--set", dest="constants", action="append", default=[],
                        metavar="FIELD=VALUE",
                        help="one value for every row of a field the file lacks, e.g. "
                        "--set 产品线=智能制造 (repeatable)")  # fmt: skip
    parser.add_argument("--day-first", action="store_true",
                        help="read ambiguous dates like 05/10/2024 as day/month")  # fmt: skip
    parser.add_argument("--report-xlsx", help="write the failed rows (with reasons) to this XLSX")
    parser.add_argument("--passwords-out", metavar="FILE.xlsx",
                        help="users: write the one-time passwords of the accounts created to "
                        "this new XLSX (required when accounts are created; never printed)")  # fmt: skip
    parser.add_argument(
        "--lang", choices=("zh", "en"), help="report language (default: the setting)"
    )
    scoped_by_user(parser).set_defaults(func=cmd_import)

    log = sub.add_parser("import-log", help="list recent imports")
    log.add_argument("--limit", type=int, default=20)
    log.add_argument("--lang", choices=("zh", "en"))
    scoped_by_user(log).set_defaults(func=cmd_import_log)

    undo = sub.add_parser("import-undo", help="undo the most recent import")
    undo.add_argument("--batch", type=int, help="the import's number (must be the last one)")
    undo.add_argument("--lang", choices=("zh", "en"))
    scoped_by_user(undo).set_defaults(func=cmd_import_undo)


def _lang(args: argparse.Namespace) -> str:

    return args.lang or (
        get_settings().default_language if get_settings().default_language in ("zh", "en") else "zh"
    )


def _sheet(value: str | None) -> str | int | None:
    if value is None:
        return None
    return int(value) if value.isdigit() else value


def cmd_import(args: argparse.Namespace) -> int:
    """Validate (and unless --dry-run, import) a spreadsheet; exit status 1 if any row
    has a problem."""
    lang = _lang(args)
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise CliError(f"{path}: {error.strerror}") from None
    try:
        table = service.read_upload(
            data, path.name, sheet=_sheet(args.sheet), header_row=args.header_row
        )
    except SpreadsheetRejected as error:
        raise CliError(f"{path.name}: {report.reject_message(error, lang)}") from None
    engine = engine_for(args)
    with read_session(engine) as session:
        viewer = viewer_for_args(session, args)
        mapping = parse_mapping_option(args.mapping, table.columns) if args.mapping else None
        try:
            prepared = service.prepare(session, table, viewer, args.kind, mapping)
        except service.KindNotDetected:
            raise CliError(t("import.kind_unknown", lang)) from None
    try:
        constants = parse_assignments(prepared.kind, args.constants)
    except ConstantError as error:
        raise CliError(t("import.constant_unknown_field", lang, field=error.field,
                         kind=t(f"import.kind.{error.kind}", lang))) from None  # fmt: skip
    # A constant stands in for a column: the mapping is checked with the constants in.
    checked, mapped = with_constants(table, prepared.mapping, constants, lang)
    problems = check_mapping(prepared.kind, mapped, checked.columns)
    if problems:
        raise CliError(" ".join(report.mapping_problem_text(p, lang) for p in problems))
    print(t("import.report.file", lang, file=path.name, format=table.source_format,
            sheet=table.sheet or "-", header=table.header_row, rows=f"{len(table.frame):,}"))  # fmt: skip
    for warning in table.warnings:
        print("  ! " + report.warning_text(warning, lang))
    print(t("import.report.kind", lang, kind=t(f"import.kind.{prepared.kind.name}", lang),
            mode=t(f"import.mode.{args.mode}", lang)))  # fmt: skip
    with read_session(engine) as session:
        stages = {s.code: (s.name_zh if lang == "zh" else s.name_en)
                  for s in load_reference(session).stages}  # fmt: skip
    for field, column in prepared.mapping.items():
        if field not in constants:
            print(f"  {column} -> {report.field_label(field, lang, stages)}")
    for field, value in constants.items():
        print(f"  {constant_column(field, lang)} = {value} -> "
              f"{report.field_label(field, lang, stages)}")  # fmt: skip
    options = ImportOptions(create_missing=args.create_missing, constants=constants, lang=lang,
                            day_first=True if args.day_first else None)  # fmt: skip
    result = None
    passwords = _passwords_file(args, engine, table, prepared, viewer, options, lang)
    try:
        if args.dry_run:
            validation = service.dry_run(engine, table, prepared.kind, prepared.mapping, viewer,
                                         mode=args.mode, options=options)  # fmt: skip
        else:
            validation, result = service.run_import(
                engine, table, prepared.kind, prepared.mapping, viewer, mode=args.mode,
                options=options, file_name=path.name, file_hash=service.file_sha256(data),
                skip_invalid=args.skip_invalid,
            )  # fmt: skip
    except PermissionDenied:
        raise CliError(t("import.forbidden_kind", lang,
                         kind=t(f"import.kind.{prepared.kind.name}", lang))) from None  # fmt: skip
    except MappingError as error:
        raise CliError(
            " ".join(report.mapping_problem_text(p, lang) for p in error.problems)
        ) from None
    except ImportConflict:
        raise CliError(t("import.conflict", lang)) from None
    finally:
        if passwords is not None:
            _write_passwords(passwords, result, lang)
    if args.save_mapping or args.share_mapping:
        try:
            with write_session(engine) as session:
                save_mapping(session, viewer, prepared.kind.name, table.columns,
                             prepared.mapping, shared=args.share_mapping)  # fmt: skip
        except PermissionDenied:
            raise CliError(t("upload.share_template_denied", lang)) from None
    _print_report(validation, lang)
    for note in report.note_texts(validation, lang):  # what it creates, unused columns …
        print(f"  · {note}")
    print(report.summary(validation, lang))
    for note in report.note_texts(validation, lang):  # who gets an account, what is created …
        print("  " + note)
    if args.report_xlsx and not validation.clean:
        Path(args.report_xlsx).write_bytes(report.error_workbook(validation, lang))
        print(f"-> {args.report_xlsx}", file=sys.stderr)
    if args.dry_run:
        print(t("import.report.dry_run", lang))
    elif result is None:
        print(t("import.report.nothing_written", lang))
    else:
        print(t("import.report.result", lang, batch=result.batch_id, inserted=result.inserted,
                updated=result.updated, skipped=result.skipped + result.unchanged,
                failed=result.failed))  # fmt: skip
    return 0 if validation.clean else 1


def _passwords_file(args, engine, table, prepared, viewer, options, lang: str) -> Path | None:
    """The new file the one-time passwords of a users import go to, created empty (owner
    only) before anything is written; refuses an import that would create accounts without
    one (the passwords are never printed)."""
    if prepared.kind.name != "users" or args.dry_run:
        return None
    if not args.passwords_out:
        validation = service.dry_run(engine, table, prepared.kind, prepared.mapping, viewer,
                                     mode=args.mode, options=options)  # fmt: skip
        if validation.counts()["insert"] and (args.skip_invalid or validation.clean):
            raise CliError(t("import.passwords.needed", lang))
        return None
    path = Path(args.passwords_out)
    try:
        if path.suffix.lower() != ".xlsx":
            raise FileExistsError
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError:
        raise CliError(t("import.passwords.bad_file", lang, file=args.passwords_out)) from None
    return path


def _write_passwords(path: Path, result, lang: str) -> None:
    """Fill the passwords file, or remove it when the import created no account."""
    credentials = result.credentials if result is not None else []
    if not credentials:
        path.unlink(missing_ok=True)
        return
    path.write_bytes(report.passwords_workbook(credentials, lang))
    print(t("import.passwords.written", lang, count=len(credentials), file=path))


def _print_report(validation, lang: str) -> None:

    frame = report_frame(validation, lang, limit=_REPORT_LINES)
    for row in frame.itertuples(index=False, name=None):
        number, column, value, message = row
        print(f"  {number:>7}  {column}  [{value}]  {message}")
    more = len(validation.problems) - len(frame)
    if more > 0:
        print("  " + t("import.report.more", lang, count=f"{more:,}"))


def cmd_import_log(args: argparse.Namespace) -> None:
    """Print the most recent imports."""
    lang = _lang(args)
    with read_session(engine_for(args)) as session:
        log = import_log(session, viewer_for_args(session, args), limit=args.limit)
    if log.empty:
        print(t("import.log.empty", lang))
        return
    print(log_frame(log, lang).to_string(index=False))


def cmd_import_undo(args: argparse.Namespace) -> None:
    """Undo the most recent import."""
    lang = _lang(args)
    try:
        with write_session(engine_for(args)) as session:
            undone = undo_last_import(session, viewer_for_args(session, args), args.batch)
    except UndoRefused as refused:
        raise CliError(safe_text(f"import.undo.{refused.code}", lang, **refused.params)) from None
    print(t("import.undo.done", lang, batch=undone.batch_id, file=undone.file_name))
