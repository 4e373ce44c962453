"""Files attached to a deal (deliverables: PDF, Word / Excel / PowerPoint old and new, PNG,
JPEG, GIF, WebP), checked by their content rather than their name, and kept in the
content-addressed attachment store (``store.attachment_files``) with one ``attachment`` row
each.

- The type is read from the bytes: each format's signature; an Office Open XML file (a zip)
  must hold the ``[Content_Types].xml`` part naming its main document (a zip that is not an
  Office document, a macro-enabled one or a renamed ``.exe`` is refused); a legacy Office
  file (OLE2) must hold its application's main stream. The name's extension must be one of
  the detected type's.
- The size limit is ``SALESBOARD_ATTACHMENT_MAX_MB`` (default 20).
- The file is written (temp file + rename) before the row is added, so a committed row
  always has its file; the same content attached twice is stored once.
- Scope: attaching needs the right to change the deal (``can_write_owned_by``); listing and
  reading need the right to read it. A deal or file out of scope reads as missing.

Refusals raise ``AttachmentRefused`` with a code translated as ``attachment.error.<code>``.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import PurePosixPath

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, can_read_owned_by, can_write_owned_by
from salesboard.importing.ole import CompoundFile
from salesboard.store.attachment_files import attachments_dir, read_blob, store_blob
from salesboard.store.models import Attachment
from salesboard.store.queries import frame_of
from salesboard.store.settings import get_settings
from salesboard.store.tables import ACTION, ATTACHMENT, OPP, USER

MAX_NAME = 200
ATTACHMENT_COLUMNS = (
    "id", "filename", "content_type", "size_bytes", "uploaded_by", "uploaded_at", "key_action_id",
)  # fmt: skip

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DOC, XLS, PPT = "application/msword", "application/vnd.ms-excel", "application/vnd.ms-powerpoint"
PNG, JPEG, GIF, WEBP = "image/png", "image/jpeg", "image/gif", "image/webp"
# Each allowed type with the extensions its files may carry.
EXTENSIONS = {
    PDF: ("pdf",), DOCX: ("docx",), XLSX: ("xlsx",), PPTX: ("pptx",), DOC: ("doc",),
    XLS: ("xls",), PPT: ("ppt",), PNG: ("png",), JPEG: ("jpg", "jpeg"), GIF: ("gif",),
    WEBP: ("webp",),
}  # fmt: skip
# The main part an Office Open XML package declares in [Content_Types].xml, per type.
_OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    PPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
}
# The stream that makes an OLE2 file a Word, Excel or PowerPoint document.
_OLE_MAIN = {DOC: ("WordDocument",), XLS: ("Workbook", "Book"), PPT: ("PowerPoint Document",)}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SIGNATURES = (
    (b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG), (b"GIF87a", GIF),
    (b"GIF89a", GIF),
)  # fmt: skip
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AttachmentRefused(ValueError):
    """An attachment that cannot be saved (or found): ``code`` is translated as
    ``attachment.error.<code>`` with ``params``."""

    def __init__(self, code: str, message: str, /, **params: object) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def _office_open_xml(data: bytes) -> str | None:
    """DOCX / XLSX / PPTX when ``data`` is a zip whose [Content_Types].xml names that main
    document part, else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            types = package.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError, ValueError):
        return None
    return next((kind for kind, main in _OOXML_MAIN.items() if f'"{main}"' in types), None)


def _legacy_office(data: bytes) -> str | None:
    """DOC / XLS / PPT when ``data`` is an OLE2 file holding that application's stream."""
    try:
        streams = CompoundFile(data).names()
    except Exception:  # a damaged or hostile container is simply not a document
        return None
    return next((kind for kind, names in _OLE_MAIN.items() if set(names) & streams), None)


def sniff_content_type(data: bytes) -> str | None:
    """The allowed type ``data`` is by its content (``EXTENSIONS``' keys), or None."""
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"PK\x03\x04"):
        return _office_open_xml(data)
    if data.startswith(_OLE2):
        return _legacy_office(data)
    return None


def _clean_name(filename: str) -> str:
    name = str(filename or "").strip()
    if (
        not name
        or len(name) > MAX_NAME
        or _CONTROL.search(name)
        or "/" in name
        or "\\" in name
        or name.startswith(".")
    ):
        raise AttachmentRefused("name_invalid", f"not a usable file name: {filename!r}")
    return name


