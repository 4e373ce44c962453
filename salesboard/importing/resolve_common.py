"""Helpers the kind resolvers share: column access as numpy arrays, permission masks,
existing rows, the comparison that finds rows an update would not change, and
``finish_plan``, which merges updates and plans each row's action."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.importing.context import Context, plan_actions
from salesboard.importing.lookups import opportunities_by_code
from salesboard.store.models import Role
from salesboard.store.queries import chunks

NAT = np.datetime64("NaT", "D")


def ids(series: pd.Series) -> np.ndarray:
    """An Int64 id column as int64 with 0 for missing."""
    return series.astype("Int64").fillna(0).to_numpy(dtype=np.int64)


def days(series: pd.Series) -> np.ndarray:
    """A date column as datetime64[D] (NaT for missing)."""
    if pd.api.types.is_datetime64_any_dtype(series.dtype):
        return series.to_numpy(dtype="datetime64[D]")
    values = pd.to_datetime(series, errors="coerce")
    return values.to_numpy(dtype="datetime64[D]")


def texts(series: pd.Series, default: str | None = "") -> np.ndarray:
    """A text column as an object array with ``default`` for missing."""
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    if missing.any():
        values = values.copy()
        values[missing] = default
    return values


def ctx_days(ctx: Context, name: str) -> np.ndarray:
    """The parsed dates of field ``name`` (all NaT when not mapped)."""
    if name not in ctx.values:
        return np.full(ctx.size, NAT)
    return days(ctx.values[name])


def ctx_ids(ctx: Context, name: str) -> np.ndarray:
    """The resolved ids of ref field ``name`` (0 where missing or not mapped)."""
    if name not in ctx.values:
        return np.zeros(ctx.size, dtype=np.int64)
    return ids(ctx.values[name])


def lookup(mapping: dict, keys: np.ndarray, default=0, dtype=np.int64) -> np.ndarray:
    """``mapping[k]`` for every k (``default`` when absent), computed once per distinct key."""
    codes, uniques = pd.factorize(np.asarray(keys), use_na_sentinel=True)
    table = np.array([mapping.get(u, default) for u in uniques.tolist()] + [default], dtype=dtype)
    return table[np.where(codes >= 0, codes, len(uniques))]


def writable(viewer: Viewer, owner_ids: np.ndarray, team_ids: np.ndarray) -> np.ndarray:
    """Per row whether ``viewer`` may write a row owned by ``owner_ids`` in ``team_ids``;
    ``access.can_write_owned_by`` vectorised (reps: own rows, managers: their teams,
    admins: all, leaders: none)."""
    n = len(owner_ids)
    if viewer.role == Role.ADMIN:
        return np.ones(n, dtype=bool)
    if viewer.role == Role.REP:
        return owner_ids == (viewer.user_id or -1)
    if viewer.role == Role.MANAGER:
        return np.isin(team_ids, np.array(viewer.team_ids, dtype=np.int64))
    return np.zeros(n, dtype=bool)


def user_names(ctx: Context, user_ids: np.ndarray) -> list[str]:
    """Display names for user ids (for messages)."""
    users = ctx.reference.users
    return [users[u].display_name if u in users else "" for u in user_ids.tolist()]


def load_rows(session: Session, table: Table, row_ids: Sequence[int]) -> pd.DataFrame:
    """Full rows of ``table`` with the given ids, indexed by id."""
    wanted = sorted({int(i) for i in row_ids if i})
    parts = []
    for chunk in chunks(wanted, 900):
        result = session.execute(select(table).where(table.c.id.in_(chunk)))
        parts.append(pd.DataFrame(result.all(), columns=list(result.keys())))
    if not parts:
        return pd.DataFrame(columns=[c.name for c in table.columns]).set_index("id")
    return pd.concat(parts, ignore_index=True).set_index("id")


def same_values(new: object, old: object) -> bool:
    """Whether an imported value equals the stored one (None, NaN and NaT alike)."""
    # an id column holds 0 for "none" in the import arrays and NULL in the store
    new_missing = new is None or (not isinstance(new, str) and pd.isna(new)) or _is_zero_id(new)
    old_missing = old is None or (not isinstance(old, str) and pd.isna(old)) or _is_zero_id(old)
    if new_missing or old_missing:
        return new_missing and old_missing
    if isinstance(new, np.datetime64):
        new = pd.Timestamp(new).date()
    if isinstance(old, np.datetime64 | pd.Timestamp):
        old = pd.Timestamp(old).date()
    if hasattr(old, "date") and callable(old.date) and not isinstance(new, type(old)):
        old = old.date()
    try:
        return bool(new == old)
    except (TypeError, ValueError):
        return str(new) == str(old)


def _is_zero_id(value: object) -> bool:
    return isinstance(value, int | np.integer) and not isinstance(value, bool) and value == 0


def changed_columns(
    final: dict[str, np.ndarray], existing: pd.DataFrame, positions: np.ndarray,
    existing_ids: np.ndarray, columns: Sequence[str],
) -> dict[int, list[str]]:  # fmt: skip
    """For each update row (position): the columns whose new value differs."""
    out: dict[int, list[str]] = {}
    for pos, row_id in zip(positions.tolist(), existing_ids[positions].tolist(), strict=True):
        old = existing.loc[row_id]
        out[pos] = [c for c in columns if not same_values(final[c][pos], old[c])]
    return out


def plain(value: object) -> object:
    """A value as JSON-friendly Python (dates as ISO text, numpy scalars unwrapped)."""
    if value is None:
        return None
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else str(value.astype("datetime64[D]"))
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if isinstance(value, str | int | float | bool):
        return value
    return str(value)


def stored_as(column: pd.Series, dtype: np.dtype) -> np.ndarray:
    """Stored values in the dtype of the imported array (dates, ids with 0 for none)."""
    if np.issubdtype(dtype, np.datetime64):
        return pd.to_datetime(column, errors="coerce").to_numpy("datetime64[D]")
    if np.issubdtype(dtype, np.integer):
        return pd.to_numeric(column, errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    return column.to_numpy(dtype=object)


def filled(ctx: Context, name: str) -> np.ndarray:
    """Per row whether the file gave field ``name`` a value (all False when not mapped)."""
    if name not in ctx.values:
        return np.zeros(ctx.size, dtype=bool)
    return ctx.values[name].notna().to_numpy()


def finish_plan(
    ctx: Context,
    table: Table,
    final: dict[str, np.ndarray],
    given: dict[str, np.ndarray],
    existing_id: np.ndarray,
    existing: pd.DataFrame | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """Merge updates (empty cells keep stored values), find unchanged rows, plan actions."""
    final = {k: np.array(v) for k, v in final.items()}  # writable copies (pandas hands views)
    if existing is None:
        existing = load_rows(ctx.session, table, existing_id[existing_id > 0].tolist())
    rows = np.flatnonzero(existing_id > 0)
    changes: dict[int, list[str]] = {}
    unchanged = np.zeros(ctx.size, dtype=bool)
    if ctx.mode == "update" and len(rows):
        old = existing.reindex(existing_id[rows])
        for column, values in final.items():
            keep = ~given.get(column, np.zeros(ctx.size, dtype=bool))[rows]
            values[rows[keep]] = stored_as(old[column], values.dtype)[keep]
        ok = rows[~ctx.log.bad[rows]]
        changes = changed_columns(final, existing, ok, existing_id, list(final))
        for pos, cols in changes.items():
            unchanged[pos] = not cols
    action = plan_actions(ctx, existing_id, unchanged)
    return {
        "_action": action,
        "final": final,
        "existing": existing,
        "existing_id": existing_id,
        "changes": changes,
        **extra,
    }


def opportunity_refs(ctx: Context, name: str = "opportunity") -> dict[str, np.ndarray]:
    """Opportunity id, owner, team and customer per row from the code column."""
    codes = texts(ctx.value(name), None)
    found = opportunities_by_code(ctx.session, [c for c in codes if c])
    out = {
        "id": lookup({c: r.id for c, r in found.items()}, codes),
        "owner": lookup({c: r.owner_id for c, r in found.items()}, codes),
        "team": lookup({c: r.team_id for c, r in found.items()}, codes),
        "customer": lookup({c: r.customer_id for c, r in found.items()}, codes),
    }
    unknown = pd.notna(codes) & (out["id"] == 0)
    ctx.problem(unknown, name, "unknown_opportunity")
    return out


def existing_by_key(
    ctx: Context, table: Table, parent: str, parent_ids: np.ndarray, key_columns: Sequence[str],
    key_of: Callable[[tuple], tuple],
) -> dict[tuple, int]:  # fmt: skip
    """Stored rows of ``table`` under the given parents, by business key."""
    wanted = sorted({int(i) for i in parent_ids if i})
    found: dict[tuple, int] = {}
    columns = [table.c.id, *(table.c[k] for k in key_columns)]
    for chunk in chunks(wanted):
        for row in ctx.session.execute(select(*columns).where(table.c[parent].in_(chunk))):
            found.setdefault(key_of(tuple(row[1:])), row[0])
    return found


def refuse(ctx: Context, allowed: np.ndarray, name: str, who: np.ndarray) -> None:
    """Report the rows not ``allowed`` as "forbidden" on field ``name``, naming ``who``."""
    refused = ~allowed
    ctx.problem(refused, name, "forbidden", [{"who": w} for w in user_names(ctx, who[refused])])


def date_key(value: object) -> str:
    """A date as ISO text for business keys ("" for none)."""
    return str(pd.Timestamp(value).date()) if value is not None and not pd.isna(value) else ""
