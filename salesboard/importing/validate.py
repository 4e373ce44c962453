"""Validation of an import before anything is written: every mapped cell parsed by its
field's type, required fields, lengths, choices, names resolved against the store, the
kind's own rules (``resolve``), duplicate keys inside the file, permissions, and what each
valid row would do in the chosen mode. Never writes.

The result is row-level: one problem per (row, column) with a stable code, the cell as
the user typed it and the values for the message; the report and the error workbook are
built from it.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import numpy as np
import pandas as pd
from sqlmodel import Session

from salesboard.accounts.access import Viewer, require
from salesboard.calendar import clock
from salesboard.calendar.periods import Period, month, parse_period, quarter, year
from salesboard.importing import new_refs
from salesboard.importing.constants import with_constants
from salesboard.importing.context import (
    Context,
    FileKeys,
    ImportOptions,
    MappingError,
    ProblemLog,
    Validation,
    check_duplicates,
)
from salesboard.importing.kinds import MODES, FieldSpec, KindSpec
from salesboard.importing.lookups import AMBIGUOUS, load_reference
from salesboard.importing.mapping import (
    check_mapping,
    fields_of,
    header_unit,
    scale_bare_numbers,
    stage_triples,
)
from salesboard.importing.problems import WarningCode
from salesboard.importing.readers import RawTable
from salesboard.importing.resolve import FILE_KEYS, RESOLVERS
from salesboard.importing.text import cell_text
from salesboard.importing.values import (
    match_key,
    normalize_text_column,
    parse_amount_column,
    parse_bool_column,
    parse_date_column,
    parse_int_column,
)
from salesboard.importing.vocabulary import CHOICES
from salesboard.store.settings import get_settings

EARLIEST_DATE = date(1980, 1, 1)  # no sales record of this company is older
YEARS_AHEAD = 10  # a planned or expected date further ahead is a typo


class ImportProblem(enum.StrEnum):
    """Why a row cannot be imported (besides the value parsers' ``ProblemCode``s)."""

    MISSING_REQUIRED = "missing_required"
    NEAR_DUPLICATE = "near_duplicate"  # a name to create that reads like an existing one
    RETIRED = "retired"  # a team, region or product line retired on the Organisation page
    TOO_LONG = "too_long"
    NEGATIVE_AMOUNT = "negative_amount"
    AMOUNT_ABOVE_LIMIT = "amount_above_limit"  # one deal above SALESBOARD_MAX_DEAL_AMOUNT
    NEGATIVE_NUMBER = "negative_number"
    BAD_CHOICE = "bad_choice"
    BAD_PERIOD = "bad_period"
    UNKNOWN_STAGE = "unknown_stage"
    UNKNOWN_OWNER = "unknown_owner"  # no user with this username or display name
    AMBIGUOUS_OWNER = "ambiguous_owner"  # a display name two users share
    UNKNOWN_CUSTOMER = "unknown_customer"
    AMBIGUOUS_CUSTOMER = "ambiguous_customer"  # the name exists in several regions
    UNKNOWN_REGION = "unknown_region"
    UNKNOWN_PRODUCT_LINE = "unknown_product_line"
    UNKNOWN_TEAM = "unknown_team"
    UNKNOWN_OPPORTUNITY = "unknown_opportunity"
    DUPLICATE_KEY = "duplicate_key"  # the same business key on several rows of the file
    ALREADY_EXISTS = "already_exists"  # insert-only mode and the key is in the store
    FORBIDDEN = "forbidden"  # the importing user may not write this row
    STATUS_CONFLICT = "status_conflict"  # status says won, the stage is an open one …
    DATES_OUT_OF_ORDER = "dates_out_of_order"
    DATE_OUT_OF_RANGE = "date_out_of_range"  # before 1980 or more than 10 years ahead
    DATE_BEFORE = "date_before"  # a date before the one the kind says comes first
    CUSTOMER_MISMATCH = "customer_mismatch"  # the opportunity belongs to another customer
    SCOPE_CONFLICT = "scope_conflict"  # goal scope "company" with a team filled in …
    NO_TEAM = "no_team"  # the owner has no team and the row names none
    NO_REGION = "no_region"  # a new customer or team needs a region
    SELF_CHANGE = "self_change"  # an admin's own role or active flag
    BAD_USERNAME = "bad_username"  # spaces in a username
    BAD_EMAIL = "bad_email"


_REF_PROBLEMS = {
    "stage": (ImportProblem.UNKNOWN_STAGE, ImportProblem.UNKNOWN_STAGE),
    "user": (ImportProblem.UNKNOWN_OWNER, ImportProblem.AMBIGUOUS_OWNER),
    "team": (ImportProblem.UNKNOWN_TEAM, ImportProblem.UNKNOWN_TEAM),
    "region": (ImportProblem.UNKNOWN_REGION, ImportProblem.UNKNOWN_REGION),
    "product_line": (ImportProblem.UNKNOWN_PRODUCT_LINE, ImportProblem.UNKNOWN_PRODUCT_LINE),
}


# --- parsing by field type ------------------------------------------------------------------


def _check_deal_ceiling(ctx: Context, spec: FieldSpec, column, values: pd.Series) -> None:
    """Flag amounts above the plausible size of one deal (a typo of six extra zeros would
    otherwise dwarf the whole company's pipeline)."""
    limit_minor = get_settings().max_deal_amount * 100
    above = (values > limit_minor).fillna(False).to_numpy(dtype=bool)
    if above.any():
        ctx.problem(
            column.mask(above), spec.name, "amount_above_limit", {"limit_minor": limit_minor}
        )


def _choice_index(name: str) -> dict[str, str]:
    index: dict[str, str] = {}
    for code, spellings in CHOICES[name].items():
        for spelling in (code, *spellings):
            key = match_key(spelling)
            if key:
                index[key] = str(code)
    return index


_MONTH_CELL = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")
_QUARTER_CELL = re.compile(r"^(\d{4})(?:年|-)?(?:第)?(?:Q([1-4])|([1-4一二三四])季度?)$")
_YEAR_CELL = re.compile(r"^(\d{4})(?:年度?|财年|fy)?$")
_CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}


