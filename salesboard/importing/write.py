"""Writing a validated import: one transaction (the caller's write session), bulk
statements, the import log entry, what undo needs, and one audit entry for the batch.

Only rows the validation planned as ``insert`` or ``update`` are written; a failure of any
statement raises and the caller's transaction rolls back, so the store is exactly as
before. Inserted rows get explicit ids (``bulk.allocate_ids``) so their children (stage
history, events) are written in bulk too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Table, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.importing import bulk
from salesboard.importing.lookups import load_reference
from salesboard.importing.resolve_common import plain
from salesboard.importing.resolve_opportunities import WRITTEN
from salesboard.importing.validate import Validation
from salesboard.store.models import (
    Collection,
    Customer,
    Goal,
    GoalScope,
    ImportBatch,
    ImportChange,
    KeyAction,
    Opportunity,
    OpportunityEvent,
    OpportunityEventKind,
    StageHistory,
    StageKind,
    Team,
    TeamManager,
    User,
    Visit,
    utcnow,
)
from salesboard.store.queries import chunks

OPP = Opportunity.__table__
HISTORY = StageHistory.__table__
EVENT = OpportunityEvent.__table__
CHANGE = ImportChange.__table__


class ImportConflict(RuntimeError):
    """A row changed between validation and writing (another user saved it meanwhile)."""


@dataclass
class ImportResult:
    """What an import did; ``batch_id`` names its log entry (None for a dry run)."""

    batch_id: int | None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0

    @property
    def written(self) -> int:
        """Rows inserted or updated."""
        return self.inserted + self.updated


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

    @property
    def plan(self) -> dict[str, Any]:
        return self.validation.plan

    def rows(self, action: str) -> np.ndarray:
        """Positions of the rows planned as ``action``."""
        return np.flatnonzero(self.validation.action == action)


def write_import(
    session: Session,
    actor: Viewer,
    validation: Validation,
    *,
    file_name: str = "",
    file_sha256: str = "",
    sheet: str = "",
) -> ImportResult:
    """Write the valid rows of ``validation`` in the session's transaction; returns the
    counts and the log entry's id. Raises ImportConflict when a row changed meanwhile."""
    counts = validation.counts()
    now = utcnow()
    batch = ImportBatch(
        at=now,
        actor_id=actor.user_id,
        actor_name=actor.username[:64],
        kind=validation.kind.name,
        mode=validation.mode,
        file_name=file_name[:255],
        file_sha256=file_sha256,
        sheet=(sheet or "")[:128],
        rows_total=counts["rows"],
        inserted=counts["insert"],
        updated=counts["update"],
        skipped=counts["skip"] + counts["unchanged"],
        failed=counts["failed"],
    )
    session.add(batch)
    session.flush()
    state = WriteState(
        session=session,
        conn=session.connection(),
        actor=actor,
        validation=validation,
        batch=batch,
        recorder=Recorder(batch.id),
        now=now,
    )
    WRITERS[validation.kind.name](state)
    state.recorder.flush(state.conn)
    audit.record(
        session,
        actor,
        action="import",
        entity=validation.kind.entity,
        entity_id=batch.id,
        summary=f"{file_name} ({validation.kind.name}, {validation.mode}): "
        f"{counts['insert']} inserted, {counts['update']} updated, "
        f"{counts['skip'] + counts['unchanged']} skipped, {counts['failed']} failed",
        new={k: counts[k] for k in ("rows", "insert", "update", "unchanged", "skip", "failed")},
    )
    return ImportResult(
        batch_id=batch.id,
        inserted=counts["insert"],
        updated=counts["update"],
        unchanged=counts["unchanged"],
        skipped=counts["skip"],
        failed=counts["failed"],
    )


# --- generic rows -----------------------------------------------------------------------------


def _take(final: dict[str, np.ndarray], positions: np.ndarray) -> dict[str, np.ndarray]:
    return {k: v[positions] for k, v in final.items()}


def _nullable_ids(values: np.ndarray) -> list[int | None]:
    return [int(v) if v else None for v in values.tolist()]


def _row_dicts(columns: dict[str, np.ndarray], names: list[str]) -> list[dict[str, Any]]:
    return [
        dict(zip(names, row, strict=True)) for row in zip(*(columns[n] for n in names), strict=True)
    ]


