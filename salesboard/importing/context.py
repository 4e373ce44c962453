"""What every step of an import's validation shares: the options, the problem log (one
problem per row and column, collected column-wise), the context a kind's resolver works on,
the finished ``Validation``, and the rules every resolver applies (duplicate keys inside the
file, what each row does in the chosen mode)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.importing.kinds import STAGE_DATE_PREFIX, KindSpec
from salesboard.importing.lookups import Reference
from salesboard.importing.readers import RawTable
from salesboard.importing.text import cell_text

PROBLEM_COLUMNS = ["row", "column", "field", "value", "code", "params"]


class MappingError(ValueError):
    """The mapping cannot be used (a required field without a column …); ``problems`` are
    ``check_mapping`` codes."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass
class ImportOptions:
    """Choices that change how rows are read: create what the rows name but the store lacks
    (customers an opportunity names, in the row's region; regions and product lines, by an
    admin), one value for every row of a field (``constants``, {field: text}), the day/month
    order of ambiguous dates."""

    create_missing: bool = False
    constants: dict[str, str] = field(default_factory=dict)
    lang: str = "zh"  # names the import makes up (the constants' columns) read in it
    day_first: bool | None = None
    today: date | None = None


@dataclass
class _Part:
    positions: np.ndarray
    field: str
    code: str
    params: Any  # a dict for all rows, or a list of dicts (one per position)