def parse_period_cell(value: object) -> Period:
    """A goal period from a cell: 2026-10, 2026/10, 2026年10月, 2026Q4, 2026年第四季度,
    2026年4季度, 2026, 2026年度, a date cell (its month). Raises ValueError."""
    if isinstance(value, date):
        return month(value.year, value.month)
    key = (match_key(cell_text(value)) or "").upper().replace("FY", "")
    if found := _MONTH_CELL.match(key):
        return parse_period(f"{found[1]}-{found[2]}")
    if found := _QUARTER_CELL.match(key):
        number = int(found[2]) if found[2] else _CN_DIGITS.get(found[3]) or int(found[3])
        return quarter(int(found[1]), number)
    if found := _YEAR_CELL.match(key.lower()):
        return year(int(found[1]))
    return parse_period(key)


@dataclass
class _Column:
    """A raw column as its distinct cells (``uniques``) and each row's index into them
    (-1 for an empty cell): every parser runs once per distinct value, not per row."""

    codes: np.ndarray
    uniques: pd.Series

    @classmethod
    def of(cls, raw: pd.Series) -> _Column:
        codes, uniques = pd.factorize(raw, use_na_sentinel=True)
        return cls(codes, pd.Series(uniques))

    def rows(self, values: pd.Series | np.ndarray) -> pd.Series:
        """Per-row values from per-unique ``values`` (missing for empty cells)."""
        array = values.array if isinstance(values, pd.Series) else pd.array(values)
        return pd.Series(array.take(self.codes, allow_fill=True))

    def mask(self, per_unique: np.ndarray) -> np.ndarray:
        """Per-row booleans from per-unique booleans (False for empty cells)."""
        per_unique = np.asarray(per_unique, dtype=bool)
        return np.r_[per_unique, False][np.where(self.codes >= 0, self.codes, len(per_unique))]


def _record(ctx: Context, spec: FieldSpec, column: _Column, parsed) -> pd.Series:
    """Record the failed cells of a parsed column; per-unique values."""
    codes = parsed.codes.to_numpy(dtype=object)
    failed = pd.notna(codes)
    ctx.failed[spec.name] = column.mask(failed)
    for code in pd.unique(codes[failed]):
        ctx.problem(column.mask(codes == code), spec.name, str(code))
    return parsed.values.reset_index(drop=True)


