"""The import as the page and the command line use it: read an upload within the size
limit, choose the kind and the mapping (remembered template, else automatic), validate
(a dry run in a read session), and import (validate again and write, in one write
transaction: every valid row lands, or nothing does)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pyarrow as pa
from sqlalchemy import Engine
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.importing import bulk
from salesboard.importing.constants import with_constants
from salesboard.importing.context import NAMES_SHOWN, FileKeys, ImportOptions
from salesboard.importing.kinds import KINDS, KindSpec, allowed_kinds
from salesboard.importing.lookups import load_reference
from salesboard.importing.mapping import (
    detect_kind,
    kind_with_template,
    resolve_mapping,
    stage_triples,
)
from salesboard.importing.readers import RawTable, read_sheet
from salesboard.importing.validate import Validation, collect_file_keys, validate
from salesboard.importing.write import ImportResult, ImportWriter, write_import
from salesboard.store.db import read_session, write_session
from salesboard.store.settings import get_settings
from salesboard.store.tables import EVENT, HISTORY, OPP

MIB = 1024 * 1024
# Kinds whose rows are checked against each other only by the duplicate-key rule, so that a
# file of them can be validated and written in chunks with the same outcome (a customer
# or region an earlier chunk created is found in the store by a later one).
CHUNKED_KINDS = frozenset({"opportunities"})
# Rows validated and written at a time: bounds the per-row Python objects of a large import
# (a 1,000,000-row CSV peaked at 1.7 GB validated whole).
CHUNK_ROWS = 50_000
# Tables the opportunity writer loads: their secondary indexes are dropped once for the
# whole file and rebuilt at the end (as for an import written in one piece).
_LOADED = (OPP, HISTORY, EVENT)

# pyarrow's default allocator (mimalloc) keeps the memory a large import freed for reuse,
# so the process stays at its peak; the system allocator hands it back. Measured on a
# 1,000,000-row CSV import: peak 1.95 GB -> 1.53 GB, same speed.
pa.set_memory_pool(pa.system_memory_pool())


def upload_limit_bytes() -> int:
    """The upload size limit in bytes (``SALESBOARD_MAX_UPLOAD_MB``)."""
    return get_settings().max_upload_mb * MIB


def read_upload(
    data: bytes, name: str, *, sheet: str | int | None = None, header_row: int | None = None
) -> RawTable:
    """Read one sheet of an uploaded file within the configured size limit. Raises
    SpreadsheetRejected (too_large, not_a_spreadsheet, zip_bomb …) before anything else."""
    return read_sheet(data, name, sheet, header_row=header_row, max_bytes=upload_limit_bytes())


def file_sha256(data: bytes) -> str:
    """The SHA-256 of the uploaded bytes (kept in the import log)."""
    return hashlib.sha256(data).hexdigest()


class KindNotDetected(ValueError):
    """No import kind's required columns are all present; ``scores`` per kind."""

    def __init__(self, scores: dict[str, int]) -> None:
        super().__init__("cannot tell the kind of import from the headers; pass it explicitly")
        self.scores = scores


@dataclass(frozen=True)
class Prepared:
    """The kind and mapping an import starts from."""

    kind: KindSpec
    mapping: dict[str, str]
    from_template: bool
    shared_template: bool = False  # the template applied is everyone's, not the user's own


def stages_for_mapping(session: Session) -> list[tuple[str, str, str]]:
    """(code, zh, en) of the stages a per-stage date column may name."""
    return stage_triples(load_reference(session).stages)


def prepare(
    session: Session,
    table: RawTable,
    viewer: Viewer,
    kind: str | None = None,
    mapping: Mapping[str, str] | None = None,
) -> Prepared:
    """The kind (given, remembered for these headers, or detected among those the viewer
    may import) and the mapping (given, remembered, or automatic)."""
    stages = stages_for_mapping(session)
    if kind is None:
        allowed = allowed_kinds(viewer.role)
        remembered = kind_with_template(session, table.columns, viewer)
        if remembered in allowed:
            kind = remembered
        else:
            kind, scores = detect_kind(table.columns, stages, allowed)
            if kind is None:  # a kind the viewer may not import is refused by validation
                kind, scores = detect_kind(table.columns, stages)
            if kind is None:
                raise KindNotDetected(scores)
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; choose one of {', '.join(KINDS)}")
    spec = KINDS[kind]
    if mapping is not None:
        return Prepared(spec, dict(mapping), False)
    found, template = resolve_mapping(session, spec, table.columns, stages, viewer)
    shared = template is not None and template.owner_id is None
    return Prepared(spec, found, template is not None, shared)


def dry_run(
    engine: Engine,
    table: RawTable,
    kind: KindSpec,
    mapping: Mapping[str, str],
    viewer: Viewer,
    **options,
) -> Validation:
    """``validate`` without writing (a read session: no lock is taken); ``options``: its
    mode and options."""
    with read_session(engine) as session:
        return validate(session, table, kind, mapping, viewer, **options)


