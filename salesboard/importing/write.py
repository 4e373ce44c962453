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
    writer = ImportWriter(session, actor, validation.kind.name, validation.mode,
                          file_name=file_name, file_sha256=file_sha256, sheet=sheet)  # fmt: skip
    writer.write(validation)
    return writer.finish(validation.counts(), validation.kind.entity)


class ImportWriter:
    """One import log entry written in parts: ``write`` each validated chunk of a file (in
    file order, all in the session's transaction), then ``finish`` with the whole file's
    counts. Undo data is written per part, so nothing per row outlives its chunk."""

    def __init__(
        self, session: Session, actor: Viewer, kind: str, mode: str, *,
        file_name: str = "", file_sha256: str = "", sheet: str = "",
    ) -> None:  # fmt: skip
        self.session, self.actor, self.file_name = session, actor, file_name
        self.kind, self.mode = kind, mode
        self.now = utcnow()
        self.batch = ImportBatch(
            at=self.now,
            actor_id=actor.user_id,
            actor_name=actor.username[:64],
            kind=kind,
            mode=mode,
            file_name=file_name[:255],
            file_sha256=file_sha256,
            sheet=(sheet or "")[:128],
            rows_total=0,
            inserted=0,
            updated=0,
            skipped=0,
            failed=0,
        )
        session.add(self.batch)
        session.flush()
        self.issued: list[tuple[str, str, str]] = []

    def write(self, validation: Validation) -> None:
        """Write the valid rows of one validated part."""
        state = WriteState(
            session=self.session,
            conn=self.session.connection(),
            actor=self.actor,
            validation=validation,
            batch=self.batch,
            recorder=Recorder(self.batch.id),
            now=self.now,
        )
        write_new(state)  # regions and product lines the rows name, before the rows
        WRITERS[validation.kind.name](state)
        state.recorder.flush(state.conn)
        self.issued += state.issued

    def finish(self, counts: dict[str, int], entity: str) -> ImportResult:
        """Record the file's ``counts`` (``Validation.counts``) in the log entry and the
        audit trail; returns the result."""
        batch = self.batch
        batch.rows_total, batch.inserted, batch.updated = (
            counts["rows"], counts["insert"], counts["update"]
        )  # fmt: skip
        batch.skipped, batch.failed = counts["skip"] + counts["unchanged"], counts["failed"]
        self.session.add(batch)
        audit.record(
            self.session,
            self.actor,
            action="import",
            entity=entity,
            entity_id=batch.id,
            summary=f"{self.file_name} ({self.kind}, {self.mode}): "
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
            credentials=self.issued,
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

__all__ = ["ImportConflict", "ImportResult", "ImportWriter", "write_import"]