# A single amount this big (10亿 yuan) in a column whose header names a unit of 万元 or more
# is most likely a number in yuan: 200,000 under 金额（万元） would be 20亿 (past
# SALESBOARD_MAX_DEAL_AMOUNT a row is refused instead).
IMPLAUSIBLE_FEN = 10**9 * 100


def _note_amounts_too_big_for_the_unit(
    ctx: Context, header: str, column: _Column, before: pd.Series, scaled: pd.Series
) -> None:
    """Say so (a note, not an error: the rows still import) when plain numbers scaled by the
    header's unit come out implausibly large, with the first such cell as the example."""
    grown = (scaled != before).fillna(False).to_numpy(dtype=bool)
    huge = grown & (scaled >= IMPLAUSIBLE_FEN).fillna(False).to_numpy(dtype=bool)
    if not huge.any():
        return
    rows = column.mask(huge)
    first = int(np.argmax(rows))
    example = column.uniques[int(column.codes[first])]
    ctx.extra.setdefault("notes", []).append(
        (
            "import.note.amount_unit",
            {
                "column": header,
                "count": f"{int(rows.sum()):,}",
                "row": int(ctx.table.row_numbers[first]),
                "value": example if isinstance(example, str) else f"{example:,.15g}",
            },
        )
    )


def parse_fields(ctx: Context) -> None:
    """Parse every mapped column by its field type (once per distinct cell value),
    recording value problems."""
    stages = stage_triples(ctx.reference.stages)
    currency = get_settings().currency
    for spec in fields_of(ctx.kind, stages):
        name = ctx.mapping.get(spec.name)
        if not name:
            continue
        column = _Column.of(ctx.table.frame[name])
        raw = column.uniques
        if spec.type == "amount":
            values = _record(ctx, spec, column, parse_amount_column(raw, currency=currency))
            unit = header_unit(name)
            if unit:
                # counts (a goal of 120 visits) ignore a money unit in the header
                ctx.extra.setdefault("unscaled", {})[spec.name] = column.rows(values)
                before, values = values, scale_bare_numbers(raw, values, unit)
                _note_amounts_too_big_for_the_unit(ctx, name, column, before, values)
            if spec.nonnegative:
                negative = (values < 0).fillna(False).to_numpy(dtype=bool)
                ctx.problem(column.mask(negative), spec.name, "negative_amount")
            if spec.per_deal:
                _check_deal_ceiling(ctx, spec, column, values)
            ctx.values[spec.name] = column.rows(values)
        elif spec.type == "date":
            parsed = parse_date_column(raw, day_first=ctx.options.day_first)
            values = _record(ctx, spec, column, parsed)
            _check_date_range(ctx, spec, column, values)
            ctx.values[spec.name] = column.rows(values)
        elif spec.type == "int":
            values = _record(ctx, spec, column, parse_int_column(raw))
            if spec.nonnegative:
                negative = (values < 0).fillna(False).to_numpy(dtype=bool)
                ctx.problem(column.mask(negative), spec.name, "negative_number")
            ctx.values[spec.name] = column.rows(values)
        elif spec.type == "bool":
            ctx.values[spec.name] = column.rows(_record(ctx, spec, column, parse_bool_column(raw)))
        elif spec.type == "period":
            ctx.values[spec.name] = column.rows(_parse_periods(ctx, spec, column))
        else:  # text, choice, ref: normalised text first
            text = normalize_text_column(raw).values.astype(object)
            text = text.where(text.notna(), None).reset_index(drop=True)
            ctx.texts[spec.name] = column.rows(text.to_numpy(dtype=object))
            if spec.max_length:
                long = np.array([t is not None and len(t) > spec.max_length for t in text])
                ctx.problem(column.mask(long), spec.name, "too_long", {"max": spec.max_length})
            if spec.type == "choice":
                values = _parse_choice(ctx, spec, column, text)
            elif spec.type == "ref":
                values = _resolve_ref(ctx, spec, column, text)
            else:
                values = text
            ctx.values[spec.name] = column.rows(values)


def _parse_periods(ctx: Context, spec: FieldSpec, column: _Column) -> np.ndarray:
    out = np.empty(len(column.uniques), dtype=object)
    bad = np.zeros(len(column.uniques), dtype=bool)
    for i, value in enumerate(column.uniques.to_numpy(dtype=object)):
        if cell_text(value) is not None:
            try:
                out[i] = parse_period_cell(value)
            except ValueError:
                bad[i] = True
    ctx.problem(column.mask(bad), spec.name, "bad_period")
    ctx.failed[spec.name] = column.mask(bad)
    return out


