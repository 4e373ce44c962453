"""Files of best practices (both backends): writers attach, everyone lists and reads; the
type is read from the content (a renamed .exe is refused), the size is limited, a missing
entry is refused like the other knowledge writes, and every attach is audited."""

from __future__ import annotations

import pytest

from salesboard.accounts.audit import audit_trail
from salesboard.deals.attachments import PDF, AttachmentRefused
from salesboard.improvement.errors import ImprovementError
from salesboard.improvement.knowledge import create_practice
from salesboard.improvement.knowledge_files import attach_file, files_of, read_file
from salesboard.store.attachment_files import attachments_dir
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Role
from salesboard.store.settings import get_settings
from tests import builders as b

PDF_BYTES = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)


@pytest.fixture
def people(engine, tmp_path, monkeypatch):
    """A manager (a writer), a rep and one entry; on PostgreSQL the files go to a temporary
    directory (SQLite's default is beside the temporary store file)."""
    if engine.dialect.name != "sqlite":
        monkeypatch.setenv("SALESBOARD_ATTACHMENTS_DIR", str(tmp_path / "files"))
    get_settings.cache_clear()
    with write_session(engine) as s:
        one = b.team(s, "一组")
        ids = (b.user(s, "m1", Role.MANAGER, team=one, manages=[one]).id,
               b.user(s, "r1", team=one).id)  # fmt: skip
    m1, r1 = (b.viewer(engine, i) for i in ids)
    with write_session(engine) as s:
        entry = create_practice(s, m1, {"title": "需求调研清单"})
    yield m1, r1, entry
    monkeypatch.undo()
    get_settings.cache_clear()


def test_a_writer_attaches_and_everyone_lists_and_reads(engine, people):
    m1, r1, entry = people
    with write_session(engine) as s:
        file_id = attach_file(s, m1, entry, "调研模板.pdf", PDF_BYTES).id
    with read_session(engine) as s:
        files = files_of(s, entry)
        assert list(files["filename"]) == ["调研模板.pdf"]
        assert list(files["content_type"]) == [PDF]
        assert list(files["size_bytes"]) == [len(PDF_BYTES)]
        assert read_file(s, file_id) == ("调研模板.pdf", PDF, PDF_BYTES)
        assert read_file(s, file_id + 1000) is None
        assert files_of(s, entry + 1000).empty
        trail = audit_trail(s, entity="best_practice", entity_id=str(entry))
    assert "attach" in set(trail["action"])
    assert any(p.is_file() for p in attachments_dir(engine.url).rglob("*"))


def test_a_renamed_exe_and_an_oversized_file_are_refused(engine, people, monkeypatch):
    m1, _, entry = people
    with write_session(engine) as s, pytest.raises(AttachmentRefused) as refused:
        attach_file(s, m1, entry, "模板.pdf", EXE)
    assert refused.value.code == "type_not_allowed"
    monkeypatch.setenv("SALESBOARD_ATTACHMENT_MAX_MB", "1")
    get_settings.cache_clear()
    big = PDF_BYTES + bytes(1024 * 1024)
    with write_session(engine) as s, pytest.raises(AttachmentRefused) as refused:
        attach_file(s, m1, entry, "大文件.pdf", big)
    assert refused.value.code == "too_large"
    with read_session(engine) as s:
        assert files_of(s, entry).empty


def test_a_rep_and_a_missing_entry_are_refused(engine, people):
    m1, r1, entry = people
    with write_session(engine) as s, pytest.raises(ImprovementError) as refused:
        attach_file(s, r1, entry, "模板.pdf", PDF_BYTES)
    assert refused.value.code == "read_only"
    with write_session(engine) as s, pytest.raises(ImprovementError) as refused:
        attach_file(s, m1, entry + 1000, "模板.pdf", PDF_BYTES)
    assert refused.value.code == "not_found"
    with read_session(engine) as s:
        assert files_of(s, entry).empty
