"""What every import writer shares: the state of one write (session, plan, batch), the
recorder of ``import_change`` rows that undo needs, and the insert/update of the kinds
whose rows are stored as they come (key actions, visits, collections, customers)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.importing import bulk
from salesboard.importing.resolve_common import plain
from salesboard.importing.validate import Validation
from salesboard.store.models import ImportBatch
from salesboard.store.tables import CHANGE


class ImportConflict(RuntimeError):
    """A row changed between validation and writing (another user saved it meanwhile)."""


@dataclass
class Recorder:
    """The ``import_change`` rows of one batch, written in bulk at the end."""

    batch_id: int
    columns: dict[str, list] = field(
        default_factory=lambda: {
            k: [] for k in ("entity", "entity_id", "action", "before", "after", "version_after")
        }  # fmt: skip
    )

    def add(self, entity: str, entity_id: object, action: str, *, before: Any = None,
            after: Any = None, version_after: int | None = None) -> None:  # fmt: skip
        """One change (``before``/``after`` dicts are stored as JSON)."""
        c = self.columns
        c["entity"].append(entity)
        c["entity_id"].append(str(entity_id))
        c["action"].append(action)
        c["before"].append(_json(before))
        c["after"].append(_json(after))
        c["version_after"].append(version_after)

    def ranges(self, entity: str, ids: np.ndarray) -> None:
        """Inserted rows as id ranges ("100-250"): one record per run of ids."""
        for first, last in bulk.id_ranges(ids):
            self.add(entity, f"{first}-{last}", "insert")

    def flush(self, conn: Connection) -> None:
        """Write the recorded changes."""
        n = len(self.columns["entity"])
        if n:
            bulk.insert_columns(conn, CHANGE, {"batch_id": [self.batch_id] * n, **self.columns})


def _json(values: Any) -> str:
    if not values:
        return ""
    return json.dumps({k: plain(v) for k, v in values.items()}, ensure_ascii=False, sort_keys=True)


@dataclass
class WriteState:
    """Everything a kind's writer needs."""

    session: Session
    conn: Connection
    actor: Viewer
    validation: Validation
    batch: ImportBatch
    recorder: Recorder
    now: datetime
    # (username, display name, one-time password) of each account created: handed to the
    # caller once, never stored or logged.
    issued: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def plan(self) -> dict[str, Any]:
        """The validation's plan: final columns, existing rows, changes per row."""
        return self.validation.plan

    def rows(self, action: str) -> np.ndarray:
        """Positions of the rows planned as ``action``."""
        return np.flatnonzero(self.validation.action == action)


def take_rows(final: dict[str, np.ndarray], positions: np.ndarray) -> dict[str, np.ndarray]:
    """The planned columns at ``positions``."""
    return {k: v[positions] for k, v in final.items()}


def nullable_ids(values: np.ndarray) -> list[int | None]:
    """Ids with 0 ("none" in the plan's arrays) as None (NULL in the store)."""
    return [int(v) if v else None for v in values.tolist()]


def _row_dicts(columns: dict[str, np.ndarray], names: list[str]) -> list[dict[str, Any]]:
    return [
        dict(zip(names, row, strict=True)) for row in zip(*(columns[n] for n in names), strict=True)
    ]


def insert_simple(state: WriteState, table: Table, nullable: tuple[str, ...] = (),
                   extra: dict[str, Any] | None = None) -> np.ndarray:  # fmt: skip
    """Insert the planned rows of a simple kind; record each (with what was written)."""
    positions = state.rows("insert")
    if not len(positions):
        return np.empty(0, dtype=np.int64)
    values = take_rows(state.plan["final"], positions)
    for name in nullable:
        values[name] = np.array(nullable_ids(values[name]), dtype=object)
    ids = bulk.allocate_ids(state.conn, table, len(positions))
    with bulk.loading(state.conn, table, len(positions)):
        bulk.insert_columns(state.conn, table, {"id": ids, **values, **(extra or {})})
    names = list(values)
    for row_id, row in zip(ids.tolist(), _row_dicts(values, names), strict=True):
        state.recorder.add(table.name, row_id, "insert", after=row)
    return ids


def update_simple(state: WriteState, table: Table, nullable: tuple[str, ...] = ()) -> None:
    """Update the planned rows of a simple kind (all imported columns); record the changed
    columns' old and new values."""
    positions = state.rows("update")
    if not len(positions):
        return
    final = state.plan["final"]
    existing: pd.DataFrame = state.plan["existing"]
    row_ids = state.plan["existing_id"][positions]
    values = take_rows(final, positions)
    for name in nullable:
        values[name] = np.array(nullable_ids(values[name]), dtype=object)
    bulk.update_columns(state.conn, table, row_ids, values)
    changes = state.plan["changes"]
    for pos, row_id in zip(positions.tolist(), row_ids.tolist(), strict=True):
        cols = changes.get(pos, [])
        old = existing.loc[row_id]
        state.recorder.add(
            table.name, row_id, "update",
            before={c: old[c] for c in cols},
            after={c: final[c][pos] for c in cols},
        )  # fmt: skip


def simple_writer(table: Table, nullable: tuple[str, ...] = ()) -> Callable[[WriteState], None]:
    """The writer of a kind stored as it comes: insert, then update the planned rows."""

    def write(state: WriteState) -> None:
        insert_simple(state, table, nullable)
        update_simple(state, table, nullable)

    return write


# --- opportunities ----------------------------------------------------------------------------


def create_referenced(
    state: WriteState, table: Table, frame: pd.DataFrame, refs: np.ndarray,
    positions: np.ndarray, values_of,
) -> None:  # fmt: skip
    """Insert the new rows (customers, teams) that the written rows name by placeholder
    (-1, -2 … index ``frame``), record them, and put their ids into ``refs``."""
    used = np.unique(refs[positions][refs[positions] < 0])
    if not len(used):
        return
    rows = frame.iloc[(-used - 1)].reset_index(drop=True)
    ids = bulk.allocate_ids(state.conn, table, len(rows))
    values = values_of(rows)
    bulk.insert_columns(state.conn, table, {"id": ids, **values})
    for i, row_id in enumerate(ids.tolist()):
        state.recorder.add(table.name, row_id, "insert",
                           after={k: v[i] for k, v in values.items()})  # fmt: skip
    replace = dict(zip(used.tolist(), ids.tolist(), strict=True))
    negative = np.flatnonzero(refs < 0)
    refs[negative] = [replace.get(r, 0) for r in refs[negative].tolist()]
