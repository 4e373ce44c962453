"""The attachment store: files kept outside the database rows, named by the SHA-256 of their
content (``<dir>/ab/abcdef…``), so the same file attached twice is stored once and a stored
file never changes.

The directory is ``SALESBOARD_ATTACHMENTS_DIR``, else beside a SQLite store
(``<store name>-attachments/``: a copied or test store keeps its own files, the backup of a
store knows which files are its own) and ``data/attachments/`` for PostgreSQL (a shared
volume in a multi-server deployment; see docs/deployment.md). Every file is written to a
temporary name in its final directory, flushed to disk and renamed: a crash leaves either no
file or the whole file, never a part under the real name.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from sqlalchemy.engine import URL, make_url

from salesboard.store.settings import PROJECT_ROOT, get_settings

_HEX = frozenset("0123456789abcdef")


def attachments_dir(database_url: str | URL | None = None) -> Path:
    """The attachment directory of the store at ``database_url`` (default: the configured
    store)."""
    settings = get_settings()
    if settings.attachments_dir:
        return Path(settings.attachments_dir).resolve()
    url = make_url(str(database_url or settings.database_url))
    database = url.database or ""
    if url.get_backend_name() == "sqlite" and database and database != ":memory:":
        path = Path(database.removeprefix("file:").split("?")[0]).resolve()
        return path.with_name(f"{path.stem}-attachments")
    return PROJECT_ROOT / "data" / "attachments"


def content_address(data: bytes) -> str:
    """The SHA-256 of ``data`` in hex: the name it is stored under."""
    return hashlib.sha256(data).hexdigest()


def blob_path(directory: Path, sha256: str) -> Path:
    """Where the file named ``sha256`` lives in ``directory``."""
    if len(sha256) != 64 or not set(sha256) <= _HEX:
        raise ValueError(f"not a SHA-256: {sha256!r}")
    return directory / sha256[:2] / sha256


def _write_atomically(target: Path, data: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def store_blob(directory: Path, data: bytes) -> str:
    """Keep ``data`` in ``directory`` under its SHA-256 (once: a file already there is
    left as it is) and return that name."""
    sha256 = content_address(data)
    target = blob_path(directory, sha256)
    if not target.is_file():
        _write_atomically(target, data)
    return sha256


def read_blob(directory: Path, sha256: str) -> bytes | None:
    """The content stored as ``sha256``, or None when the file is missing."""
    try:
        return blob_path(directory, sha256).read_bytes()
    except (FileNotFoundError, ValueError):
        return None


def blob_names(directory: Path) -> list[str]:
    """The names (SHA-256) of the files in ``directory``."""
    if not directory.is_dir():
        return []
    return sorted(
        p.name for p in directory.glob("??/*") if p.is_file() and p.name[:2] == p.parent.name
    )


def copy_blobs(source: Path, target: Path) -> int:
    """Copy the files of attachment directory ``source`` missing from ``target`` (each
    written atomically); returns how many ``target`` holds from ``source`` in all."""
    names = blob_names(source)
    for name in names:
        destination = blob_path(target, name)
        if not destination.is_file():
            _write_atomically(destination, blob_path(source, name).read_bytes())
    return len(names)
