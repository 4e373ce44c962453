"""The validation report in the user's language: problem messages, the report table, the
error workbook (the failed rows as they were, bad cells highlighted, a reason column; fix
and re-upload just those), the one-line summary, and messages for refused files."""

from __future__ import annotations

import string
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from salesboard.i18n import TRANSLATIONS, format_count, t
from salesboard.i18n.locale import locale_for
from salesboard.importing.kinds import STAGE_DATE_PREFIX
from salesboard.importing.problems import ReadWarning, RejectCode, SpreadsheetRejected
from salesboard.importing.validate import Validation
from salesboard.outputs.export import Sheet, to_xlsx

MIB = 1024 * 1024
REASON_SEPARATOR = {"zh": "；", "en": "; "}


def safe_text(key: str, lang: str, **values: Any) -> str:
    """``t(key)`` with every placeholder the values lack filled with "" (never KeyError)."""
    template = TRANSLATIONS[key].get(lang) or TRANSLATIONS[key]["en"]
    fields = {f for _, f, _, _ in string.Formatter().parse(template) if f}
    return template.format(**{f: values.get(f, "") for f in fields})


def field_label(field: str, lang: str, stage_names: Mapping[str, str] | None = None) -> str:
    """The display name of an import field (stage-date fields name their stage)."""
    if field.startswith(STAGE_DATE_PREFIX):
        code = field[len(STAGE_DATE_PREFIX) :]
        return t("import.field.stage_date", lang, stage=(stage_names or {}).get(code, code))
    key = f"import.field.{field}"
    return t(key, lang) if key in TRANSLATIONS else field


def problem_text(code: str, value: str, params: Mapping[str, Any] | None, lang: str) -> str:
    """The message for one problem, quoting the cell."""
    key = f"import.problem.{code}"
    if key not in TRANSLATIONS:
        return f"{code}: {value}"
    values = dict(params or {})
    if "limit_minor" in values:  # money in the reader's language and unit
        values["limit"] = locale_for(lang).money(values["limit_minor"])
    if "other_field" in values:  # the field a date must not precede, by its name
        values["other"] = field_label(values["other_field"], lang)
    return safe_text(key, lang, value=value, **values)


def report_frame(validation: Validation, lang: str, limit: int | None = None) -> pd.DataFrame:
    """Row, column, cell and problem of every problem (first ``limit``), localised headers."""
    problems = validation.problems if limit is None else validation.problems.head(limit)
    columns = [problems["column"].iloc[i] or field_label(problems["field"].iloc[i], lang)
               for i in range(len(problems))]  # fmt: skip
    messages = [
        problem_text(code, value, params, lang)
        for code, value, params in zip(
            problems["code"], problems["value"], problems["params"], strict=True
        )
    ]
    return pd.DataFrame(
        {
            t("import.report.row", lang): problems["row"].astype("int64").to_numpy(),
            t("import.report.column", lang): columns,
            t("import.report.value", lang): problems["value"].to_numpy(dtype=object),
            t("import.report.problem", lang): messages,
        }
    )