def run_import(
    engine: Engine,
    table: RawTable,
    kind: KindSpec,
    mapping: Mapping[str, str],
    viewer: Viewer,
    *,
    file_name: str = "",
    file_hash: str = "",
    skip_invalid: bool = True,
    chunk_rows: int = CHUNK_ROWS,
    **options,
) -> tuple[Validation, ImportResult | None]:
    """Validate (as ``dry_run``) and write in one write transaction: the valid rows all land,
    or (on any error) nothing does. With ``skip_invalid=False`` a file with any bad row
    writes nothing and the result is None. A file of a ``CHUNKED_KINDS`` kind longer than
    ``chunk_rows`` is validated and written ``chunk_rows`` rows at a time (same
    transaction, same report: see ``_import_in_chunks``)."""
    with write_session(engine) as session:
        if kind.name in CHUNKED_KINDS and len(table.frame) > chunk_rows:
            return _import_in_chunks(
                session, table, kind, mapping, viewer, chunk_rows, skip_invalid,
                {"file_name": file_name, "file_sha256": file_hash, "sheet": table.sheet or ""},
                options,
            )  # fmt: skip
        validation = validate(session, table, kind, mapping, viewer, **options)
        if not skip_invalid and not validation.clean:
            return validation, None
        result = write_import(
            session, viewer, validation, file_name=file_name, file_sha256=file_hash,
            sheet=table.sheet or "",
        )  # fmt: skip
    return validation, result


def _chunks(table: RawTable, rows: int) -> Iterator[tuple[int, RawTable]]:
    """(file position of the first row, the table of those rows) per chunk."""
    for start in range(0, len(table.frame), rows):
        yield start, replace(table, frame=table.frame.iloc[start : start + rows])


def _import_in_chunks(
    session: Session,
    table: RawTable,
    kind: KindSpec,
    mapping: Mapping[str, str],
    viewer: Viewer,
    chunk_rows: int,
    skip_invalid: bool,
    log: dict[str, str],
    options: dict,
) -> tuple[Validation, ImportResult | None]:
    """``run_import`` for a long file, in the caller's transaction. A first pass reads every
    chunk's business keys (duplicates may be chunks apart); the second validates each
    chunk, knowing the whole file's duplicates, and writes its valid
    rows before the next. Problems keep the file's row numbers; a failure anywhere still
    rolls back the whole import, and so does a bad row when the file must be clean."""
    import_options = options.pop("options", None) or ImportOptions()
    mapping = {f: h for f, h in mapping.items() if h}
    # Constant columns are added to the whole table once, so the report shows them.
    table, mapping = with_constants(table, mapping, import_options.constants, import_options.lang)
    import_options = replace(import_options, constants={})
    keys = FileKeys(table.row_numbers)
    for start, chunk in _chunks(table, chunk_rows):
        keys.offset = start
        collect_file_keys(session, chunk, kind, mapping, viewer, keys, options=import_options)
    keys.find_duplicates()
    mode = options.get("mode", "insert")
    writer: ImportWriter | None = ImportWriter(session, viewer, kind.name, mode, **log)
    parts: list[Validation] = []
    with bulk.loading_all(session.connection(), dict.fromkeys(_LOADED, len(table.frame))):
        for start, chunk in _chunks(table, chunk_rows):
            keys.offset = start
            part = validate(session, chunk, kind, mapping, viewer, options=import_options,
                            file_keys=keys, **options)  # fmt: skip
            if writer is not None and not (skip_invalid or part.clean):
                writer = None  # a file that must be clean is not: the rest is only checked
            if writer is not None:
                writer.write(part)
            parts.append(replace(part, plan={}))  # the writer's per-row plan is done with
    validation = _joined(parts, table)
    if writer is None:  # undo the chunks written before the bad one
        session.rollback()
        return validation, None
    return validation, writer.finish(validation.counts(), kind.entity)


def _joined(parts: list[Validation], table: RawTable) -> Validation:
    """The chunks' validations as one of the whole file."""
    first = parts[0]
    return Validation(
        kind=first.kind,
        mode=first.mode,
        mapping=first.mapping,
        table=table,
        problems=pd.concat([p.problems for p in parts], ignore_index=True),
        action=np.concatenate([p.action for p in parts]),
        notes=merge_notes([p.notes for p in parts]),
        plan={},
    )


def merge_notes(per_chunk: list[list[tuple[str, dict]]]) -> list[tuple[str, dict]]:
    """The notes of a file validated in chunks, each once: the first chunk's wording, with
    counts added up and the names of what is created listed across chunks (as
    ``names_note`` shows them)."""
    merged: dict[str, tuple[str, dict]] = {}
    names: dict[str, list[str]] = {}
    for notes in per_chunk:
        for key, params in notes:
            if key not in merged:
                merged[key] = (key, dict(params))
                if "names" in params:
                    names[key] = [n for n in params["names"] if n != "…"]
                continue
            if "count" not in params:
                continue  # the same note again (unmapped columns, …)
            kept = merged[key][1]
            total = _count(kept["count"]) + _count(params["count"])
            kept["count"] = f"{total:,}" if isinstance(kept["count"], str) else total
            if key in names:
                names[key] += [n for n in params.get("names", ()) if n != "…"]
    for key, shown in names.items():
        params = merged[key][1]
        if isinstance(params["names"], tuple):
            more = ["…"] if _count(params["count"]) > NAMES_SHOWN else []
            params["names"] = tuple(shown[:NAMES_SHOWN] + more)
    return list(merged.values())


def _count(value: int | str) -> int:
    return int(str(value).replace(",", ""))