def _parse_choice(ctx: Context, spec: FieldSpec, column: _Column, text: pd.Series) -> np.ndarray:
    index = _choice_index(spec.choices)
    values = np.array([index.get(match_key(t) or "") if t else None for t in text], dtype=object)
    if spec.open_choice:  # free codes: unknown spellings are kept as typed
        values = np.where(pd.isna(values), text.to_numpy(dtype=object), values)
    bad = text.notna().to_numpy() & pd.isna(values)
    allowed = ", ".join(str(c) for c in CHOICES[spec.choices])
    ctx.problem(column.mask(bad), spec.name, "bad_choice", {"choices": allowed})
    ctx.failed[spec.name] = column.mask(bad)
    return values


def _resolve_ref(
    ctx: Context, spec: FieldSpec, column: _Column, text: pd.Series
) -> pd.Series | np.ndarray:
    if spec.ref in ("customer", "opportunity"):
        return text.to_numpy(dtype=object)  # the kind resolves these (by region, by code)
    index = ctx.reference.index(spec.ref)
    found = index.resolve(text)
    ambiguous = (found == AMBIGUOUS).fillna(False).to_numpy(dtype=bool)
    ids = found.mask(found == AMBIGUOUS)  # from here on negative ids are new entries
    unknown_code, ambiguous_code = _REF_PROBLEMS[spec.ref]
    unknown = text.notna().to_numpy() & ids.isna().to_numpy() & ~ambiguous
    near = np.zeros(len(text), dtype=bool)
    if new_refs.may_create(ctx, spec.ref):
        # New names get placeholder ids; a name close to an existing one is a problem.
        close_to = new_refs.plan_new(ctx, spec.ref, text, ids, unknown)
        for pos, existing in close_to.items():
            near[pos] = True
            ctx.problem(column.mask(np.arange(len(text)) == pos), spec.name,
                        ImportProblem.NEAR_DUPLICATE, {"existing": existing})  # fmt: skip
        unknown &= ids.isna().to_numpy() & ~near
    ctx.problem(column.mask(unknown), spec.name, unknown_code)
    rows = np.flatnonzero(column.mask(ambiguous))
    if len(rows):
        row_text = column.rows(text.to_numpy(dtype=object))
        params = [{"candidates": "、".join(index.choices_for(row_text.iat[r]))} for r in rows]
        ctx.problem(rows, spec.name, ambiguous_code, params)
    retired = ids.isin(ctx.reference.retired.get(spec.ref, ())).fillna(False).to_numpy(bool)
    ctx.problem(column.mask(retired), spec.name, ImportProblem.RETIRED)
    ctx.failed[spec.name] = column.mask(unknown | ambiguous | retired | near)
    return ids


def _check_date_range(ctx: Context, spec: FieldSpec, column: _Column, values: pd.Series) -> None:
    """Flag dates no sales record has: before ``EARLIEST_DATE`` or more than
    ``YEARS_AHEAD`` years after today (year 1 and 9999 parse as dates, and sort first/last)."""
    latest = ctx.today.replace(year=ctx.today.year + YEARS_AHEAD, day=min(ctx.today.day, 28))
    days = pd.to_datetime(values, errors="coerce")
    outside = ((days < pd.Timestamp(EARLIEST_DATE)) | (days > pd.Timestamp(latest))).to_numpy()
    if outside.any():
        window = {"earliest": EARLIEST_DATE.isoformat(), "latest": latest.isoformat()}
        ctx.problem(column.mask(outside), spec.name, "date_out_of_range", window)


def check_date_order(ctx: Context) -> None:
    """Rows that give both dates of a pair of ``kind.date_order`` in the wrong order."""
    for earlier, later in ctx.kind.date_order:
        if earlier not in ctx.values or later not in ctx.values:
            continue
        first = pd.to_datetime(ctx.values[earlier], errors="coerce")
        then = pd.to_datetime(ctx.values[later], errors="coerce")
        wrong = (then < first).fillna(False).to_numpy(dtype=bool)
        ctx.problem(wrong, later, "date_before", {"other_field": earlier})


