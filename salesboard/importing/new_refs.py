"""Regions and product lines an import creates (``create_missing``, issue 14 item 2): the
dry run plans them — one per name, in the order the file names them — and lists them; a
name close to an existing one (华南大区 next to 华南, 智能制造 next to 智能制造套件) is a row
problem instead, so a typo never becomes a second region unseen. The write creates them
first, with a code made from the name's pinyin, and puts their ids where the plan holds
placeholders (-1, -2 …): ``write_new_refs``."""

from __future__ import annotations

from difflib import SequenceMatcher

import numpy as np
import pandas as pd
from sqlalchemy import Table

from salesboard.i18n.names import name_key
from salesboard.importing.context import Context, names_note
from salesboard.store.models import ProductLine, Region

TABLES: dict[str, Table] = {"region": Region.__table__, "product_line": ProductLine.__table__}
NEAR = 0.75  # similarity of two names' keys from which a new name reads as a typo


def may_create(ctx: Context, ref: str) -> bool:
    """Whether this import creates the ``ref`` names the store lacks: asked for, the kind
    allows it, and the importer is an admin (regions and product lines are the
    organisation's)."""
    return (
        ctx.options.create_missing
        and ref in ctx.kind.creatable
        and ref in TABLES
        and ctx.viewer.is_admin
    )


def _existing_names(ctx: Context, ref: str) -> list[str]:
    rows = ctx.reference.regions if ref == "region" else ctx.reference.product_lines
    return [name for _code, zh, en in rows.values() for name in (zh, en) if name]


def near_name(name: str, existing: list[str]) -> str | None:
    """The existing name ``name`` is probably a variant of: one contains the other, or they
    differ in a character or two (their keys' similarity reaches ``NEAR``)."""
    key = name_key(name)
    for other in existing:
        other_key = name_key(other)
        if not other_key or not key:
            continue
        if key in other_key or other_key in key:
            return other
        if SequenceMatcher(None, key, other_key).ratio() >= NEAR:
            return other
    return None


def plan_new(ctx: Context, ref: str, names: pd.Series, ids: pd.Series, unknown: np.ndarray) -> dict:
    """For the distinct ``names`` the store lacks (``unknown``): a placeholder id each
    (written into ``ids``), or, for a name close to an existing one, no id. Returns
    {position: the existing name} of those close ones."""
    existing = _existing_names(ctx, ref)
    planned: dict[str, dict] = ctx.extra.setdefault("new_refs", {}).setdefault(ref, {})
    close_to: dict[int, str] = {}
    for pos in np.flatnonzero(unknown).tolist():
        name = str(names.iat[pos]).strip()
        key = name_key(name)
        if key not in planned:
            close = near_name(name, existing)
            if close is not None:
                close_to[pos] = close
                continue
            planned[key] = {"id": -(len(planned) + 1), "name": name}
        ids.iat[pos] = planned[key]["id"]
    return close_to


def notes(ctx: Context) -> list[tuple[str, dict]]:
    """What the import will create, per ref, named."""
    return [
        names_note(f"import.note.new_{ref}", [entry["name"] for entry in planned.values()])
        for ref, planned in ctx.extra.get("new_refs", {}).items()
        if planned
    ]


def plan_frames(ctx: Context) -> dict[str, pd.DataFrame]:
    """The planned names per ref, indexed by placeholder order (-1 → row 0)."""
    return {
        ref: pd.DataFrame([entry["name"] for entry in planned.values()], columns=["name"])
        for ref, planned in ctx.extra.get("new_refs", {}).items()
    }
