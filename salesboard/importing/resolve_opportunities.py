"""Opportunity rows: customer, owner, team, region, stage and status resolved, dates
completed the way the store keeps them, stage history from per-stage date columns, what
an update changes, and who may write each row.

Rules (documented for users in the template's notes sheet):
- team and region default to the owner's team and that team's region;
- status follows the stage (a won stage means won, the lost stage lost) unless a status
  column says otherwise; "lost" on an open stage records the deal as lost at that stage;
- created date: the column, else the earliest date of the row, else today; the date the
  current stage was entered: the column, else that stage's date column, else the created
  date; won/lost dates: the column, else the stage's date;
- updating: an empty cell keeps the stored value; a new stage closes the current stay and
  opens one entered on the stage date (default today).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from salesboard.importing.context import (
    Context,
    check_duplicates,
    names_note,
    plan_actions,
    stage_date_fields,
)
from salesboard.importing.lookups import opportunities_by_code
from salesboard.importing.resolve_common import (
    NAT,
    changed_columns,
    ctx_days,
    ctx_ids,
    filled,
    load_rows,
    lookup,
    stored_as,
    texts,
    user_names,
    writable,
)
from salesboard.importing.values import match_key
from salesboard.store.models import OpportunityStatus, StageKind
from salesboard.store.tables import OPP

# Columns an import sets (besides id, version, updated_at, last_activity_on).
WRITTEN = (
    "code", "name", "customer_id", "owner_id", "team_id", "region_id", "product_line_id",
    "amount_minor", "source", "created_on", "current_stage_id", "stage_entered_on", "status",
    "lost_stage_id", "lost_reason", "expected_close_on", "won_on", "lost_on", "risk_flag",
    "next_step",
)  # fmt: skip
DATE_COLUMNS = ("created_on", "stage_entered_on", "expected_close_on", "won_on", "lost_on")
# file field -> column, for fields that are stored as they come
DIRECT = {
    "opportunity_name": "name", "source": "source", "lost_reason": "lost_reason",
    "risk_flag": "risk_flag", "next_step": "next_step", "amount": "amount_minor",
    "product_line": "product_line_id", "expected_close_on": "expected_close_on",
}  # fmt: skip


def _first_date(matrix: np.ndarray) -> np.ndarray:
    """Per row the earliest non-NaT date of a (rows x k) datetime64[D] matrix."""
    if matrix.shape[1] == 0:
        return np.full(matrix.shape[0], NAT)
    as_int = matrix.astype(np.int64)
    big = np.iinfo(np.int64).max
    masked = np.where(np.isnat(matrix), big, as_int)
    low = masked.min(axis=1)
    return np.where(low == big, NAT, low.astype("datetime64[D]"))


def _out_of_order(matrix: np.ndarray) -> np.ndarray:
    """Rows whose dates (in stage order, blanks skipped) go backwards."""
    if matrix.shape[1] < 2:
        return np.zeros(matrix.shape[0], dtype=bool)
    small = np.iinfo(np.int64).min
    as_int = np.where(np.isnat(matrix), small, matrix.astype(np.int64))
    running = np.maximum.accumulate(as_int, axis=1)
    previous = np.concatenate([np.full((len(as_int), 1), small), running[:, :-1]], axis=1)
    return ((as_int != small) & (as_int < previous)).any(axis=1)


def file_key(ctx: Context) -> dict[str, pd.Series]:
    """The business key of each row (the code as normalised; None when blank)."""
    return {"code": pd.Series(texts(ctx.value("code"), None), dtype=object)}


def resolve_opportunities(ctx: Context) -> dict[str, Any]:
    """Validate opportunity rows and prepare them for writing (see the module docstring)."""
    ref = ctx.reference
    n = ctx.size
    kind_of = {s.id: s.kind for s in ref.stages}
    lost_stage_ids = [s.id for s in ref.stages if s.kind == StageKind.LOST]
    lost_terminal = lost_stage_ids[0] if lost_stage_ids else 0

    code = texts(ctx.value("code"), None)
    owner = ctx_ids(ctx, "owner")
    team_given = ctx_ids(ctx, "team")
    region_given = ctx_ids(ctx, "region")
    owner_team = lookup({u.id: u.team_id or 0 for u in ref.users.values()}, owner)
    team = np.where(team_given > 0, team_given, owner_team)
    team_region = lookup({t.id: t.region_id for t in ref.teams.values()}, team)
    region = np.where(region_given != 0, region_given, team_region)  # < 0: a region to create
    no_team = (owner > 0) & (team == 0) & ~(ctx.has("team") & ctx.text("team").notna().to_numpy())

    # Stage, status, stage history.
    stage = ctx_ids(ctx, "stage")
    stage_kind = lookup(kind_of, stage, default="", dtype=object)
    status_given = texts(ctx.value("status"), "")
    status = np.where(status_given != "", status_given, stage_kind).astype(object)
    status[stage == 0] = ""
    conflict = (
        ((status_given == OpportunityStatus.WON) & (stage_kind != StageKind.WON))
        | ((status_given == OpportunityStatus.OPEN) & (stage_kind != StageKind.OPEN))
        | ((status_given == OpportunityStatus.LOST) & (stage_kind == StageKind.WON))
    ) & (stage > 0)
    lost_here = (status_given == OpportunityStatus.LOST) & (stage_kind == StageKind.OPEN)
    if not lost_terminal:
        conflict |= lost_here
    current_stage = np.where(lost_here & ~conflict, lost_terminal, stage)
    lost_stage = np.where(lost_here, stage, ctx_ids(ctx, "lost_stage"))

    date_fields = stage_date_fields(ctx)
    date_stage = [stage_by_id_code(ref, f) for f in date_fields]
    history = (
        np.stack([ctx_days(ctx, f) for f in date_fields], axis=1)
        if date_fields
        else np.empty((n, 0), dtype="datetime64[D]")
    )
    out_of_order = _out_of_order(history)
    # A date for a stage after the current one (or after the stage a deal was lost in).
    position = {s.id: s.position for s in ref.stages}
    reached = np.where(current_stage == lost_terminal, lost_stage, current_stage)
    reached_pos = lookup(position, np.where(reached > 0, reached, -1), default=10**6)
    column_pos = np.array([position[sid] for sid in date_stage], dtype=np.int64)
    out_of_order |= (~np.isnat(history) & (column_pos[None, :] > reached_pos[:, None])).any(axis=1)
    # The date the current stage was entered, from its own date column when there is one.
    stage_column = {sid: i for i, sid in enumerate(date_stage)}
    col_of_current = lookup(stage_column, current_stage, default=-1)
    own_date = np.full(n, NAT)
    has_col = col_of_current >= 0
    own_date[has_col] = history[np.flatnonzero(has_col), col_of_current[has_col]]
    first_won_col = [i for i, sid in enumerate(date_stage) if kind_of.get(sid) == StageKind.WON]
    won_from_history = _first_date(history[:, first_won_col]) if first_won_col else np.full(n, NAT)

    created_given = ctx_days(ctx, "created_on")
    entered_given = ctx_days(ctx, "stage_entered_on")
    won_given = ctx_days(ctx, "won_on")
    lost_given = ctx_days(ctx, "lost_on")
    today = np.datetime64(ctx.today, "D")
    is_lost = status == OpportunityStatus.LOST
    is_won = status == OpportunityStatus.WON
    entered = _coalesce(entered_given, np.where(is_lost, lost_given, NAT), own_date)
    earliest = _first_date(np.stack([_first_date(history), entered, won_given, lost_given], axis=1))
    created = _coalesce(created_given, earliest, np.full(n, today))
    entered = _coalesce(entered, created)
    won_on = np.where(is_won, _coalesce(won_given, won_from_history, entered), won_given)
    lost_on = np.where(is_lost, _coalesce(lost_given, entered), lost_given)
    if_lost_prev = np.where(
        is_lost & (lost_stage == 0) & (stage_kind == StageKind.LOST),
        _last_stage(history, date_stage),
        0,
    )
    lost_stage = np.where(lost_stage > 0, lost_stage, if_lost_prev)

    dates_bad = out_of_order | (entered < created) | (won_on < created) | (lost_on < created)
    dates_bad &= ~np.isnat(created)

    final: dict[str, np.ndarray] = {
        "code": code,
        "name": texts(ctx.value("opportunity_name")),
        "owner_id": owner,
        "team_id": team,
        "region_id": region,
        "product_line_id": ctx_ids(ctx, "product_line"),
        "amount_minor": ctx.value("amount", "Int64").fillna(0).to_numpy(dtype=np.int64),
        "source": texts(ctx.value("source")),
        "created_on": created,
        "current_stage_id": current_stage,
        "stage_entered_on": entered,
        "status": status,
        "lost_stage_id": lost_stage,
        "lost_reason": texts(ctx.value("lost_reason")),
        "expected_close_on": ctx_days(ctx, "expected_close_on"),
        "won_on": won_on,
        "lost_on": lost_on,
        "risk_flag": texts(ctx.value("risk_flag")),
        "next_step": texts(ctx.value("next_step")),
    }
    customer_id, new_customers = _customers(ctx, region, owner, created)
    final["customer_id"] = customer_id
    final = {k: np.array(v) for k, v in final.items()}  # writable copies (pandas hands views)

    ctx.problem(no_team, "team", "no_team", [{"who": w} for w in user_names(ctx, owner[no_team])])
    ctx.problem(conflict, "status", "status_conflict")
    ctx.problem(dates_bad, date_fields[0] if out_of_order.any() and date_fields else "created_on",
                "dates_out_of_order")  # fmt: skip

    # Existing rows, permissions, the plan.
    found = opportunities_by_code(ctx.session, [c for c in code if c])
    existing_id = lookup({c: r.id for c, r in found.items()}, code)
    existing = _existing(ctx, existing_id)
    given = _given_masks(ctx)
    update_rows = np.flatnonzero(existing_id > 0)
    if len(update_rows) and ctx.mode == "update":
        _merge_updates(ctx, final, given, existing, existing_id, update_rows)
    old_owner = lookup(existing["owner_id"].to_dict() if len(existing) else {}, existing_id)
    old_team = lookup(existing["team_id"].to_dict() if len(existing) else {}, existing_id)
    allowed = writable(ctx.viewer, final["owner_id"], final["team_id"])
    touched = existing_id > 0
    allowed[touched] &= writable(ctx.viewer, old_owner[touched], old_team[touched])
    refused = ~allowed & (owner > 0)
    ctx.problem(refused, "owner", "forbidden",
                [{"who": w} for w in user_names(ctx, owner[refused])])  # fmt: skip
    check_duplicates(ctx, file_key(ctx))

    changes: dict[int, list[str]] = {}
    unchanged = np.zeros(n, dtype=bool)
    if ctx.mode == "update" and len(update_rows):
        ok = update_rows[~ctx.log.bad[update_rows]]
        changes = changed_columns(final, existing, ok, existing_id, WRITTEN)
        for pos, cols in changes.items():
            unchanged[pos] = not cols
    action = plan_actions(ctx, existing_id, unchanged)
    return {
        "_action": action,
        "_notes": _notes(new_customers, action),
        "final": final,
        "existing": existing,
        "existing_id": existing_id,
        "changes": changes,
        "history": history,
        "history_stages": np.array(date_stage, dtype=np.int64),
        "new_customers": new_customers,
    }


def stage_by_id_code(ref, field_name: str) -> int:
    """The stage id of a ``stage_date.<code>`` field."""
    code = field_name.split(".", 1)[1]
    return next(s.id for s in ref.stages if s.code == code)


def _coalesce(*arrays: np.ndarray) -> np.ndarray:
    out = arrays[0].copy()
    for more in arrays[1:]:
        out = np.where(np.isnat(out), more, out)
    return out


def _last_stage(history: np.ndarray, stage_ids: list[int]) -> np.ndarray:
    """Per row the stage of the latest date in ``history`` (0 when none)."""
    if history.shape[1] == 0:
        return np.zeros(len(history), dtype=np.int64)
    as_int = np.where(np.isnat(history), np.iinfo(np.int64).min, history.astype(np.int64))
    col = as_int.argmax(axis=1)
    any_date = ~np.isnat(history).all(axis=1)
    return np.where(any_date, np.array(stage_ids, dtype=np.int64)[col], 0)


def _customers(
    ctx: Context, region: np.ndarray, owner: np.ndarray, created: np.ndarray
) -> tuple[np.ndarray, pd.DataFrame]:
    """Customer ids per row; with ``create_missing``, unknown names become new customers
    (negative ids -1, -2 … index the returned frame)."""
    names = ctx.text("customer")
    index = ctx.reference.customers(ctx.session)
    region_series = pd.Series(np.where(region > 0, region, None), dtype=object)
    found, ambiguous = index.resolve(names, region_series)
    customer_id = found.fillna(0).to_numpy(dtype=np.int64)
    named = names.notna().to_numpy()
    unknown = named & (customer_id == 0) & ~ambiguous.to_numpy()
    ctx.problem(ambiguous.to_numpy(), "customer", "ambiguous_customer")
    empty = pd.DataFrame(columns=["name", "region_id", "owner_id", "created_on"])
    if not ctx.options.create_missing:
        ctx.problem(unknown, "customer", "unknown_customer")
        return customer_id, empty
    no_region = unknown & (region == 0)
    ctx.problem(no_region, "customer", "no_region")
    create = np.flatnonzero(unknown & (region != 0))
    if not len(create):
        return customer_id, empty
    keys = [(match_key(names.iat[p]), int(region[p])) for p in create.tolist()]
    first: dict[tuple, int] = {}
    rows = []
    for pos, key in zip(create.tolist(), keys, strict=True):
        if key not in first:
            first[key] = len(rows)
            rows.append((names.iat[pos], key[1], int(owner[pos]) or None, created[pos]))
        customer_id[pos] = -(first[key] + 1)
    frame = pd.DataFrame(rows, columns=["name", "region_id", "owner_id", "created_on"])
    return customer_id, frame


def _existing(ctx: Context, existing_id: np.ndarray) -> pd.DataFrame:
    return load_rows(ctx.session, OPP, existing_id[existing_id > 0].tolist())


def _given_masks(ctx: Context) -> dict[str, np.ndarray]:
    """Per stored column: rows whose file cell gave a value (updates keep the rest)."""

    def given(name: str) -> np.ndarray:
        return filled(ctx, name)

    masks = {column: given(name) for name, column in DIRECT.items()}
    masks.update(
        customer_id=given("customer"), owner_id=given("owner"), team_id=given("team"),
        region_id=given("region"), created_on=given("created_on"),
        stage_entered_on=given("stage_entered_on"), status=given("status"),
        won_on=given("won_on"), lost_on=given("lost_on"), lost_stage_id=given("lost_stage"),
        current_stage_id=given("stage"),
    )  # fmt: skip
    return masks


def _merge_updates(
    ctx: Context, final: dict[str, np.ndarray], given: dict[str, np.ndarray],
    existing: pd.DataFrame, existing_id: np.ndarray, rows: np.ndarray,
) -> None:  # fmt: skip
    """For rows updating a stored opportunity: empty cells keep the stored value; the
    stage-related defaults apply only when the stage changes."""
    old = existing.reindex(existing_id[rows])
    stage_changed = old["current_stage_id"].to_numpy() != final["current_stage_id"][rows]
    today = np.datetime64(ctx.today, "D")
    for column in WRITTEN:
        if column in ("code", "current_stage_id"):
            continue
        keep = ~given.get(column, np.zeros(ctx.size, dtype=bool))[rows]
        if column in ("stage_entered_on", "status", "won_on", "lost_on", "lost_stage_id"):
            keep &= ~stage_changed  # derived from the new stage instead
        target = final[column]
        stored = stored_as(old[column], target.dtype)
        target[rows[keep]] = stored[keep]
    # A stage change without a stage date happens today (not on the created date).
    entered = final["stage_entered_on"]
    moved = rows[stage_changed & ~given["stage_entered_on"][rows]]
    entered[moved] = today
    for column, status in (("won_on", OpportunityStatus.WON), ("lost_on", OpportunityStatus.LOST)):
        became = moved[(final["status"][moved] == status) & ~given[column][moved]]
        final[column][became] = today
    was_open = old["status"].to_numpy() == OpportunityStatus.OPEN
    lost_now = rows[stage_changed & was_open & (final["status"][rows] == OpportunityStatus.LOST)]
    no_lost_stage = lost_now[final["lost_stage_id"][lost_now] == 0]
    final["lost_stage_id"][no_lost_stage] = existing.loc[
        existing_id[no_lost_stage], "current_stage_id"
    ].to_numpy(dtype=np.int64)


def _notes(new_customers: pd.DataFrame, action: np.ndarray) -> list[tuple[str, dict]]:
    if len(new_customers):
        return [names_note("import.note.new_customers", new_customers["name"])]
    return []