def check_required(ctx: Context) -> None:
    """Blank cells in required fields (cells that failed to parse are reported already)."""
    for name in ctx.kind.required:
        if not ctx.mapping.get(name):
            continue
        failed = ctx.failed.get(name, np.zeros(ctx.size, dtype=bool))
        blank = ctx.value(name).isna().to_numpy() & ~failed
        ctx.problem(blank, name, "missing_required")


def validate(
    session: Session,
    table: RawTable,
    kind: KindSpec,
    mapping: Mapping[str, str],
    viewer: Viewer,
    *,
    mode: str = "insert",
    options: ImportOptions | None = None,
    file_keys: FileKeys | None = None,
) -> Validation:
    """Check every row of ``table`` as an import of ``kind`` by ``viewer``; writes nothing.
    ``file_keys``: the whole file's keys when ``table`` is one chunk of it.

    Raises PermissionDenied when the viewer may not import this kind at all, MappingError
    when a required field has no column, ValueError for an unknown mode.
    """
    if mode not in MODES:
        raise ValueError(f"unknown import mode {mode!r}; choose one of {', '.join(MODES)}")
    require(
        viewer.role in kind.roles,
        "import_forbidden",
        f"{viewer.username} ({viewer.role}) may not import {kind.name}",
    )
    options = options or ImportOptions()
    mapping = {f: h for f, h in mapping.items() if h}
    table, mapping = with_constants(table, mapping, options.constants, options.lang)
    problems = check_mapping(kind, mapping, table.columns)
    if problems:
        raise MappingError(problems)
    guessed = any(w.code == WarningCode.ENCODING_GUESSED for w in table.warnings)
    notes: list[tuple[str, dict]] = []
    if guessed and options.create_missing:  # names that may be garbled create nothing
        options = replace(options, create_missing=False)
        notes.append(("import.note.no_create_encoding_guessed", {}))
    ctx = _context(session, table, kind, mapping, viewer, mode, options, file_keys)
    parse_fields(ctx)
    check_required(ctx)
    check_date_order(ctx)
    plan = RESOLVERS[kind.name](ctx)
    plan["today"] = ctx.today
    if unmapped := [c for c in table.columns if c not in set(mapping.values())]:
        notes.insert(0, ("import.note.unmapped", {"columns": ", ".join(unmapped)}))
    notes.extend(plan.pop("_notes", []))
    notes.extend(new_refs.notes(ctx))
    plan["new_refs"] = new_refs.plan_frames(ctx)
    notes.extend(ctx.extra.get("notes", []))
    return Validation(
        kind=kind,
        mode=mode,
        mapping=dict(mapping),
        table=table,
        problems=ctx.log.frame(table, mapping),
        action=plan.pop("_action"),
        notes=notes,
        plan=plan,
    )


def _context(
    session: Session, table: RawTable, kind: KindSpec, mapping: Mapping[str, str],
    viewer: Viewer, mode: str, options: ImportOptions, file_keys: FileKeys | None,
) -> Context:  # fmt: skip
    return Context(
        session=session,
        kind=kind,
        table=table,
        mapping=dict(mapping),
        viewer=viewer,
        mode=mode,
        options=options,
        reference=load_reference(session),
        log=ProblemLog(len(table.frame)),
        today=options.today or clock.today(),
        file_keys=file_keys,
    )


def collect_file_keys(
    session: Session,
    table: RawTable,
    kind: KindSpec,
    mapping: Mapping[str, str],
    viewer: Viewer,
    file_keys: FileKeys,
    *,
    options: ImportOptions | None = None,
) -> None:
    """The first pass over one chunk of a file validated in chunks: record the business
    key of each of its rows in ``file_keys`` (only the key columns are parsed, as
    ``validate`` parses them). ``mapping`` and ``options`` as ``validate`` gets them."""
    key_mapping = {f: h for f, h in mapping.items() if h and f in kind.key}
    options = options or ImportOptions()
    ctx = _context(session, table, kind, key_mapping, viewer, "insert", options, file_keys)
    parse_fields(ctx)
    check_duplicates(ctx, FILE_KEYS[kind.name](ctx))


__all__ = [
    "collect_file_keys",
    "Context",
    "ImportOptions",
    "ImportProblem",
    "MappingError",
    "ProblemLog",
    "Validation",
    "validate",
]
