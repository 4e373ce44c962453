"""The import as the page and the command line use it: read an upload within the size
limit, choose the kind and the mapping (remembered template, else automatic), validate
(a dry run in a read session), and import (validate again and write, in one write
transaction: every valid row lands, or nothing does)."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
from sqlalchemy import Engine
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.importing.kinds import KINDS, KindSpec, allowed_kinds
from salesboard.importing.lookups import load_reference
from salesboard.importing.mapping import (
    detect_kind,
    kind_with_template,
    resolve_mapping,
    stage_triples,
)
from salesboard.importing.readers import RawTable, read_sheet
from salesboard.importing.validate import Validation, validate
from salesboard.importing.write import ImportResult, write_import
from salesboard.store.db import read_session, write_session
from salesboard.store.settings import get_settings

MIB = 1024 * 1024

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
    **options,
) -> tuple[Validation, ImportResult | None]:
    """Validate (as ``dry_run``) and write in one write transaction: the valid rows all land,
    or (on any error) nothing does. With ``skip_invalid=False`` a file with any bad row
    writes nothing and the result is None."""
    with write_session(engine) as session:
        validation = validate(session, table, kind, mapping, viewer, **options)
        if not skip_invalid and not validation.clean:
            return validation, None
        result = write_import(
            session, viewer, validation, file_name=file_name, file_sha256=file_hash,
            sheet=table.sheet or "",
        )  # fmt: skip
    return validation, result
