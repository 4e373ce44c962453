"""Writing a validated import: one transaction (the caller's write session), bulk
statements, the import log entry, what undo needs, and one audit entry for the batch.

Only rows the validation planned as ``insert`` or ``update`` are written; a failure of any
statement raises and the caller's transaction rolls back, so the store is exactly as
before. Inserted rows get explicit ids (``bulk.allocate_ids``) so their children (stage
history, events) are written in bulk too.

The writers are per kind (``write_opportunities``, ``write_goals``, ``write_users``; the
kinds stored as they come use ``write_common.simple_writer``); ``WRITERS`` picks one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.importing.validate import Validation
from salesboard.importing.write_common import (
    ImportConflict,
    Recorder,
    WriteState,
    insert_simple,
    simple_writer,
    update_simple,
)
from salesboard.importing.write_goals import write_goals
from salesboard.importing.write_new_refs import write_new
from salesboard.importing.write_opportunities import write_opportunities
from salesboard.importing.write_organisation import write_organisation
from salesboard.importing.write_tracking import write_tracking
from salesboard.importing.write_users import write_users
from salesboard.store.models import (
    Collection,
    Customer,
    DealRating,
    ImportBatch,
    KeyAction,
    Visit,
    utcnow,
)


@dataclass
class ImportResult:
    """What an import did; ``batch_id`` names its log entry (None for a dry run)."""

    batch_id: int | None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    # users: (username, display name, one-time password) of each account created, for the
    # admin's download only (``report.passwords_workbook``); kept out of repr and logs.
    credentials: list[tuple[str, str, str]] = field(default_factory=list, repr=False)

    @property
    def written(self) -> int:
        """Rows inserted or updated."""
        return self.inserted + self.updated


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
    write_new(state)  # regions and product lines the rows name, before the rows
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
        credentials=state.issued,
    )


def write_ratings(state: WriteState) -> None:
    """Deal ratings: new ones stamped now, stored ones re-rated (by the importer)."""
    table = DealRating.__table__
    count = len(state.rows("insert"))
    insert_simple(state, table, ("rated_by",), extra={"created_at": [state.now] * count})
    update_simple(state, table, ("rated_by",))


# The writer of each import kind.
WRITERS: dict[str, Callable[[WriteState], None]] = {
    "opportunities": write_opportunities,
    "key_actions": simple_writer(KeyAction.__table__),
    "tracking": write_tracking,
    "visits": simple_writer(Visit.__table__, ("opportunity_id",)),
    "collections": simple_writer(Collection.__table__),
    "ratings": write_ratings,
    "goals": write_goals,
    "customers": simple_writer(Customer.__table__, ("owner_id",)),
    "users": write_users,
    "organisation": write_organisation,
}

__all__ = ["ImportConflict", "ImportResult", "write_import"]
