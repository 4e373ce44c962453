"""The import log and undoing the last import.

Undo works on the newest import that is not undone yet (a stack: undo again to go one
further back). It deletes what the import inserted and restores what it updated, in one
transaction, and refuses, changing nothing, when any of those rows changed since (an
opportunity's version moved on, another row's values differ from what the import wrote)
or when something recorded later refers to an inserted row (a key action added by hand
to an imported deal, a new customer someone else's deal now uses).
"""

from __future__ import annotations

import json
from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Table, and_, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.importing import bulk
from salesboard.importing.bulk import id_ranges
from salesboard.importing.resolve_common import plain
from salesboard.store import rollups
from salesboard.store.models import (
    ImportBatch,
    ImportStatus,
    Opportunity,
    OpportunityEvent,
    Role,
    StageHistory,
    metadata,
    utcnow,
)
from salesboard.store.queries import chunks
from salesboard.store.tables import BATCH, CHANGE

LOG_COLUMNS = (
    "id", "at", "actor_name", "kind", "mode", "file_name", "file_sha256", "sheet", "rows_total",
    "inserted", "updated", "skipped", "failed", "status", "undone_at", "undone_by",
)  # fmt: skip
# What refers to rows of each entity (table, column), checked before deleting them.
DEPENDENTS: dict[str, list[tuple[str, str]]] = {
    "opportunity": [("key_action", "opportunity_id"), ("visit", "opportunity_id"),
                    ("collection", "opportunity_id"), ("deal_rating", "opportunity_id")],
    "customer": [("opportunity", "customer_id"), ("visit", "customer_id")],
    "user": [("opportunity", "owner_id"), ("customer", "owner_id"), ("key_action", "owner_id"),
             ("visit", "rep_id"), ("goal", "user_id"), ("goal", "owner_id"),
             ("deal_rating", "rated_by"),
             ("auth_session", "user_id")],
    "team": [("user", "team_id"), ("opportunity", "team_id"), ("goal", "team_id")],
    "region": [("team", "region_id"), ("customer", "region_id"), ("opportunity", "region_id"),
               ("goal", "region_id")],
    "product_line": [("opportunity", "product_line_id"), ("goal", "product_line_id")],
    "goal": [("goal", "parent_id")],
}  # fmt: skip


class UndoRefused(ValueError):
    """The last import cannot be undone; ``code`` (for translation) says why, ``params``
    give the details (entity, how many rows, some of their ids)."""

    def __init__(self, code: str, message: str, **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def import_log(session: Session, viewer: Viewer, limit: int = 50) -> pd.DataFrame:
    """Imports newest first: admins and leaders see all, everyone else their own."""
    query = select(*(BATCH.c[c] for c in LOG_COLUMNS)).order_by(BATCH.c.id.desc()).limit(limit)
    if not viewer.sees_everything:
        query = query.where(BATCH.c.actor_id == viewer.user_id)
    rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=list(LOG_COLUMNS))