class ProblemLog:
    """Problems collected column-wise (cheap at a million rows), turned into a frame once."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.parts: list[_Part] = []
        self.bad = np.zeros(size, dtype=bool)

    def add(self, where: np.ndarray, field_name: str, code: str, params: Any = None) -> None:
        """Record ``code`` for the rows ``where`` (a boolean mask or positions)."""
        where = np.asarray(where)
        positions = np.flatnonzero(where) if where.dtype == bool else where.astype(np.int64)
        if len(positions) == 0:
            return
        if isinstance(params, list) and len(params) != len(positions):
            raise ValueError("one params dict per problem row")
        self.parts.append(_Part(positions, field_name, str(code), params or {}))
        self.bad[positions] = True

    def frame(self, table: RawTable, mapping: Mapping[str, str]) -> pd.DataFrame:
        """Problems as rows: spreadsheet row, column header, field, cell text, code, params."""
        if not self.parts:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS})
        row_numbers = table.row_numbers
        pieces = []
        for part in self.parts:
            column = mapping.get(part.field, "")
            if column:
                raw = table.frame[column].to_numpy(dtype=object)[part.positions]
                texts = [cell_text(v) or "" for v in raw]
            else:
                texts = [""] * len(part.positions)
            params = part.params if isinstance(part.params, list) else [part.params] * len(texts)
            pieces.append(
                pd.DataFrame(
                    {
                        "row": row_numbers[part.positions],
                        "column": column,
                        "field": part.field,
                        "value": texts,
                        "code": part.code,
                        "params": params,
                        "_pos": part.positions,
                    }
                )
            )
        out = pd.concat(pieces, ignore_index=True).sort_values(["_pos", "column"], kind="stable")
        return out.drop(columns="_pos").reset_index(drop=True)


# Two independent 64-bit hashes per key: a false duplicate needs both to collide.
_HASH_KEYS = ("salesboard-dup-1", "salesboard-dup-2")


@dataclass
class FileKeys:
    """The business keys of a whole file validated chunk by chunk (``service.run_import``).

    The first pass (``duplicates`` None) records each chunk's complete keys as hashes with
    their file positions; ``find_duplicates`` then groups them, and the second pass reports
    a row's duplicates anywhere in the file by the file's row numbers, exactly as a
    validation of the whole file would. Holds two integers per row, not the keys."""

    row_numbers: np.ndarray  # of every row of the file
    offset: int = 0  # file position of the current chunk's first row
    hashes: list[np.ndarray] = field(default_factory=list)
    positions: list[np.ndarray] = field(default_factory=list)
    duplicates: dict[int, np.ndarray] | None = None  # file position -> its key's positions

    def collect(self, keys: pd.DataFrame, positions: np.ndarray) -> None:
        """Record the complete ``keys`` of the chunk rows at ``positions``."""
        pair = [pd.util.hash_pandas_object(keys, index=False, hash_key=k).to_numpy()
                for k in _HASH_KEYS]  # fmt: skip
        self.hashes.append(np.stack(pair, axis=1))
        self.positions.append(positions.astype(np.int64) + self.offset)

    def find_duplicates(self) -> None:
        """Group the recorded keys: every file position whose key occurs more than once."""
        self.duplicates = {}
        if not self.hashes:
            return
        hashes = pd.DataFrame(np.concatenate(self.hashes), columns=["a", "b"])
        positions = np.concatenate(self.positions)
        self.hashes, self.positions = [], []
        dup = hashes.duplicated(keep=False).to_numpy()
        if not dup.any():
            return
        groups = hashes[dup].groupby(["a", "b"], sort=False).indices
        shared = positions[dup]
        for members in groups.values():
            ordered = np.sort(shared[members])
            for pos in ordered.tolist():
                self.duplicates[pos] = ordered

    @property
    def failed(self) -> int:
        """Rows with a duplicate key (after ``find_duplicates``)."""
        return len(self.duplicates or {})


@dataclass
class Context:
    """What a kind's resolver works with: parsed values by field (positional index),
    normalised texts of ref/choice fields, the problem log and the store's reference data."""

    session: Session
    kind: KindSpec
    table: RawTable
    mapping: dict[str, str]
    viewer: Viewer
    mode: str
    options: ImportOptions
    reference: Reference
    log: ProblemLog
    today: date
    values: dict[str, pd.Series] = field(default_factory=dict)
    texts: dict[str, pd.Series] = field(default_factory=dict)
    failed: dict[str, np.ndarray] = field(default_factory=dict)  # cells that did not parse
    extra: dict[str, Any] = field(default_factory=dict)
    file_keys: FileKeys | None = None  # the whole file's keys, when validated in chunks

    @property
    def size(self) -> int:
        """Rows in the file."""
        return len(self.table.frame)

    def has(self, name: str) -> bool:
        """Whether ``name`` is mapped to a column."""
        return bool(self.mapping.get(name))

    def value(self, name: str, dtype: str = "object") -> pd.Series:
        """The parsed values of ``name`` (all missing when the field is not mapped)."""
        if name in self.values:
            return self.values[name]
        return pd.Series(pd.array([None] * self.size, dtype=dtype), dtype=dtype)

    def text(self, name: str) -> pd.Series:
        """The normalised text of ``name`` (all missing when not mapped)."""
        if name in self.texts:
            return self.texts[name]
        return pd.Series([None] * self.size, dtype=object)

    def problem(self, where: np.ndarray, name: str, code: str, params: Any = None) -> None:
        """Record a problem for the rows ``where`` on field ``name``."""
        self.log.add(where, name, code, params)


@dataclass
class Validation:
    """The outcome of a dry run: per row what would happen, and every problem found.

    ``action`` per row: insert, update, unchanged (update mode, nothing differs), skip
    (skip mode, the key exists) or failed. ``plan`` holds what the writer needs.
    """

    kind: KindSpec
    mode: str
    mapping: dict[str, str]
    table: RawTable
    problems: pd.DataFrame
    action: np.ndarray
    notes: list[tuple[str, dict]]
    plan: dict[str, Any]

    @property
    def failed(self) -> np.ndarray:
        """True for rows that cannot be imported."""
        return self.action == "failed"

    @property
    def row_numbers(self) -> np.ndarray:
        """Spreadsheet row number of every row."""
        return self.table.row_numbers

    def counts(self) -> dict[str, int]:
        """Rows in the file and how many would be inserted/updated/skipped/… or fail."""
        actions, counts = np.unique(self.action, return_counts=True)
        found = dict(zip(actions.tolist(), counts.tolist(), strict=True))
        out = {a: int(found.get(a, 0)) for a in ("insert", "update", "unchanged", "skip")}
        out["failed"] = int(found.get("failed", 0))
        out["rows"] = len(self.action)
        out["valid"] = out["rows"] - out["failed"]
        return out

    @property
    def clean(self) -> bool:
        """No row failed."""
        return not self.failed.any()


