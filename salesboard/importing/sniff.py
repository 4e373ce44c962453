"""What an uploaded file really is, judged by its bytes (the name only adds a warning), and
the safety checks that run before any parser sees it: size, zip bombs, encryption.

Decisions: an HTML or XML-2003 page saved with an .xls name (a common export of Chinese web
systems) is refused with ``html_not_excel`` so the user re-saves it as a real .xlsx; its
tables are not scraped. A CSV with an .xlsx name (or the other way round) is read by its
content, with an ``extension_mismatch`` warning.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePath

from salesboard.importing.ole import CompoundFile
from salesboard.importing.problems import ReadWarning, RejectCode, SpreadsheetRejected, WarningCode

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
# A 50 MB workbook of sheet XML unpacks to well under 1 GB (real ratios are 5–20×).
DEFAULT_MAX_UNPACKED_BYTES = 1024 * 1024 * 1024
MAX_RATIO = 200  # deflate of real sheet XML stays far below this; zeros reach ~1000
_RATIO_MIN_SIZE = 1024 * 1024  # tiny members may compress absurdly well (empty styles)
MAX_MEMBERS = 10_000

WORKBOOK_FORMATS = ("xlsx", "xlsb", "ods", "xls")
_EXTENSIONS = {
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xltx": "xlsx", ".xltm": "xlsx", ".xlsb": "xlsb",
    ".ods": "ods", ".xls": "xls", ".xlt": "xls", ".csv": "csv", ".tsv": "csv", ".txt": "csv",
}  # fmt: skip
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_BINARY_MAGIC = (
    b"\x89PNG", b"%PDF", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"7z\xbc\xaf",
    b"\x7fELF", b"MZ", b"BM", b"II*\x00", b"MM\x00*", b"RIFF", b"\x00\x00\x01\x00",
)  # fmt: skip
_MARKUP = (b"<!doctype html", b"<html", b"<table", b"<head", b"<body", b"<meta", b"<style")
_XML_SPREADSHEET = b"urn:schemas-microsoft-com:office:spreadsheet"


@dataclass(frozen=True)
class Detected:
    """The real format of an upload: xlsx (also xlsm), xlsb, ods, xls or csv (any text)."""

    format: str
    warnings: list[ReadWarning] = field(default_factory=list)


def detect_format(
    data: bytes,
    name: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_unpacked_bytes: int = DEFAULT_MAX_UNPACKED_BYTES,
) -> Detected:
    """Format of ``data`` by content, after the size, zip-bomb and encryption checks.

    Raises SpreadsheetRejected (empty, too_large, not_a_spreadsheet, html_not_excel,
    zip_bomb, encrypted, corrupt).
    """
    if not data:
        raise SpreadsheetRejected(RejectCode.EMPTY)
    if len(data) > max_bytes:
        raise SpreadsheetRejected(RejectCode.TOO_LARGE, size=len(data), max_bytes=max_bytes)
    if data.startswith(_OLE2):
        kind = _ole_kind(data)
    elif data.startswith(_ZIP):
        kind = _zip_kind(data, max_unpacked_bytes)
    else:
        kind = _text_kind(data)
    expected = _EXTENSIONS.get(PurePath(name).suffix.lower())
    warnings = []
    if expected is not None and expected != kind:
        detail = {"extension": PurePath(name).suffix.lower(), "detected": kind}
        warnings.append(ReadWarning(WarningCode.EXTENSION_MISMATCH, detail))
    return Detected(kind, warnings)


def _zip_kind(data: bytes, max_unpacked_bytes: int) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise SpreadsheetRejected(RejectCode.CORRUPT) from None
    check_zip_members(members, max_unpacked_bytes)
    names = {m.filename for m in members}
    if "xl/workbook.xml" in names:
        kind = "xlsx"
    elif "xl/workbook.bin" in names:
        kind = "xlsb"
    elif "mimetype" in names and b"opendocument.spreadsheet" in archive.read("mimetype")[:100]:
        kind = "ods"
    else:
        raise SpreadsheetRejected(RejectCode.NOT_A_SPREADSHEET)
    verify_zip_sizes(archive, members)
    return kind


def check_zip_members(members: list[zipfile.ZipInfo], max_unpacked_bytes: int) -> None:
    """Refuse a zip by its central directory alone, before anything is decompressed: too
    many members, more declared bytes than allowed, an absurd ratio, or encryption."""
    if len(members) > MAX_MEMBERS:
        raise SpreadsheetRejected(RejectCode.ZIP_BOMB, members=len(members))
    declared = sum(m.file_size for m in members)
    if declared > max_unpacked_bytes:
        raise SpreadsheetRejected(
            RejectCode.ZIP_BOMB, unpacked=declared, max_unpacked_bytes=max_unpacked_bytes
        )
    for member in members:
        if member.flag_bits & 0x1:
            raise SpreadsheetRejected(RejectCode.ENCRYPTED)
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_MIN_SIZE and ratio > MAX_RATIO:
            raise SpreadsheetRejected(RejectCode.ZIP_BOMB, member=member.filename, ratio=ratio)


def verify_zip_sizes(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
    """Decompress every member in bounded chunks to prove its declared size and CRC are
    true, so a zip that lies in its directory never reaches the workbook reader (which
    trusts the directory). Costs one streaming pass; no member is held in memory."""
    try:
        for member in members:
            with archive.open(member) as stream:
                while stream.read(4 * 1024 * 1024):
                    pass
    except RuntimeError:  # zipfile's "file is encrypted, password required"
        raise SpreadsheetRejected(RejectCode.ENCRYPTED) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError):
        raise SpreadsheetRejected(RejectCode.CORRUPT) from None  # ValueError: bad offsets


def _ole_kind(data: bytes) -> str:
    """xls, or a refusal: Office keeps a password-protected .xlsx in an OLE2 file with
    EncryptionInfo/EncryptedPackage streams; Word/Outlook files have no Workbook stream."""
    try:
        names = CompoundFile(data).names()
    except (struct.error, IndexError, ValueError):
        raise SpreadsheetRejected(RejectCode.CORRUPT) from None
    if {"EncryptedPackage", "EncryptionInfo"} & names:
        raise SpreadsheetRejected(RejectCode.ENCRYPTED)
    if {"Workbook", "Book"} & names:
        return "xls"
    raise SpreadsheetRejected(RejectCode.NOT_A_SPREADSHEET)


def _text_kind(data: bytes) -> str:
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if head.startswith(_BINARY_MAGIC):
        raise SpreadsheetRejected(RejectCode.NOT_A_SPREADSHEET)
    utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head)
    probe = head.decode("utf-16", errors="ignore") if utf16 else head.decode("latin-1")
    probe_bytes = probe.encode("utf-8", errors="ignore").lstrip(b" \t\r\n").lower()
    if probe_bytes.startswith(_MARKUP) or (
        probe_bytes.startswith(b"<?xml") and (b"<html" in probe_bytes or _XML_SPREADSHEET in head)
    ):
        raise SpreadsheetRejected(RejectCode.HTML_NOT_EXCEL)
    if probe_bytes.startswith(b"mime-version:") and b"text/html" in probe_bytes:
        raise SpreadsheetRejected(RejectCode.HTML_NOT_EXCEL)  # Excel's "single file web page"
    if probe_bytes.startswith(b"<?xml"):
        raise SpreadsheetRejected(RejectCode.NOT_A_SPREADSHEET)
    if not utf16 and b"\x00" in data[:65536]:
        raise SpreadsheetRejected(RejectCode.NOT_A_SPREADSHEET)
    return "csv"


def _looks_utf16(head: bytes) -> bool:
    """UTF-16 text without a BOM: NUL in (nearly) every other byte of the start."""
    if len(head) < 4:
        return False
    even, odd = head[0::2], head[1::2]
    return max(even.count(0) / len(even), odd.count(0) / len(odd)) > 0.3
