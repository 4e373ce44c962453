"""Stage settings (admin): the stage list with names, order, kind, time standards, key
actions and deliverables. Changes are validated as a whole and applied in one audited
transaction, so the process is never left half-edited.

Rules: codes are unique lower-case identifiers and cannot change once saved (thresholds,
links and imports refer to them); positions are unique; standard and idle days are positive
whole working days (or empty); at least one active open stage and one active won stage;
a stage that opportunities use (now, in their history, or lost there) cannot be deleted —
deactivate or rename it instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from sqlalchemy import case, literal, select, union_all
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require
from salesboard.store.models import OpportunityStatus, Stage, StageKind
from salesboard.store.queries import frame_of
from salesboard.store.tables import ACTION, HISTORY, OPP, STAGE

STAGE_FIELDS = (
    "code", "position", "name_zh", "name_en", "kind", "standard_days", "idle_days",
    "key_actions_zh", "key_actions_en", "deliverable_zh", "deliverable_en",
    "key_actions_required", "active",
)  # fmt: skip
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,31}$")


class StageSettingsError(ValueError):
    """The edited stage list breaks a rule; ``problems`` lists (reason code, stage code)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{code}: {stage}" for code, stage in problems))
        self.problems = problems


@dataclass
class StagePlan:
    """What saving the edited list would do."""

    creates: list[dict[str, Any]] = field(default_factory=list)
    updates: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    deletes: list[int] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing changes."""
        return not (self.creates or self.updates or self.deletes)


def stage_table(session: Session) -> pd.DataFrame:
    """Every stage in order and whether any row refers to it (``usage``: opportunities in
    it or lost there, stage-history stays, key actions; a stage in use cannot be deleted):
    ``id``, ``STAGE_FIELDS``, ``usage`` (bool)."""
    # Whether, not how many: one index seek per stage in use (counting every deal, stay and
    # key action took 0.8 s at 1M deals). A CASE stops at the first use found (SQLite ran
    # every EXISTS of an OR); the deals' status makes the (status, stage) index answer. Each
    # stage's id is a value of its own row, not a correlation: PostgreSQL then estimates each
    # stage from its statistics — correlated, it assumed a million deals per stage, scanned
    # the table for the first one and read all 10M deals for a stage nobody is in (1.1 s).
    statuses = [s.value for s in OpportunityStatus]

    def in_use(stage: int):
        uses = (
            select(OPP.c.id).where(OPP.c.status.in_(statuses), OPP.c.current_stage_id == stage),
            select(HISTORY.c.id).where(HISTORY.c.stage_id == stage),
            select(OPP.c.id).where(OPP.c.lost_stage_id == stage),
            select(ACTION.c.id).where(ACTION.c.stage_id == stage),
        )
        return case(*((use.exists(), True) for use in uses), else_=False)

    query = select(STAGE.c.id, *(STAGE.c[f] for f in STAGE_FIELDS))
    frame = frame_of(session, query.order_by(STAGE.c.position))
    ids = [int(i) for i in frame["id"]]
    usage = (
        dict(session.execute(union_all(*(select(literal(i), in_use(i)) for i in ids))).all())
        if ids
        else {}
    )
    frame["usage"] = [bool(usage.get(i)) for i in ids]
    return frame


def _clean(row: Mapping[str, Any]) -> dict[str, Any]:
    """One edited row as stage values (stripped text, whole days or None, bool active)."""

    def days(value: Any) -> int | None | str:
        if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
            return None
        number = float(value)
        return int(number) if number.is_integer() else "fraction"

    return {
        "code": str(row.get("code") or "").strip().lower(),
        "position": row.get("position"),
        "name_zh": str(row.get("name_zh") or "").strip(),
        "name_en": str(row.get("name_en") or "").strip(),
        "kind": str(row.get("kind") or StageKind.OPEN),
        "standard_days": days(row.get("standard_days")),
        "idle_days": days(row.get("idle_days")),
        "key_actions_zh": str(row.get("key_actions_zh") or "").strip(),
        "key_actions_en": str(row.get("key_actions_en") or "").strip(),
        "deliverable_zh": str(row.get("deliverable_zh") or "").strip(),
        "deliverable_en": str(row.get("deliverable_en") or "").strip(),
        "key_actions_required": _flag(row.get("key_actions_required", True)),
        "active": _flag(row.get("active", True)),
    }


def _flag(value: Any) -> bool:
    """A checkbox cell as a bool (an empty cell of a new row: True, the default)."""
    return True if value is None or pd.isna(value) else bool(value)


def plan_stage_changes(original: pd.DataFrame, edited: pd.DataFrame) -> StagePlan:
    """Compare the stage table as loaded (``stage_table``) with the edited one (rows with
    no ``id`` are new; loaded ids missing from ``edited`` are deletions) and validate the
    result; raise ``StageSettingsError`` listing every problem."""
    before = {int(r["id"]): r for r in original.to_dict("records")}
    rows = []
    for record in edited.to_dict("records"):
        raw_id = record.get("id")
        stage_id = None if raw_id is None or pd.isna(raw_id) else int(raw_id)
        rows.append((stage_id, _clean(record)))
    problems: list[tuple[str, str]] = []
    plan = StagePlan()
    kept = {stage_id for stage_id, _ in rows if stage_id is not None}
    for stage_id, old in before.items():
        if stage_id not in kept:
            if old["usage"]:
                problems.append(("in_use", old["code"]))
            plan.deletes.append(stage_id)
    codes, positions = [], []
    for stage_id, values in rows:
        label = values["code"] or values["name_zh"] or values["name_en"] or "?"
        if (
            stage_id is not None
            and stage_id in before
            and values["code"] != before[stage_id]["code"]
        ):
            problems.append(("code_fixed", before[stage_id]["code"]))
            values["code"] = before[stage_id]["code"]
        if not _CODE.match(values["code"]):
            problems.append(("bad_code", label))
        if not values["name_zh"] or not values["name_en"]:
            problems.append(("name_missing", label))
        if values["kind"] not in {k.value for k in StageKind}:
            problems.append(("bad_kind", label))
        for key in ("standard_days", "idle_days"):
            value = values[key]
            if value == "fraction" or (value is not None and value <= 0):
                problems.append((f"bad_{key}", label))
        position = values["position"]
        if position is None or pd.isna(position) or float(position) != int(float(position)):
            problems.append(("bad_position", label))
        else:
            values["position"] = int(float(position))
            positions.append(values["position"])
        codes.append(values["code"])
        if stage_id is None:
            plan.creates.append(values)
        else:
            changed = {k: v for k, v in values.items() if _differs(before[stage_id].get(k), v)}
            if changed:
                plan.updates.append((stage_id, changed))
    problems += [("duplicate_code", c) for c in sorted({c for c in codes if codes.count(c) > 1})]
    problems += [
        ("duplicate_position", str(p))
        for p in sorted({p for p in positions if positions.count(p) > 1})
    ]
    active_kinds = {v["kind"] for _, v in rows if v["active"]}
    if StageKind.OPEN not in active_kinds:
        problems.append(("no_open_stage", ""))
    if StageKind.WON not in active_kinds:
        problems.append(("no_won_stage", ""))
    if problems:
        raise StageSettingsError(problems)
    return plan


def _differs(old: Any, new: Any) -> bool:
    if old is None or (isinstance(old, float) and pd.isna(old)):
        old = None
    if isinstance(old, float) and old.is_integer():
        old = int(old)
    return old != new


def apply_stage_plan(session: Session, actor: Viewer, plan: StagePlan) -> None:
    """Apply ``plan`` (admin only): deletions, then updates, then new stages, each audited.
    Positions are moved out of the way first so a reorder never trips over itself."""
    require(actor.is_admin, "admin_only", "only an admin changes the stage settings")
    for stage_id in plan.deletes:
        stage = session.get(Stage, stage_id)
        old = {f: getattr(stage, f) for f in STAGE_FIELDS}
        session.delete(stage)
        audit.record(session, actor, action="delete", entity="stage", entity_id=stage.code,
                     summary=f"stage {stage.code} deleted", old=old)  # fmt: skip
    session.flush()
    old_positions = {}
    for stage_id, changes in plan.updates:  # temporary positions: unique, out of the way
        if "position" in changes:
            stage = session.get(Stage, stage_id)
            old_positions[stage_id], stage.position = stage.position, -stage_id
    session.flush()
    for stage_id, changes in plan.updates:
        stage = session.get(Stage, stage_id)
        old = {f: getattr(stage, f) for f in changes}
        if stage_id in old_positions:
            old["position"] = old_positions[stage_id]
        for key, value in changes.items():
            setattr(stage, key, value)
        audit.record(session, actor, action="update", entity="stage", entity_id=stage.code,
                     summary=f"stage {stage.code} changed", old=old, new=changes)  # fmt: skip
    for values in plan.creates:
        session.add(Stage(**values))
        audit.record(session, actor, action="create", entity="stage", entity_id=values["code"],
                     summary=f"stage {values['code']} added", new=values)  # fmt: skip
    session.flush()
