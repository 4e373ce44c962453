"""Writing the regions and product lines an import creates (planned by ``new_refs``): each
gets a code from its name's pinyin (华南 → huanan), unique among the stored codes; they are
recorded for undo, and their ids replace the plan's placeholders before the rows are
written."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from sqlalchemy import Table, select

from salesboard.i18n.names import numbered, pinyin
from salesboard.importing import bulk
from salesboard.importing.new_refs import TABLES
from salesboard.importing.write_common import WriteState

_NOT_CODE = re.compile(r"[^a-z0-9]+")


def _codes(state: WriteState, table: Table, names: list[str]) -> list[str]:
    """A code per name from its pinyin (华南 → huanan), unique among the stored ones."""
    bases = [_NOT_CODE.sub("", pinyin(name).lower())[:28] or table.name[:8] for name in names]
    return numbered(bases, state.conn.execute(select(table.c.code)).scalars(), 32)


def write_new(state: WriteState) -> None:
    """Create the planned regions and product lines the written rows use, record them for
    undo, and replace their placeholders everywhere in the plan."""
    for ref, frame in state.plan.get("new_refs", {}).items():
        if frame.empty:
            continue
        table = TABLES[ref]
        names = frame["name"].tolist()
        columns = {"code": _codes(state, table, names), "name_zh": names, "name_en": names}
        new_ids = bulk.allocate_ids(state.conn, table, len(names))
        bulk.insert_columns(state.conn, table, {"id": new_ids, **columns})
        for i, row_id in enumerate(new_ids.tolist()):
            state.recorder.add(table.name, row_id, "insert",
                               after={k: v[i] for k, v in columns.items()})  # fmt: skip
        _replace_placeholders(state.plan, f"{ref}_id", dict(enumerate(new_ids.tolist())))


def _replace_placeholders(plan: dict, column: str, new_ids: dict[int, int]) -> None:
    """Placeholder -(i + 1) → ``new_ids[i]`` in every array or frame column ``column`` of
    the plan, nested plans included (the rows' own values, new teams' and new customers'
    regions, a tracking table's deals)."""

    def patched(values: np.ndarray) -> np.ndarray:
        values = np.asarray(values).copy()
        negative = values < 0
        values[negative] = [new_ids[-v - 1] for v in values[negative].tolist()]
        return values

    for key, value in plan.items():
        if key == column and isinstance(value, np.ndarray):
            plan[key] = patched(value)
        elif isinstance(value, dict):
            _replace_placeholders(value, column, new_ids)
        elif isinstance(getattr(value, "plan", None), dict):  # a nested validation
            _replace_placeholders(value.plan, column, new_ids)
        elif isinstance(value, pd.DataFrame) and column in value.columns and len(value):
            plan[key] = value.assign(**{column: patched(value[column].to_numpy(np.int64))})
