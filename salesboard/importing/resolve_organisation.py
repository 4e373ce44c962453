"""Organisation rows (issue 14 item 1): one entry of a list per row — a region, team, product
line, customer type or lead source — found by its code (a team by its name), with the
organisation page's rules: code spelling, one name per list however it is written, a team's
region (in the store or added further up the same sheet) and its managers (active users with
the manager role). The writer goes through ``salesboard.organisation.lists``, so an imported
entry is audited like one added on the page."""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from salesboard.i18n.names import name_key, same_name
from salesboard.importing.context import Context, check_duplicates, plan_actions
from salesboard.importing.resolve_common import texts
from salesboard.organisation.lists import CODE_PATTERN, entries
from salesboard.store.models import Role, User

LISTS = ("region", "product_line", "customer_type", "lead_source", "team")  # writing order
_SEPARATORS = re.compile(r"[、,，;；\s]+")


def _stored(ctx: Context) -> dict[str, pd.DataFrame]:
    return {kind: entries(ctx.session, kind) for kind in LISTS}


def resolve_organisation(ctx: Context) -> dict[str, Any]:
    """Entries by list and key, checked against the store and the rows above them."""
    kinds = texts(ctx.value("list"), None)
    codes = texts(ctx.value("entry_code"), None)
    zh = texts(ctx.value("name_zh"), None)
    en = texts(ctx.value("name_en"), "")
    region_text = texts(ctx.value("region"), None)
    managers_text = texts(ctx.value("managers"), None)
    stored = _stored(ctx)
    keys = np.array([z if k == "team" else c for k, c, z in zip(kinds, codes, zh, strict=True)],
                    dtype=object)  # fmt: skip
    existing_id = np.zeros(ctx.size, dtype=np.int64)
    for kind, frame in stored.items():
        ids = dict(zip(frame["key"], frame["id"], strict=True))
        rows = kinds == kind
        existing_id[rows] = [int(ids.get(k, 0)) for k in keys[rows]]
    check_duplicates(ctx, {"list": pd.Series(kinds, dtype=object),
                           "entry_code": pd.Series([name_key(k) if isinstance(k, str) else None
                                                    for k in keys], dtype=object)})  # fmt: skip
    _check_codes(ctx, kinds, codes)
    _check_names(ctx, kinds, zh, existing_id, stored)
    regions = _team_regions(ctx, kinds, region_text, codes, zh)
    managers = _team_managers(ctx, kinds, managers_text)
    action = plan_actions(ctx, existing_id, None)
    plan_rows = [
        {"kind": kinds[i], "key": keys[i], "code": codes[i] or "", "name_zh": zh[i],
         "name_en": en[i], "region": regions[i], "managers": managers[i], "action": action[i]}
        for i in range(ctx.size)
    ]  # fmt: skip
    return {"_action": action, "rows": plan_rows, "existing_id": existing_id}


def _check_codes(ctx: Context, kinds: np.ndarray, codes: np.ndarray) -> None:
    coded = (kinds != None) & (kinds != "team")  # noqa: E711 (element-wise)
    missing = coded & pd.isna(codes)
    ctx.problem(missing, "entry_code", "code_needed")
    bad = (
        coded
        & ~missing
        & np.array(
            [isinstance(c, str) and not CODE_PATTERN.fullmatch(c) for c in codes], dtype=bool
        )
    )
    ctx.problem(bad, "entry_code", "bad_code")


def _check_names(
    ctx: Context, kinds: np.ndarray, zh: np.ndarray, existing_id: np.ndarray, stored: dict
) -> None:
    """A Chinese name another entry of the list has (in the store or further up the sheet),
    however it is written."""
    seen: dict[str, list[str]] = {kind: [] for kind in LISTS}
    rows, params = [], []
    for i, (kind, name) in enumerate(zip(kinds, zh, strict=True)):
        if kind not in stored or not isinstance(name, str):
            continue
        frame = stored[kind]
        others = frame.loc[frame["id"] != existing_id[i], "name_zh"].tolist() + seen[kind]
        twin = same_name(name, others)
        if twin is not None:
            rows.append(i)
            params.append({"existing": twin})
        seen[kind].append(name)
    if rows:
        ctx.problem(np.array(rows, dtype=np.int64), "name_zh", "name_taken", params)


def _team_regions(ctx: Context, kinds, region_text, codes, zh) -> list[str | None]:
    """The region code of each team row: a stored region (as any import finds one: code or
    name, 华南区 for 华南) or one added further up."""
    regions = ctx.reference.regions
    known: dict[str, str] = {}
    found: list[str | None] = [None] * ctx.size
    missing, unknown = np.zeros(ctx.size, bool), np.zeros(ctx.size, bool)
    for i, kind in enumerate(kinds):
        if kind == "region" and isinstance(codes[i], str):
            for name in (codes[i], zh[i]):
                if isinstance(name, str):
                    known.setdefault(name_key(name), codes[i])
        if kind != "team":
            continue
        text = region_text[i]
        if not isinstance(text, str):
            missing[i] = True
            continue
        stored = ctx.reference.region_index.lookup(text)
        found[i] = regions[stored][0] if stored in regions else known.get(name_key(text))
        unknown[i] = found[i] is None
    ctx.problem(missing, "region", "team_region_needed")
    ctx.problem(unknown, "region", "unknown_region")
    return found


def _team_managers(ctx: Context, kinds, managers_text) -> list[list[str] | None]:
    """Each team row's managers (usernames); None where the row names none."""
    managers = {
        name_key(u): u
        for u in ctx.session.execute(
            select(User.username).where(User.active, User.role == Role.MANAGER)
        ).scalars()
    }
    result: list[list[str] | None] = [None] * ctx.size
    rows, params = [], []
    for i, (kind, text) in enumerate(zip(kinds, managers_text, strict=True)):
        if kind != "team" or not isinstance(text, str):
            continue
        names = [n for n in _SEPARATORS.split(text) if n]
        wrong = [n for n in names if name_key(n) not in managers]
        if wrong:
            rows.append(i)
            params.append({"user": wrong[0]})
            continue
        result[i] = [managers[name_key(n)] for n in names]
    if rows:
        ctx.problem(np.array(rows, dtype=np.int64), "managers", "not_a_manager", params)
    return result