def failed_rows(validation: Validation, lang: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the failed rows with the file's columns, the source row number and a reason column;
    a boolean frame marking the bad cells)."""
    table = validation.table
    failed_pos = np.flatnonzero(validation.failed)
    rows = table.frame.iloc[failed_pos].copy()
    source = t("import.report.source_row", lang)
    reason = t("import.report.reason", lang)
    problems = validation.problems
    by_row: dict[int, list[str]] = {}
    bad_cells: dict[int, set[str]] = {}
    for row, column, field, value, code, params in problems.itertuples(index=False, name=None):
        label = column or field_label(field, lang)
        by_row.setdefault(int(row), []).append(
            f"{label}: {problem_text(code, value, params, lang)}"
        )
        if column:
            bad_cells.setdefault(int(row), set()).add(column)
    numbers = table.row_numbers[failed_pos]
    rows[source] = numbers
    rows[reason] = [REASON_SEPARATOR.get(lang, "; ").join(by_row.get(int(n), [])) for n in numbers]
    rows = rows.reset_index(drop=True)
    marks = pd.DataFrame(False, index=rows.index, columns=rows.columns)
    for i, number in enumerate(numbers.tolist()):
        for column in bad_cells.get(int(number), ()):
            if column in marks.columns:
                marks.iat[i, marks.columns.get_loc(column)] = True
    return rows, marks


def error_workbook(validation: Validation, lang: str) -> bytes:
    """An XLSX of the failed rows (bad cells in light red, the reason in the last column)
    and a sheet listing every problem."""
    rows, marks = failed_rows(validation, lang)
    return to_xlsx(
        [
            Sheet(t("import.report.sheet_rows", lang), rows, highlight=marks),
            Sheet(
                t("import.report.sheet_problems", lang),
                report_frame(validation, lang),
                formats={t("import.report.row", lang): "int"},
            ),  # fmt: skip
        ]
    )


def passwords_workbook(credentials: Sequence[tuple[str, str, str]], lang: str) -> bytes:
    """An XLSX for the admin of the accounts an import created: username, name and the
    one-time password each must change at first sign-in (the only copy of the passwords)."""
    frame = pd.DataFrame(
        list(credentials),
        columns=[t("import.passwords.username", lang), t("import.passwords.name", lang),
                 t("import.passwords.password", lang)],
    )  # fmt: skip
    return to_xlsx([Sheet(t("import.passwords.sheet", lang), frame,
                          title=t("import.passwords.title", lang))])  # fmt: skip


def summary(validation: Validation, lang: str) -> str:
    """One sentence: rows, and how many would be inserted/updated/skipped or fail."""
    counts = {k: format_count(v) for k, v in validation.counts().items()}
    return t("import.report.summary", lang, **counts)


def note_texts(validation: Validation, lang: str) -> list[str]:
    """The validation's notes (unused columns, customers to create …) as sentences."""
    joined = locale_for(lang).join
    return [
        safe_text(
            key, lang, **{k: joined(v) if isinstance(v, tuple) else v for k, v in params.items()}
        )  # fmt: skip
        for key, params in validation.notes
    ]


def reject_message(error: SpreadsheetRejected, lang: str) -> str:
    """Why a file was refused, with the numbers a user needs (size and limit …)."""
    detail = error.detail
    if error.code == RejectCode.TOO_LARGE and "size" in detail:
        return t("import.reject.too_large", lang, size=f"{detail['size'] / MIB:,.1f}",
                 limit=f"{detail.get('max_bytes', 0) / MIB:,.0f}")  # fmt: skip
    if error.code == RejectCode.TOO_LARGE and "cells" not in detail:
        return t("import.reject.too_large_to_read", lang)  # the reader ran out of memory or time
    if error.code == RejectCode.TOO_LARGE:
        return t("import.reject.too_many_cells", lang, cells=format_count(detail.get("cells")),
                 limit=format_count(detail.get("max_cells")))  # fmt: skip
    return safe_text(f"import.reject.{error.code.value}", lang, **detail)


def warning_text(warning: ReadWarning, lang: str) -> str:
    """A read warning as a sentence."""
    return safe_text(f"import.warning.{warning.code.value}", lang, **dict(warning.detail))


def mapping_problem_text(
    problem: str, lang: str, stage_names: Mapping[str, str] | None = None
) -> str:
    """A ``check_mapping`` code ("missing:code") as a sentence."""
    kind, _, subject = problem.partition(":")
    if kind == "missing":
        return t("import.mapping.missing", lang, field=field_label(subject, lang, stage_names))
    return t(f"import.mapping.{kind}", lang, column=subject)


def log_frame(log: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import log with localised headers, kinds, modes and statuses."""

    locale = locale_for(lang)

    def status(value: str) -> str:
        return t(f"import.log.status_{value}", lang)

    return pd.DataFrame(
        {
            t("import.log.id", lang): log["id"].to_numpy(),
            t("import.log.at", lang): [locale.stamp(at) for at in pd.to_datetime(log["at"], utc=True)],
            t("import.log.who", lang): log["actor_name"].to_numpy(),
            t("import.log.kind", lang): [t(f"import.kind.{k}", lang) for k in log["kind"]],
            t("import.log.mode", lang): [t(f"import.mode.{m}", lang) for m in log["mode"]],
            t("import.log.file", lang): log["file_name"].to_numpy(),
            t("import.log.inserted", lang): log["inserted"].to_numpy(),
            t("import.log.updated", lang): log["updated"].to_numpy(),
            t("import.log.skipped", lang): log["skipped"].to_numpy(),
            t("import.log.failed", lang): log["failed"].to_numpy(),
            t("import.log.status", lang): [status(s) for s in log["status"]],
            t("import.log.sha256", lang): log["file_sha256"].str.slice(0, 12).to_numpy(),
        }
    )  # fmt: skip