def _insert_simple(state: WriteState, table: Table, nullable: tuple[str, ...] = (),
                   extra: dict[str, Any] | None = None) -> np.ndarray:  # fmt: skip
    """Insert the planned rows of a simple kind; record each (with what was written)."""
    positions = state.rows("insert")
    if not len(positions):
        return np.empty(0, dtype=np.int64)
    values = _take(state.plan["final"], positions)
    for name in nullable:
        values[name] = np.array(_nullable_ids(values[name]), dtype=object)
    ids = bulk.allocate_ids(state.conn, table, len(positions))
    with bulk.loading(state.conn, table, len(positions)):
        bulk.insert_columns(state.conn, table, {"id": ids, **values, **(extra or {})})
    names = list(values)
    for row_id, row in zip(ids.tolist(), _row_dicts(values, names), strict=True):
        state.recorder.add(table.name, row_id, "insert", after=row)
    return ids


def _update_simple(state: WriteState, table: Table, nullable: tuple[str, ...] = ()) -> None:
    """Update the planned rows of a simple kind (all imported columns); record the changed
    columns' old and new values."""
    positions = state.rows("update")
    if not len(positions):
        return
    final = state.plan["final"]
    existing: pd.DataFrame = state.plan["existing"]
    row_ids = state.plan["existing_id"][positions]
    values = _take(final, positions)
    for name in nullable:
        values[name] = np.array(_nullable_ids(values[name]), dtype=object)
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


def _simple_writer(table: Table, nullable: tuple[str, ...] = ()):
    def write(state: WriteState) -> None:
        _insert_simple(state, table, nullable)
        _update_simple(state, table, nullable)

    return write


# --- opportunities ----------------------------------------------------------------------------