def last_import(session: Session) -> ImportBatch | None:
    """The newest import not undone yet (the one ``undo_last_import`` would undo)."""
    return session.execute(
        select(ImportBatch)
        .where(ImportBatch.status == ImportStatus.DONE)
        .order_by(ImportBatch.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def can_undo(viewer: Viewer, batch: ImportBatch) -> bool:
    """Admins undo any import; others their own."""
    return viewer.role == Role.ADMIN or (
        viewer.user_id is not None and viewer.user_id == batch.actor_id
    )


@dataclass(frozen=True)
class Undone:
    """The import an undo reverted."""

    batch_id: int
    file_name: str
    kind: str
    inserted: int
    updated: int


def undo_last_import(session: Session, actor: Viewer, batch_id: int | None = None) -> Undone:
    """Undo the newest import (``batch_id``, when given, must name it). Raises UndoRefused
    (nothing_to_undo, not_last, forbidden, changed_since, in_use) before changing anything."""
    batch = last_import(session)
    if batch is None:
        raise UndoRefused("nothing_to_undo", "there is no import to undo")
    if batch_id is not None and batch_id != batch.id:
        raise UndoRefused(
            "not_last", f"import #{batch_id} is not the last one (#{batch.id})", batch=batch.id
        )
    if not can_undo(actor, batch):
        raise UndoRefused("forbidden", f"{actor.username} may not undo import #{batch.id}",
                          who=batch.actor_name)  # fmt: skip
    changes = session.execute(
        select(CHANGE.c.id, CHANGE.c.entity, CHANGE.c.entity_id, CHANGE.c.action,
               CHANGE.c.before, CHANGE.c.after, CHANGE.c.version_after)
        .where(CHANGE.c.batch_id == batch.id)
        .order_by(CHANGE.c.id)
    ).all()  # fmt: skip
    conn = session.connection()
    _check_unchanged(conn, batch, changes)
    # A large batch is undone like it was loaded: the rollup triggers paused, the rollups
    # rebuilt once (an upsert per deleted deal and stay would take minutes at 1M rows).
    large = batch.inserted + batch.updated >= bulk.REBUILD_INDEXES_FROM
    try:
        with rollups.triggers_paused(conn) if large else nullcontext():
            for change in reversed(changes):
                _revert(conn, change)
    except IntegrityError as error:  # a reference the checks above do not know about
        raise UndoRefused("in_use", f"rows of import #{batch.id} are in use: {error.orig}",
                          entity="", count=0) from error  # fmt: skip
    batch.status = ImportStatus.UNDONE
    batch.undone_at = utcnow()
    batch.undone_by = actor.username[:64]
    session.add(batch)
    audit.record(
        session,
        actor,
        action="undo_import",
        entity="import_batch",
        entity_id=batch.id,
        summary=f"{batch.file_name} ({batch.kind}): {batch.inserted} inserted rows removed, "
        f"{batch.updated} updated rows restored",
    )
    return Undone(batch.id, batch.file_name, batch.kind, batch.inserted, batch.updated)


def _span(entity_id: str) -> tuple[int, int]:
    first, _, last = entity_id.partition("-")
    return int(first), int(last or first)


def _table(entity: str) -> Table:
    return metadata.tables[entity]


def _in_spans(column, spans: list[tuple[int, int]]):
    return or_(*(column.between(a, b) for a, b in spans))


def _check_unchanged(conn, batch: ImportBatch, changes: list) -> None:
    """Raise UndoRefused when a row the import wrote changed or gained dependents since."""
    changed: dict[str, list[str]] = defaultdict(list)
    in_use: dict[str, int] = defaultdict(int)
    ours: dict[str, list[tuple[int, int]]] = defaultdict(list)  # inserted id spans per table
    by_entity: dict[str, list] = defaultdict(list)
    updated: dict[str, list[int]] = defaultdict(list)
    for change in changes:
        by_entity[change.entity].append(change)
        if change.action == "insert" and ":" not in change.entity_id:
            ours[change.entity].append(_span(change.entity_id))
        elif change.action == "update":
            updated[change.entity].append(int(change.entity_id))
    # Rows this import wrote may refer to rows it created (a deal moved to a new customer).
    written = {entity: list(spans) for entity, spans in ours.items()}
    for entity, ids in updated.items():
        written.setdefault(entity, []).extend(id_ranges(np.array(ids)))
    opp = Opportunity.__table__
    for entity, items in by_entity.items():
        spans = ours.get(entity, [])
        if entity == "opportunity":
            for part in chunks(spans, 200):
                stale = conn.execute(
                    select(opp.c.id).where(_in_spans(opp.c.id, list(part)), opp.c.version != 1)
                    .limit(5)
                ).scalars().all()  # fmt: skip
                changed[entity] += [str(i) for i in stale]
                in_use["opportunity_event"] += _later_events(conn, batch, list(part))
            updates = [c for c in items if c.action == "update"]
            for part in chunks(updates, 900):
                versions = dict(conn.execute(
                    select(opp.c.id, opp.c.version).where(opp.c.id.in_([int(c.entity_id) for c in part]))
                ).all())  # fmt: skip
                changed[entity] += [c.entity_id for c in part
                                    if versions.get(int(c.entity_id)) != c.version_after]  # fmt: skip
        elif entity not in ("stage_history", "opportunity_event"):
            # (children of updated deals: their deal's version covers them)
            changed[entity] += _differs(conn, entity, [c for c in items if c.after])
        for part in chunks(spans, 200):
            in_use[entity] += _dependents(conn, entity, list(part), written)
    for entity, ids in changed.items():
        if ids:
            raise UndoRefused(
                "changed_since",
                f"{len(ids)} {entity} row(s) changed since import #{batch.id} (e.g. {ids[:5]})",
                entity=entity, count=len(ids), ids=", ".join(ids[:5]),
            )  # fmt: skip
    for entity, count in in_use.items():
        if count:
            raise UndoRefused(
                "in_use",
                f"{count} row(s) recorded since import #{batch.id} refer to its {entity} rows",
                entity=entity, count=count,
            )  # fmt: skip


def _dependents(
    conn, entity: str, spans: list[tuple[int, int]], ours: dict[str, list[tuple[int, int]]]
) -> int:
    """Rows not written by this import that refer to ids in ``spans`` of ``entity``."""
    total = 0
    for table_name, column in DEPENDENTS.get(entity, []):
        table = _table(table_name)
        query = select(func.count()).where(_in_spans(table.c[column], spans))
        own = ours.get(table_name, [])
        for part in chunks(own, 200):
            query = query.where(~_in_spans(table.c.id, list(part)))
        total += conn.execute(query).scalar_one()
    return total


def _later_events(conn, batch: ImportBatch, spans: list[tuple[int, int]]) -> int:
    events = OpportunityEvent.__table__
    return conn.execute(
        select(func.count()).where(
            _in_spans(events.c.opportunity_id, spans), events.c.at > batch.at
        )
    ).scalar_one()


def _differs(conn, entity: str, items: list) -> list[str]:
    """Ids of rows whose current values differ from what the import wrote (or are gone)."""
    table = _table(entity)
    out: list[str] = []
    for part in chunks(items, 500):
        if entity == "team_manager":
            keys = [tuple(int(x) for x in c.entity_id.split(":")) for c in part]
            present = set(conn.execute(
                select(table.c.team_id, table.c.user_id).where(
                    or_(*(and_(table.c.team_id == t, table.c.user_id == u) for t, u in keys))
                )
            ).all())  # fmt: skip
            out += [c.entity_id for c, k in zip(part, keys, strict=True) if k not in present]
            continue
        rows = {
            r.id: r
            for r in conn.execute(
                select(table).where(table.c.id.in_([int(c.entity_id) for c in part]))
            ).mappings()
        }
        for change in part:
            current = rows.get(int(change.entity_id))
            after = json.loads(change.after)
            if current is None or any(plain(current[k]) != v for k, v in after.items()):
                out.append(change.entity_id)
    return out


def _revert(conn, change) -> None:
    """Undo one recorded change (deletes for inserts, restores for updates)."""
    table = _table(change.entity)
    if change.action == "insert":
        if change.entity == "team_manager":
            team_id, user_id = (int(x) for x in change.entity_id.split(":"))
            conn.execute(
                table.delete().where(table.c.team_id == team_id, table.c.user_id == user_id)
            )
            return
        first, last = _span(change.entity_id)
        if change.entity == "opportunity":
            for child in (OpportunityEvent, StageHistory):
                t = child.__table__
                conn.execute(t.delete().where(t.c.opportunity_id.between(first, last)))
        conn.execute(table.delete().where(table.c.id.between(first, last)))
        return
    before = {k: _typed(table, k, v) for k, v in json.loads(change.before or "{}").items()}
    if change.entity == "opportunity":
        before.pop("version", None)
        before["version"] = table.c.version + 1  # versions only move forward
        before["updated_at"] = utcnow()
    if before:
        conn.execute(table.update().where(table.c.id == int(change.entity_id)).values(**before))


def _typed(table: Table, column: str, value: Any) -> Any:
    """A JSON value back in the column's Python type (dates, decimals)."""
    if value is None:
        return None
    python_type = None
    try:
        python_type = table.c[column].type.python_type
    except NotImplementedError:
        return value
    from datetime import date, datetime
    from decimal import Decimal

    if python_type is date:
        return date.fromisoformat(value)
    if python_type is datetime:
        return datetime.fromisoformat(value)
    if python_type is Decimal:
        return Decimal(value)
    return value
