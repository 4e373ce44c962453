"""Field-level differences between two form bodies and the merge built on them: what an
amendment changed against the confirmed revision, and, after a save was refused because
someone else saved first, both versions side by side with a three-way merge suggestion."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from salesboard.feedback.form import EDITABLE, SECTIONS, is_blank, normalized

_ROW_KEYS = {"kpis": "code", "items": "key", "carried": "item_id"}


@dataclass(frozen=True)
class Change:
    """One field that differs between two bodies; ``row`` names the row (metric code, item
    key or position), ``old`` / ``new`` are None when the row was added / removed."""

    section: str
    row: str
    field: str
    old: Any
    new: Any


def diff_bodies(old: dict, new: dict) -> list[Change]:
    """The editable fields that differ between ``old`` and ``new`` (rows matched by their
    key; key actions by position)."""
    a, b = normalized(old), normalized(new)
    changes: list[Change] = []
    for section in SECTIONS:
        key = _ROW_KEYS.get(section)

        def keyed(rows: list[dict], key=key) -> dict[str, dict]:
            if key is None:
                return {str(i + 1): row for i, row in enumerate(rows)}
            return {str(row.get(key)): row for row in rows}

        left, right = keyed(a[section]), keyed(b[section])
        fields = list(EDITABLE[section])
        for row_id in [*left, *(k for k in right if k not in left)]:
            before, after = left.get(row_id), right.get(row_id)
            for name in fields:
                old_value = None if before is None else before.get(name)
                new_value = None if after is None else after.get(name)
                if _norm(old_value) != _norm(new_value):
                    changes.append(Change(section, row_id, name, old_value, new_value))
    return changes


def _norm(value: Any) -> Any:
    if is_blank(value):
        return None
    if isinstance(value, int | float):
        return round(float(value), 9)
    return value


def change_id(change: Change) -> str:
    """A stable identifier of a ``Change`` (section/row/field) for the merge choices."""
    return f"{change.section}/{change.row}/{change.field}"


def merge_bodies(theirs: dict, mine: dict, keep_mine: set[str]) -> dict:
    """``theirs`` (the stored form) with the fields named in ``keep_mine`` (``change_id``s of
    ``diff_bodies(theirs, mine)``) taken from ``mine``: a row only ``mine`` has is added, a
    row ``mine`` deleted is removed."""
    out = normalized(copy.deepcopy(theirs))
    mine = normalized(mine)
    for change in diff_bodies(theirs, mine):
        if change_id(change) not in keep_mine:
            continue
        section, key = change.section, _ROW_KEYS.get(change.section)
        rows = out[section]

        def find(rows: list[dict], key=key, row_id=change.row) -> int | None:
            for i, row in enumerate(rows):
                if (str(i + 1) if key is None else str(row.get(key))) == row_id:
                    return i
            return None

        here, there = find(rows), find(mine[section])
        if there is None:
            if here is not None and key is not None:
                rows.pop(here)  # deleted in mine
            continue
        if here is None:
            rows.append(copy.deepcopy(mine[section][there]))
            continue
        rows[here][change.field] = copy.deepcopy(mine[section][there].get(change.field))
    return out


def merge_defaults(base: dict, theirs: dict, mine: dict) -> tuple[set[str], set[str]]:
    """Three-way merge suggestion after a refused save: (``change_id``s of
    ``diff_bodies(theirs, mine)`` to take from ``mine`` — the fields this user changed since
    ``base``, the version they loaded —, and the ones both sides changed, which the user
    should look at). Fields only the other side changed keep the saved value."""
    mine_changed = {change_id(c) for c in diff_bodies(base, mine)}
    theirs_changed = {change_id(c) for c in diff_bodies(base, theirs)}
    differing = {change_id(c) for c in diff_bodies(theirs, mine)}
    keep = differing & mine_changed
    return keep, keep & theirs_changed
