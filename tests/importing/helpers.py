"""Running the import on real files in tests: build a workbook, read it as an upload,
prepare and validate or import it."""

from __future__ import annotations

from sqlalchemy import Engine, func, or_, select

from salesboard.accounts.access import SYSTEM, Viewer
from salesboard.importing.service import file_sha256, prepare, read_upload, run_import
from salesboard.importing.validate import ImportOptions, Validation, validate
from salesboard.store.db import read_session
from salesboard.store.models import metadata
from tests.importing.files import simple_xlsx

TITLE = [["销售数据（导入测试）"], []]  # a title row and a blank row above the header
FIRST_DATA_ROW = 4


def workbook(rows: list[list[object]], title: bool = True) -> bytes:
    """An XLSX with a title row above the header (data from row 4) unless ``title=False``."""
    return simple_xlsx((TITLE if title else []) + rows)


def check(
    engine: Engine,
    kind: str,
    rows: list[list[object]],
    *,
    viewer: Viewer = SYSTEM,
    mode: str = "insert",
    options: ImportOptions | None = None,
    mapping: dict[str, str] | None = None,
) -> Validation:
    """Validate ``rows`` (header first) as an import of ``kind``."""
    table = read_upload(workbook(rows), "test.xlsx")
    with read_session(engine) as s:
        prepared = prepare(s, table, viewer, kind, mapping)
        return validate(s, table, prepared.kind, prepared.mapping, viewer, mode=mode,
                        options=options or ImportOptions(today=None))  # fmt: skip


def load(engine: Engine, kind: str | None, rows: list[list[object]], *, viewer: Viewer = SYSTEM,
         mode: str = "insert", options: ImportOptions | None = None, name: str = "test.xlsx",
         skip_invalid: bool = True):  # fmt: skip
    """Import ``rows`` (header first); returns (validation, result)."""
    data = workbook(rows)
    table = read_upload(data, name)
    with read_session(engine) as s:
        prepared = prepare(s, table, viewer, kind)
    return run_import(engine, table, prepared.kind, prepared.mapping, viewer, mode=mode,
                      options=options, file_name=name, file_hash=file_sha256(data),
                      skip_invalid=skip_invalid)  # fmt: skip


def problems(validation: Validation) -> set[tuple[int, str, str]]:
    """(row, column, code) of every problem."""
    frame = validation.problems
    return set(zip(frame["row"].astype(int), frame["column"], frame["code"], strict=True))


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table (to prove nothing changed)."""
    with read_session(engine) as s:
        return {
            name: s.execute(select(func.count()).select_from(table)).scalar_one()
            for name, table in metadata.tables.items()
            if name not in ("alembic_version",)
        }


COUNTED = {"key_action_rollup": "actions", "team_customer": "deals"}


def snapshot(engine: Engine) -> dict[str, list]:
    """Every row of every business table, sorted (to prove the store is exactly as before).
    Rollup rows whose counts went back to zero are left out: they equal no row (what a
    write added and its undo took back)."""
    out = {}
    with read_session(engine) as s:
        for name, table in metadata.tables.items():
            query = select(table)
            if name in ("deal_rollup", "open_pipeline", "cohort_rollup"):
                query = query.where(or_(table.c.deals != 0, table.c.amount_minor != 0))
            elif name in COUNTED:  # aggregates of counts alone
                query = query.where(table.c[COUNTED[name]] != 0)
            rows = s.execute(query).all()
            out[name] = sorted(repr(tuple(r)) for r in rows)
    return out
