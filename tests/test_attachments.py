"""Deal attachments (``deals.attachments``) on both backends: types read from the content
(renamed files refused), the size limit, scope (another rep's deal or file reads as missing),
one stored file per content, atomic files beside the rows, and backup → restore bringing the
files back (and a backup made without attachments still restoring)."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import pytest

from salesboard.deals import attachments as files
from salesboard.deals.attachments import (
    AttachmentRefused,
    attachments_of,
    check_file,
    read_attachment,
    save_attachment,
)
from salesboard.store import backup
from salesboard.store.attachment_files import attachments_dir, blob_names, content_address
from salesboard.store.db import read_session, write_session
from salesboard.store.models import AuditLog
from salesboard.store.settings import get_settings
from tests import builders as b
from tests.companies import pipeline as company
from tests.importing.files import (
    compound_file,
    docx_like_zip,
    png_bytes,
    tracking_xls,
    tracking_xlsx,
    word_97_doc,
)

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def office_zip(main: str | None, *, extra: str = "") -> bytes:
    """A zip package whose [Content_Types].xml declares ``main`` as its main part."""
    buffer = io.BytesIO()
    override = f'<Override PartName="/x.xml" ContentType="{main}"/>' if main else ""
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("[Content_Types].xml", f"<Types>{override}{extra}</Types>")
        package.writestr("x.xml", "<x/>")
    return buffer.getvalue()


DOCX_BYTES = office_zip(f"{files.DOCX}.main+xml")
PPTX_BYTES = office_zip(f"{files.PPTX}.main+xml")
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("方案.pdf", PDF_BYTES, files.PDF),
        ("需求分析报告.docx", DOCX_BYTES, files.DOCX),
        ("报价.xlsx", tracking_xlsx(), files.XLSX),
        ("汇报.pptx", PPTX_BYTES, files.PPTX),
        ("旧合同.doc", word_97_doc(), files.DOC),
        ("旧报价.XLS", tracking_xls(), files.XLS),
        ("旧汇报.ppt", compound_file({"PowerPoint Document": bytes(4096)}), files.PPT),
        ("现场.png", png_bytes(), files.PNG),
        ("现场.jpeg", b"\xff\xd8\xff\xe0" + bytes(100), files.JPEG),
        ("现场.jpg", b"\xff\xd8\xff\xe1" + bytes(100), files.JPEG),
        ("动图.gif", b"GIF89a" + bytes(100), files.GIF),
        ("图.webp", b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(100), files.WEBP),
    ],
)
def test_allowed_types_are_recognised_by_their_content(name, data, kind):
    assert check_file(name, data) == (name, kind)


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("report.pdf", EXE, "type_not_allowed"),  # a renamed .exe
        ("setup.exe", EXE, "type_not_allowed"),
        ("方案.docx", PDF_BYTES, "type_not_allowed"),  # a PDF renamed .docx
        ("方案.pdf", DOCX_BYTES, "type_not_allowed"),  # and the other way round
        ("打包.docx", docx_like_zip(), "type_not_allowed"),  # a zip with no main part
        ("宏.docx", office_zip(f"{files.DOCX}.macroEnabled.main+xml"), "type_not_allowed"),
        ("加密.xlsx", compound_file({"EncryptedPackage": bytes(5000)}), "type_not_allowed"),
        ("notes.txt", b"plain text", "type_not_allowed"),
        ("page.html", b"<html><script>alert(1)</script></html>", "type_not_allowed"),
        ("无扩展名", PDF_BYTES, "type_not_allowed"),
        ("", PDF_BYTES, "name_invalid"),
        ("../../etc/passwd.pdf", PDF_BYTES, "name_invalid"),
        ("a\\b.pdf", PDF_BYTES, "name_invalid"),
        (".hidden.pdf", PDF_BYTES, "name_invalid"),
        ("bad\x00name.pdf", PDF_BYTES, "name_invalid"),
        ("x" * 197 + ".pdf", PDF_BYTES, "name_invalid"),
        ("空.pdf", b"", "empty"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused(name, data, code):
    with pytest.raises(AttachmentRefused) as refused:
        check_file(name, data)
    assert refused.value.code == code


def test_the_size_limit_comes_from_the_setting(monkeypatch):
    monkeypatch.setenv("SALESBOARD_ATTACHMENT_MAX_MB", "1")
    get_settings.cache_clear()
    try:
        exactly = PDF_BYTES + bytes(1024 * 1024 - len(PDF_BYTES))
        assert check_file("a.pdf", exactly)[1] == files.PDF
        with pytest.raises(AttachmentRefused) as refused:
            check_file("a.pdf", exactly + b"\0")
        assert (refused.value.code, refused.value.params["limit"]) == ("too_large", 1)
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()
    assert get_settings().attachment_max_mb == 20  # the default


# --- the store ---------------------------------------------------------------------------


@pytest.fixture
def store(engine, tmp_path, monkeypatch):
    """The pipeline company; on PostgreSQL the files go to a temporary directory (SQLite's
    default is beside the store file, itself temporary)."""
    if engine.dialect.name != "sqlite":
        monkeypatch.setenv("SALESBOARD_ATTACHMENTS_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    yield company.build(engine)
    monkeypatch.undo()
    get_settings.cache_clear()


def attach(store, who: str, label: str, name: str = "方案.pdf", data: bytes = PDF_BYTES, **kw):
    with write_session(store.engine) as s:
        row = save_attachment(s, store.viewers[who], store.deals[label], name, data, **kw)
        return row.id


def read(store, who: str, attachment_id: int):
    with read_session(store.engine) as s:
        return read_attachment(s, store.viewers[who], attachment_id)


def listed(store, who: str, label: str):
    with read_session(store.engine) as s:
        return attachments_of(s, store.viewers[who], store.deals[label])


def test_files_sit_beside_a_sqlite_store_or_in_the_configured_directory(store):
    directory = attachments_dir(store.engine.url)
    if store.engine.dialect.name == "sqlite":
        database = store.engine.url.database
        assert directory.parent == Path(database).resolve().parent
        assert directory.name == "test-attachments"
    else:
        assert directory == Path(get_settings().attachments_dir)


def test_a_rep_attaches_and_reads_within_scope_only(store):
    with write_session(store.engine) as s:
        action = b.key_action(s, store.deals["D1"], stage="lead", planned_on="2026-03-06").id
        other = b.key_action(s, store.deals["D2"], stage="lead", planned_on="2026-03-06").id
    found = attach(store, "ra", "D1", key_action_id=action)
    assert read(store, "ra", found) == ("方案.pdf", files.PDF, PDF_BYTES)
    assert read(store, "ma", found) == ("方案.pdf", files.PDF, PDF_BYTES)  # the rep's manager
    assert read(store, "leader", found) is not None
    # another rep and another team's manager: exactly like an id that does not exist
    assert read(store, "rb", found) is None and read(store, "mb", found) is None
    assert read(store, "rb", found) == read(store, "ra", found + 1000)
    rows = listed(store, "ra", "D1")
    assert rows[["filename", "content_type", "size_bytes", "uploaded_by", "key_action_id"]]\
        .values.tolist() == [["方案.pdf", files.PDF, len(PDF_BYTES), "销售A", action]]  # fmt: skip
    assert listed(store, "rb", "D1").empty
    with read_session(store.engine) as s:
        audited = s.query(AuditLog).filter(AuditLog.action == "attach").one()
    assert audited.entity_id == store.codes["D1"]
    for who, label, kwargs, code in (
        ("ra", "D6", {}, "not_found"),  # another rep's deal
        ("leader", "D1", {}, "read_only"),  # leaders read only
        ("ra", "D1", {"key_action_id": other}, "not_found"),  # not this deal's
    ):
        with pytest.raises(AttachmentRefused) as refused:
            attach(store, who, label, **kwargs)
        assert refused.value.code == code


def test_the_same_content_is_stored_once_and_a_missing_file_reads_as_missing(store):
    first = attach(store, "ra", "D1", "方案.pdf")
    second = attach(store, "ra", "D2", "方案-副本.pdf")
    directory = attachments_dir(store.engine.url)
    assert blob_names(directory) == [content_address(PDF_BYTES)]
    assert read(store, "ra", second)[0] == "方案-副本.pdf"
    assert not list(directory.rglob(".partial-*"))  # no temporary file left behind
    shutil.rmtree(directory)
    assert read(store, "ra", first) is None


def test_a_refused_file_leaves_no_row_and_no_file(store):
    with pytest.raises(AttachmentRefused):
        attach(store, "ra", "D1", "report.pdf", EXE)
    assert listed(store, "ra", "D1").empty
    assert blob_names(attachments_dir(store.engine.url)) == []


def test_backup_and_restore_bring_the_files_back(store, tmp_path):
    old_backup = backup.backup(store.engine, tmp_path / "before.bak")  # no attachments yet
    assert old_backup.attachments == 0
    assert not backup.attachments_beside(old_backup.path).exists()
    image = attach(store, "ra", "D1", "现场.png", png_bytes())
    sheet = attach(store, "rb", "D6", "报价.xlsx", tracking_xlsx())
    made = backup.backup(store.engine, tmp_path / "store.bak")
    assert made.attachments == 2
    shutil.rmtree(attachments_dir(store.engine.url))  # the files are lost
    assert read(store, "ra", image) is None
    restored = backup.restore(store.engine, made.path, overwrite=True)
    assert restored.attachments == 2
    assert read(store, "ra", image) == ("现场.png", files.PNG, png_bytes())
    assert read(store, "rb", sheet) == ("报价.xlsx", files.XLSX, tracking_xlsx())
    # a backup made before the store had attachments restores as before
    backup.restore(store.engine, old_backup.path, overwrite=True)
    assert listed(store, "ra", "D1").empty