def check_file(filename: str, data: bytes) -> tuple[str, str]:
    """(clean file name, content type) of an upload, or ``AttachmentRefused``: name_invalid,
    empty, too_large (over ``SALESBOARD_ATTACHMENT_MAX_MB``), type_not_allowed (the content
    is no allowed type, or the name's extension is not that type's)."""
    name = _clean_name(filename)
    if not data:
        raise AttachmentRefused("empty", f"{name} is empty", name=name)
    limit_mb = get_settings().attachment_max_mb
    if len(data) > limit_mb * 1024 * 1024:
        raise AttachmentRefused("too_large", f"{name} is over {limit_mb} MB", name=name,
                                limit=limit_mb)  # fmt: skip
    kind = sniff_content_type(data)
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if kind is None or extension not in EXTENSIONS[kind]:
        raise AttachmentRefused("type_not_allowed", f"{name}: not an allowed file type",
                                name=name)  # fmt: skip
    return name, kind


def _deal(session: Session, opportunity_id: int):
    return session.execute(
        select(OPP.c.id, OPP.c.code, OPP.c.owner_id, OPP.c.team_id).where(
            OPP.c.id == opportunity_id
        )
    ).one_or_none()


def save_attachment(
    session: Session,
    actor: Viewer,
    opportunity_id: int,
    filename: str,
    data: bytes,
    *,
    key_action_id: int | None = None,
) -> Attachment:
    """Attach file ``filename`` (``data``) to deal ``opportunity_id`` (and to one of its key
    actions): checked (``check_file``), written to the attachment store, its row added and
    audited in ``session`` (the caller commits). A deal ``actor`` may not read, or a key
    action not of this deal, is ``not_found``; a deal they may only read is ``read_only``."""
    deal = _deal(session, opportunity_id)
    if deal is None or not can_read_owned_by(actor, deal.owner_id, deal.team_id):
        raise AttachmentRefused("not_found", f"no deal {opportunity_id}")
    if not can_write_owned_by(actor, deal.owner_id, deal.team_id):
        raise AttachmentRefused("read_only", f"{actor.username} may not change {deal.code}",
                                deal=deal.code)  # fmt: skip
    if key_action_id is not None:
        owner = session.execute(
            select(ACTION.c.opportunity_id).where(ACTION.c.id == key_action_id)
        ).scalar_one_or_none()
        if owner != deal.id:
            raise AttachmentRefused("not_found", f"no key action {key_action_id} on {deal.code}")
    name, kind = check_file(filename, data)
    sha256 = store_blob(attachments_dir(session.get_bind().url), data)
    row = Attachment(
        opportunity_id=deal.id, key_action_id=key_action_id, filename=name, content_type=kind,
        size_bytes=len(data), sha256=sha256, uploaded_by=actor.user_id,
    )  # fmt: skip
    session.add(row)
    session.flush()
    audit.record(
        session, actor, action="attach", entity="opportunity", entity_id=deal.code,
        summary=f"attached {name}", new={"filename": name, "size_bytes": len(data),
                                         "sha256": sha256, "key_action_id": key_action_id},
    )  # fmt: skip
    return row


def attachments_of(session: Session, viewer: Viewer, opportunity_id: int) -> pd.DataFrame:
    """The files of deal ``opportunity_id``, newest first (``ATTACHMENT_COLUMNS``;
    ``uploaded_by`` the uploader's name); empty for a deal ``viewer`` may not read."""
    deal = _deal(session, opportunity_id)
    if deal is None or not can_read_owned_by(viewer, deal.owner_id, deal.team_id):
        return pd.DataFrame(columns=list(ATTACHMENT_COLUMNS))
    query = (
        select(
            ATTACHMENT.c.id,
            ATTACHMENT.c.filename,
            ATTACHMENT.c.content_type,
            ATTACHMENT.c.size_bytes,
            USER.c.display_name.label("uploaded_by"),
            ATTACHMENT.c.uploaded_at,
            ATTACHMENT.c.key_action_id,
        )  # fmt: skip
        .outerjoin(USER, USER.c.id == ATTACHMENT.c.uploaded_by)
        .where(ATTACHMENT.c.opportunity_id == deal.id)
        .order_by(ATTACHMENT.c.uploaded_at.desc(), ATTACHMENT.c.id.desc())
    )
    return frame_of(session, query).reindex(columns=list(ATTACHMENT_COLUMNS))


def read_attachment(
    session: Session, viewer: Viewer, attachment_id: int
) -> tuple[str, str, bytes] | None:
    """(file name, content type, content) of attachment ``attachment_id``; None when it does
    not exist, its deal is out of ``viewer``'s scope or its file is missing — all alike."""
    found = session.execute(
        select(
            ATTACHMENT.c.filename,
            ATTACHMENT.c.content_type,
            ATTACHMENT.c.sha256,
            OPP.c.owner_id,
            OPP.c.team_id,
        )  # fmt: skip
        .join(OPP, OPP.c.id == ATTACHMENT.c.opportunity_id)
        .where(ATTACHMENT.c.id == attachment_id)
    ).one_or_none()
    if found is None or not can_read_owned_by(viewer, found.owner_id, found.team_id):
        return None
    data = read_blob(attachments_dir(session.get_bind().url), found.sha256)
    return None if data is None else (found.filename, found.content_type, data)