def _create_referenced(
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


def _new_customer_values(rows: pd.DataFrame) -> dict[str, Any]:
    n = len(rows)
    return {
        "name": rows["name"].tolist(),
        "industry": [""] * n,
        "region_id": rows["region_id"].astype(int).tolist(),
        "customer_type": ["enterprise"] * n,
        "potential": ["low"] * n,
        "owner_id": _nullable_ids(rows["owner_id"].fillna(0).to_numpy(dtype=np.int64)),
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
    values = _take(final, positions)
    values["lost_stage_id"] = np.array(_nullable_ids(values["lost_stage_id"]), dtype=object)
    with bulk.loading(state.conn, OPP, n):
        bulk.insert_columns(state.conn, OPP, {
            "id": ids, **values, "last_activity_on": values["stage_entered_on"],
            "version": bulk.constant(1, n), "updated_at": bulk.constant(state.now, n),
        })  # fmt: skip
    state.recorder.ranges("opportunity", ids)
    history = _history_rows(state, positions, ids)
    with bulk.loading(state.conn, HISTORY, len(history["stage_id"])):
        bulk.insert_columns(state.conn, HISTORY, history)
    code_of = {s.id: s.code for s in _stages(state)}
    note = f"import #{state.batch.id}"
    with bulk.loading(state.conn, EVENT, n):
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
    values = _take(final, positions)
    values["lost_stage_id"] = np.array(_nullable_ids(values["lost_stage_id"]), dtype=object)
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
    _create_referenced(state, Customer.__table__, state.plan["new_customers"],
                       state.plan["final"]["customer_id"], written, _new_customer_values)  # fmt: skip
    _insert_opportunities(state)
    _update_opportunities(state)


# --- goals: link parents ----------------------------------------------------------------------


def write_goals(state: WriteState) -> None:
    """Insert/update goals, then link each written goal to its parent: the goal of the
    same period and metric one scope up whose dimensions it shares (rep -> team -> region
    -> product line -> company; a level missing in the store is skipped)."""
    table = Goal.__table__
    nullable = ("product_line_id", "region_id", "team_id", "user_id", "owner_id")
    inserted = _insert_simple(state, table, nullable)
    _update_simple(state, table, nullable)
    written = np.r_[inserted, state.plan["existing_id"][state.rows("update")]].astype(np.int64)
    if len(written):
        _link_goal_parents(state, written)


def _link_goal_parents(state: WriteState, written: np.ndarray) -> None:
    g = Goal.__table__
    dims = ("product_line_id", "region_id", "team_id", "user_id")
    periods = sorted(set(state.plan["final"]["period"].tolist()) - {None})
    rows = []
    for chunk in chunks(periods):
        rows += state.conn.execute(
            select(g.c.id, g.c.period, g.c.metric, g.c.scope, g.c.parent_id, *(g.c[d] for d in dims))
            .where(g.c.period.in_(chunk))
        ).all()  # fmt: skip
    goals = pd.DataFrame(rows, columns=["id", "period", "metric", "scope", "parent_id", *dims])
    goals[list(dims)] = goals[list(dims)].fillna(0).astype(np.int64)
    by_key = {
        (r.period, r.metric, r.scope, r.product_line_id, r.region_id, r.team_id, r.user_id): r.id
        for r in goals.itertuples()
    }
    ladder = [GoalScope.REP, GoalScope.TEAM, GoalScope.REGION, GoalScope.PRODUCT_LINE,
              GoalScope.COMPANY]  # fmt: skip
    keep = {GoalScope.TEAM: 3, GoalScope.REGION: 2, GoalScope.PRODUCT_LINE: 1, GoalScope.COMPANY: 0}
    mine = goals[goals["id"].isin(written.tolist())]
    updates: list[tuple[int, int | None, int | None]] = []
    for r in mine.itertuples():
        values = [r.product_line_id, r.region_id, r.team_id, r.user_id]
        parent = None
        start = ladder.index(r.scope) + 1 if r.scope in ladder else len(ladder)
        for scope in ladder[start:]:
            level = keep[scope]
            candidates = [values[:level] + [0] * (4 - level)]
            if level >= 1 and values[0]:  # a region goal may or may not carry the line
                candidates.append([0] + values[1:level] + [0] * (4 - level))
            for dims_value in candidates:
                parent = by_key.get((r.period, r.metric, scope, *dims_value))
                if parent:
                    break
            if parent:
                break
        current = None if pd.isna(r.parent_id) else int(r.parent_id)
        if parent != current:
            updates.append((int(r.id), parent, current))
    if updates:
        bulk.update_columns(state.conn, g, [u[0] for u in updates],
                            {"parent_id": [u[1] for u in updates]})  # fmt: skip
        for goal_id, parent, current in updates:
            state.recorder.add("goal", goal_id, "update", before={"parent_id": current},
                               after={"parent_id": parent})  # fmt: skip


# --- users and teams --------------------------------------------------------------------------


def write_users(state: WriteState) -> None:
    """New teams first, then users (new ones cannot sign in until an admin sets a
    password), then each manager leads the team they belong to."""
    final = state.plan["final"]
    written = np.flatnonzero(np.isin(state.validation.action, ["insert", "update"]))
    team = final["team_id"]
    _create_referenced(state, Team.__table__, state.plan["new_teams"], team, written,
                       lambda rows: {"name": rows["name"].tolist(),
                                     "region_id": rows["region_id"].astype(int).tolist()})  # fmt: skip
    n = len(state.rows("insert"))
    inserted = _insert_simple(state, User.__table__, ("team_id",), extra={
        "created_at": bulk.constant(state.now, n), "password_hash": bulk.constant("", n),
        "must_change_password": bulk.constant(True, n), "failed_logins": bulk.constant(0, n),
    })  # fmt: skip
    _update_simple(state, User.__table__, ("team_id",))
    user_ids = np.r_[inserted, state.plan["existing_id"][state.rows("update")]].astype(np.int64)
    positions = np.r_[state.rows("insert"), state.rows("update")]
    led = state.plan["team_managers"]
    pairs = sorted({
        (int(team[p]), int(u)) for p, u in zip(positions.tolist(), user_ids.tolist(), strict=True)
        if final["role"][p] == "manager" and team[p] > 0 and (int(team[p]), int(u)) not in led
    })  # fmt: skip
    if pairs:
        bulk.insert_columns(state.conn, TeamManager.__table__, {
            "team_id": [p[0] for p in pairs], "user_id": [p[1] for p in pairs],
        })  # fmt: skip
        for team_id, user_id in pairs:
            state.recorder.add("team_manager", f"{team_id}:{user_id}", "insert",
                               after={"team_id": team_id, "user_id": user_id})  # fmt: skip


WRITERS = {
    "opportunities": write_opportunities,
    "key_actions": _simple_writer(KeyAction.__table__),
    "visits": _simple_writer(Visit.__table__, ("opportunity_id",)),
    "collections": _simple_writer(Collection.__table__),
    "goals": write_goals,
    "customers": _simple_writer(Customer.__table__, ("owner_id",)),
    "users": write_users,
}

__all__ = ["ImportConflict", "ImportResult", "WRITTEN", "write_import"]
