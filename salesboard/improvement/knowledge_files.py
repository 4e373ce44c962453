"""Files attached to best practices (知识库): templates, checklists, sample proposals.

The same rules as deal files (``deals.attachments``): the type is read from the content and
the size is limited (``check_file``), the content goes to the content-addressed attachment
store (so the backup takes it) before its ``practice_file`` row is added.

Scope follows the knowledge base: writers (``knowledge.may_write``) attach files, everyone
signed in lists and reads them. A missing entry, or a writer without the right, is refused
with ``ImprovementError`` (``not_found`` / ``read_only``) as the other knowledge writes; a
file that cannot be kept raises ``AttachmentRefused`` (``attachment.error.<code>``).
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.deals.attachments import check_file
from salesboard.improvement.errors import ImprovementError
from salesboard.improvement.knowledge import may_write, practice
from salesboard.store.attachment_files import attachments_dir, read_blob, store_blob
from salesboard.store.models import PracticeFile
from salesboard.store.queries import frame_of
from salesboard.store.tables import PRACTICE_FILE, USER

FILE_COLUMNS = ("id", "filename", "content_type", "size_bytes", "uploaded_by", "uploaded_at")


def attach_file(
    session: Session, actor: Viewer, practice_id: int, filename: str, data: bytes
) -> PracticeFile:
    """Attach ``filename`` (``data``) to entry ``practice_id``: checked (``check_file``),
    written to the attachment store, its row added and audited in ``session`` (the caller
    commits)."""
    if not may_write(actor):
        raise ImprovementError("read_only", f"{actor.username} may not write best practices")
    entry = practice(session, practice_id)
    name, kind = check_file(filename, data)
    sha256 = store_blob(attachments_dir(session.get_bind().url), data)
    row = PracticeFile(
        practice_id=practice_id, filename=name, content_type=kind, size_bytes=len(data),
        sha256=sha256, uploaded_by=actor.user_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(
        session, actor, action="attach", entity="best_practice", entity_id=practice_id,
        summary=f"{entry['title']}: attached {name}",
        new={"filename": name, "size_bytes": len(data), "sha256": sha256},
    )  # fmt: skip
    return row


def files_of(session: Session, practice_id: int) -> pd.DataFrame:
    """The files of entry ``practice_id``, newest first (``FILE_COLUMNS``; ``uploaded_by``
    the uploader's name); empty for an entry that does not exist."""
    query = (
        select(
            PRACTICE_FILE.c.id,
            PRACTICE_FILE.c.filename,
            PRACTICE_FILE.c.content_type,
            PRACTICE_FILE.c.size_bytes,
            USER.c.display_name.label("uploaded_by"),
            PRACTICE_FILE.c.uploaded_at,
        )
        .outerjoin(USER, USER.c.id == PRACTICE_FILE.c.uploaded_by)
        .where(PRACTICE_FILE.c.practice_id == practice_id)
        .order_by(PRACTICE_FILE.c.uploaded_at.desc(), PRACTICE_FILE.c.id.desc())
    )
    return frame_of(session, query).reindex(columns=list(FILE_COLUMNS))


def read_file(session: Session, file_id: int) -> tuple[str, str, bytes] | None:
    """(file name, content type, content) of file ``file_id``; None when it does not exist
    or its content is missing from the store."""
    found = session.execute(
        select(PRACTICE_FILE.c.filename, PRACTICE_FILE.c.content_type, PRACTICE_FILE.c.sha256)
        .where(PRACTICE_FILE.c.id == file_id)
    ).one_or_none()  # fmt: skip
    if found is None:
        return None
    data = read_blob(attachments_dir(session.get_bind().url), found.sha256)
    return None if data is None else (found.filename, found.content_type, data)