def check_duplicates(ctx: Context, keys: Mapping[str, pd.Series]) -> None:
    """Rows whose complete business key occurs more than once in the file (all of them)."""
    frame = pd.DataFrame({name: values.to_numpy(dtype=object) for name, values in keys.items()})
    complete = frame.notna().all(axis=1).to_numpy()
    if not complete.any():
        return
    if ctx.file_keys is not None:
        _check_file_duplicates(ctx, ctx.file_keys, frame[complete], complete, next(iter(keys)))
        return
    sub = frame[complete]
    dup = sub.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    positions = np.flatnonzero(complete)[dup]
    rows = ctx.table.row_numbers
    by_key: dict[tuple, list[int]] = {}
    for pos, key in zip(
        positions.tolist(), sub[dup].itertuples(index=False, name=None), strict=True
    ):
        by_key.setdefault(key, []).append(pos)
    params: dict[int, dict] = {}
    for members in by_key.values():
        for pos in members:
            others = [int(rows[m]) for m in members if m != pos]
            shown = ", ".join(map(str, others[:5])) + (" …" if len(others) > 5 else "")
            params[pos] = {"rows": shown}
    first_field = next(iter(keys))
    ordered = sorted(params)
    ctx.problem(np.array(ordered, dtype=np.int64), first_field, "duplicate_key",
                [params[p] for p in ordered])  # fmt: skip


def _check_file_duplicates(
    ctx: Context, keys: FileKeys, complete_keys: pd.DataFrame, complete: np.ndarray, field: str
) -> None:
    """``check_duplicates`` for one chunk of a file validated in chunks: the first pass
    records the keys, the second reports the rows whose key occurs elsewhere in the file."""
    positions = np.flatnonzero(complete)
    if keys.duplicates is None:
        keys.collect(complete_keys, positions)
        return
    found = [(p, keys.duplicates[p + keys.offset]) for p in positions.tolist()
             if p + keys.offset in keys.duplicates]  # fmt: skip
    if not found:
        return
    params = []
    for pos, members in found:
        others = [int(keys.row_numbers[m]) for m in members.tolist() if m != pos + keys.offset]
        shown = ", ".join(map(str, others[:5])) + (" …" if len(others) > 5 else "")
        params.append({"rows": shown})
    where = np.array([p for p, _ in found], dtype=np.int64)
    ctx.problem(where, field, "duplicate_key", params)


def plan_actions(ctx: Context, existing_id: np.ndarray, unchanged: np.ndarray | None) -> np.ndarray:
    """Per row: insert / update / unchanged / skip / failed for the mode; in insert-only
    mode a key already in the store is a problem of its row."""
    exists = existing_id > 0
    if ctx.mode == "insert":
        key_field = ctx.kind.key[0]
        ctx.problem(exists & ~ctx.log.bad, key_field, "already_exists")
    action = np.where(exists, "update" if ctx.mode == "update" else "skip", "insert").astype(object)
    if ctx.mode == "update" and unchanged is not None:
        action[exists & unchanged] = "unchanged"
    action[ctx.log.bad] = "failed"
    return action


def stage_date_fields(ctx: Context) -> list[str]:
    """The mapped stage-entry-date fields, in stage order."""
    return [
        name
        for name in (f"{STAGE_DATE_PREFIX}{s.code}" for s in ctx.reference.stages)
        if ctx.has(name)
    ]


NAMES_SHOWN = 20  # a note lists this many names of what an import creates, then "…"


def names_note(key: str, names) -> tuple[str, dict]:
    """A note that says how many of something an import creates and names them (the
    first ``NAMES_SHOWN``; ``report.note_texts`` joins them in the reader's language)."""
    names = [str(n) for n in names]
    shown = names[:NAMES_SHOWN] + (["…"] if len(names) > NAMES_SHOWN else [])
    return key, {"count": len(names), "names": tuple(shown)}
