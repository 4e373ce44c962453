"""Writing imported opportunities: new customers they name, new deals with their stage
history and a "created" event, and updates (version-checked) with stage moves and one
event per changed field."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from salesboard.importing import bulk
from salesboard.importing.lookups import load_reference
from salesboard.importing.resolve_common import plain
from salesboard.importing.write_common import (
    ImportConflict,
    WriteState,
    create_referenced,
    nullable_ids,
    take_rows,
)
from salesboard.store.models import Customer, OpportunityEventKind, StageKind
from salesboard.store.queries import chunks
from salesboard.store.tables import EVENT, HISTORY, OPP


def _new_customer_values(rows: pd.DataFrame) -> dict[str, Any]:
    n = len(rows)
    return {
        "name": rows["name"].tolist(),
        "industry": [""] * n,
        "region_id": rows["region_id"].astype(int).tolist(),
        "customer_type": ["enterprise"] * n,
        "potential": ["low"] * n,
        "owner_id": nullable_ids(rows["owner_id"].fillna(0).to_numpy(dtype=np.int64)),
        "created_on": rows["created_on"].to_numpy(dtype="datetime64[D]"),
    }


def _history_rows(state: WriteState, positions: np.ndarray, opp_ids: np.ndarray) -> dict:
    """Stage stays of newly inserted opportunities: one per stage date column filled in,
    plus the current stage if its own date column is empty; lost deals end their last
    stay on the lost date."""
    plan, final = state.plan, state.plan["final"]
    history: np.ndarray = plan["history"][positions]
    stages: np.ndarray = plan["history_stages"]
    lost_terminal = {s.id for s in _stages(state) if s.kind == StageKind.LOST}
    status = final["status"][positions]
    current = final["current_stage_id"][positions]
    is_lost = np.isin(current, list(lost_terminal))
    # The stay for the current stage (or, for a lost deal, the stage it was lost in).
    stay_stage = np.where(is_lost, final["lost_stage_id"][positions], current)
    stay_entered = np.where(
        is_lost, final["created_on"][positions], final["stage_entered_on"][positions]
    )
    covered = np.zeros(len(positions), dtype=bool)
    if history.shape[1]:
        column_of = {sid: i for i, sid in enumerate(stages.tolist())}
        cols = np.array([column_of.get(int(s), -1) for s in stay_stage], dtype=np.int64)
        has = cols >= 0
        covered[has] = ~np.isnat(history[np.flatnonzero(has), cols[has]])
    rows, cols = np.nonzero(~np.isnat(history))
    extra = np.flatnonzero(~covered & (stay_stage > 0))
    row = np.r_[rows, extra]
    stage = np.r_[stages[cols] if len(cols) else np.empty(0, np.int64), stay_stage[extra]]
    entered = np.r_[history[rows, cols], stay_entered[extra]].astype("datetime64[D]")
    order = np.lexsort((entered, row))
    row, stage, entered = row[order], stage[order], entered[order]
    last = np.r_[row[1:] != row[:-1], True] if len(row) else np.empty(0, bool)
    left = np.empty(len(row), dtype="datetime64[D]")
    if len(row):
        left[:-1] = entered[1:]
    left[last] = np.where(
        status[row[last]] == "lost", final["lost_on"][positions][row[last]], np.datetime64("NaT")
    )
    return {
        "opportunity_id": opp_ids[row],
        "stage_id": stage,
        "entered_on": entered,
        "left_on": left,
    }


def _stages(state: WriteState):
    """The configured stages, loaded once per write."""
    if "_stages" not in state.plan:
        state.plan["_stages"] = load_reference(state.session).stages
    return state.plan["_stages"]


def _insert_opportunities(state: WriteState) -> None:
    positions = state.rows("insert")
    if not len(positions):
        return
    final = state.plan["final"]
    n = len(positions)
    ids = bulk.allocate_ids(state.conn, OPP, n)
    values = take_rows(final, positions)
    values["lost_stage_id"] = np.array(nullable_ids(values["lost_stage_id"]), dtype=object)
    history = _history_rows(state, positions, ids)
    code_of = {s.id: s.code for s in _stages(state)}
    note = f"import #{state.batch.id}"
    # One load of the three tables: indexes and rollup triggers dealt with once.
    loads = {OPP: n, HISTORY: len(history["stage_id"]), EVENT: n}
    with bulk.loading_all(state.conn, loads):
        bulk.insert_columns(state.conn, OPP, {
            "id": ids, **values, "last_activity_on": values["stage_entered_on"],
            "version": bulk.constant(1, n), "updated_at": bulk.constant(state.now, n),
        })  # fmt: skip
        state.recorder.ranges("opportunity", ids)
        bulk.insert_columns(state.conn, HISTORY, history)
        bulk.insert_columns(state.conn, EVENT, {
            "opportunity_id": ids, "happened_on": values["created_on"],
            "at": bulk.constant(state.now, n), "actor_id": bulk.constant(state.actor.user_id, n),
            "kind": bulk.constant(OpportunityEventKind.CREATED, n),
            "old_value": bulk.constant("", n),
            "new_value": [code_of.get(s, "") for s in values["current_stage_id"].tolist()],
            "note": bulk.constant(note, n),
        })  # fmt: skip


# Opportunity columns whose change is an event in the deal's history.
EVENT_COLUMNS = {
    "current_stage_id": OpportunityEventKind.STAGE,
    "status": OpportunityEventKind.STATUS,
    "amount_minor": OpportunityEventKind.AMOUNT,
    "expected_close_on": OpportunityEventKind.EXPECTED_CLOSE,
    "risk_flag": OpportunityEventKind.RISK_FLAG,
    "next_step": OpportunityEventKind.NEXT_STEP,
}


def _update_opportunities(state: WriteState) -> None:
    positions = state.rows("update")
    if not len(positions):
        return
    final, plan = state.plan["final"], state.plan
    existing: pd.DataFrame = plan["existing"]
    row_ids = plan["existing_id"][positions]
    old_version = existing.loc[row_ids, "version"].to_numpy(dtype=np.int64)
    values = take_rows(final, positions)
    values["lost_stage_id"] = np.array(nullable_ids(values["lost_stage_id"]), dtype=object)
    values["version"] = old_version + 1
    values["updated_at"] = bulk.constant(state.now, len(positions))
    matched = bulk.update_columns(state.conn, OPP, row_ids, values, where_version=old_version)
    if matched != len(positions):
        raise ImportConflict(
            f"{len(positions) - matched} opportunities changed while importing; try again"
        )
    code_of = {s.id: s.code for s in _stages(state)}
    events: dict[str, list] = {k: [] for k in ("opportunity_id", "happened_on", "kind",
                                               "old_value", "new_value")}  # fmt: skip
    moved: list[tuple[int, int, Any]] = []  # (opportunity id, new stage, entered on)
    today = np.datetime64(state.validation.plan.get("today", state.now.date()), "D")
    for i, (pos, row_id) in enumerate(zip(positions.tolist(), row_ids.tolist(), strict=True)):
        cols = plan["changes"].get(pos, [])
        old = existing.loc[row_id]
        state.recorder.add(
            "opportunity", row_id, "update",
            before={**{c: old[c] for c in cols}, "version": int(old_version[i])},
            version_after=int(old_version[i]) + 1,
        )  # fmt: skip
        for column in cols:
            if column not in EVENT_COLUMNS:
                continue
            before, after = old[column], final[column][pos]
            if column == "current_stage_id":
                before, after = code_of.get(int(before), ""), code_of.get(int(after), "")
                moved.append((row_id, int(final[column][pos]), final["stage_entered_on"][pos]))
            events["opportunity_id"].append(row_id)
            events["happened_on"].append(
                final["stage_entered_on"][pos] if column == "current_stage_id" else today
            )
            events["kind"].append(EVENT_COLUMNS[column])
            events["old_value"].append(str(plain(before) or "")[:200])
            events["new_value"].append(str(plain(after) or "")[:200])
    _move_stages(state, moved)
    count = len(events["kind"])
    if count:
        event_ids = bulk.allocate_ids(state.conn, EVENT, count)
        events["happened_on"] = np.array(events["happened_on"], dtype="datetime64[D]")
        bulk.insert_columns(state.conn, EVENT, {
            "id": event_ids, **events, "at": bulk.constant(state.now, count),
            "actor_id": bulk.constant(state.actor.user_id, count),
            "note": bulk.constant(f"import #{state.batch.id}", count),
        })  # fmt: skip
        state.recorder.ranges("opportunity_event", event_ids)


def _move_stages(state: WriteState, moved: list[tuple[int, int, Any]]) -> None:
    """Close the open stays of deals whose stage changed and open the new stage's stay
    (the terminal lost stage is an outcome, not a stay)."""
    if not moved:
        return
    lost = {s.id for s in _stages(state) if s.kind == StageKind.LOST}
    opp_ids = [m[0] for m in moved]
    entered = {m[0]: m[2] for m in moved}
    open_stays: list[tuple[int, int]] = []
    for chunk in chunks(opp_ids):
        open_stays += state.conn.execute(
            select(HISTORY.c.id, HISTORY.c.opportunity_id).where(
                HISTORY.c.opportunity_id.in_(chunk), HISTORY.c.left_on.is_(None)
            )
        ).all()
    if open_stays:
        stay_ids = [s[0] for s in open_stays]
        left = np.array([entered[s[1]] for s in open_stays], dtype="datetime64[D]")
        bulk.update_columns(state.conn, HISTORY, stay_ids, {"left_on": left})
        for stay_id, day in zip(stay_ids, left, strict=True):
            state.recorder.add("stage_history", stay_id, "update", before={"left_on": None},
                               after={"left_on": day})  # fmt: skip
    new = [m for m in moved if m[1] not in lost]
    if new:
        ids = bulk.allocate_ids(state.conn, HISTORY, len(new))
        bulk.insert_columns(state.conn, HISTORY, {
            "id": ids, "opportunity_id": [m[0] for m in new], "stage_id": [m[1] for m in new],
            "entered_on": np.array([m[2] for m in new], dtype="datetime64[D]"),
            "left_on": bulk.constant(None, len(new)),
        })  # fmt: skip
        state.recorder.ranges("stage_history", ids)


def write_opportunities(state: WriteState) -> None:
    """New customers first, then new deals (with history and a created event), then
    updates (version-checked, with stage moves and change events)."""
    written = np.flatnonzero(np.isin(state.validation.action, ["insert", "update"]))
    create_referenced(state, Customer.__table__, state.plan["new_customers"],
                       state.plan["final"]["customer_id"], written, _new_customer_values)  # fmt: skip
    _insert_opportunities(state)
    _update_opportunities(state)
