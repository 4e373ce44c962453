"""Uploads built to take the server down (issue 18, item 1): a far cell written in any
spelling XML allows, a sheet whose cells carry no references, a reader that dies. Each is
read in a child Python first, so a regression aborts that child, not the test run."""

from __future__ import annotations

import io
import os
import random
import subprocess
import sys
import textwrap
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesboard.importing import RejectCode, SpreadsheetRejected, list_sheets, read_sheet
from salesboard.importing.context import MappingError
from salesboard.importing.isolation import run_isolated
from salesboard.importing.service import KindNotDetected, prepare, read_upload, run_import
from salesboard.store import schema
from salesboard.store.db import create_store_engine, read_session
from tests.companies.importing import seed, viewer
from tests.importing import files
from tests.importing.helpers import snapshot

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def workbook_with_sheet_xml(sheet_data: str, *, prefix: str = "") -> bytes:
    """A valid one-sheet xlsx whose worksheet part holds ``sheet_data`` verbatim inside
    <sheetData> (elements written with namespace ``prefix`` when given)."""
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{_MAIN}"' if prefix else f'xmlns="{_MAIN}"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Default Extension="rels" ContentType="application/vnd.openxml'
            'formats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application'
            '/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
            'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{_MAIN}" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<?xml version="1.0"?><{p}worksheet {xmlns}><{p}sheetData>{sheet_data}'
            f"</{p}sheetData></{p}worksheet>",
        )
    return buffer.getvalue()


HEADER = '<row r="1"><c r="A1" t="inlineStr"><is><t>编号</t></is></c></row>'
FAR_CELL_SPELLINGS = {
    "single_quotes": HEADER + "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    "newline_before_r": HEADER + '<row\nr="1048576"><c\nr="XFD1048576"><v>1</v></c></row>',
    "tab_and_spaces_around_equals": HEADER + '<row r = "1048576"><c\tr =\t"XFD1048576">'
    "<v>1</v></c></row>",
    "character_reference": HEADER + '<row r="1048576"><c r="&#88;FD1048576"><v>1</v></c></row>',
    "only_the_row_is_far": HEADER + '<row r="1048576"><c><v>1</v></c></row>'
    + "<row>" + "<c><v>1</v></c>" * 20 + "</row>",
}  # fmt: skip

_CHILD = textwrap.dedent(
    """
    import resource, sys
    from salesboard.importing import SpreadsheetRejected, list_sheets, read_sheet
    data = sys.stdin.buffer.read()
    max_cells = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000_000
    if len(sys.argv) > 2:  # leave this process only a little memory above what it uses now
        with open("/proc/self/status") as status:
            size = next(int(line.split()[1]) for line in status if line.startswith("VmSize"))
        limit = size * 1024 + int(sys.argv[2]) * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    for call in (
        lambda: list_sheets(data, "x.xlsx"),
        lambda: read_sheet(data, "x.xlsx", max_cells=max_cells),
    ):
        try:
            print(call())
        except SpreadsheetRejected as error:
            print(error.code.value, dict(error.detail))
    """
)


def read_in_child(
    data: bytes, *, max_cells: int = 10_000_000, memory_mb: int | None = None
) -> subprocess.CompletedProcess:
    """list_sheets then read_sheet of ``data`` in a fresh Python (optionally with only
    ``memory_mb`` of address space to spare); its exit status shows whether it survived."""
    args = [sys.executable, "-c", _CHILD, str(max_cells), *([str(memory_mb)] if memory_mb else [])]
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return subprocess.run(args, input=data, capture_output=True, cwd=root, timeout=300)


@pytest.mark.parametrize("spelling", sorted(FAR_CELL_SPELLINGS))
def test_far_cell_in_any_xml_spelling_is_refused_without_killing_the_process(spelling):
    data = workbook_with_sheet_xml(FAR_CELL_SPELLINGS[spelling])
    assert len(data) < 2000
    done = read_in_child(data)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    listed, read = done.stdout.decode().splitlines()
    assert listed == "['S']"  # listing loads no cells
    assert read.startswith("too_large")


def test_far_cell_behind_a_namespace_prefix_is_refused():
    sheet = FAR_CELL_SPELLINGS["single_quotes"].replace("<", "<x:").replace("<x:/", "</x:")
    error = pytest.raises(
        SpreadsheetRejected, read_sheet, workbook_with_sheet_xml(sheet, prefix="x"), "x.xlsx"
    ).value
    assert error.code == RejectCode.TOO_LARGE


def test_cells_without_references_are_counted_by_position():
    """Rows and cells without ``r`` sit after the previous ones: 30 rows of 12 cells are a
    360-cell box, refused under a 300-cell bound and read under a 400-cell one."""
    rows = "".join("<row>" + "<c><v>1</v></c>" * 12 + "</row>" for _ in range(30))
    data = workbook_with_sheet_xml(rows)
    error = pytest.raises(SpreadsheetRejected, read_sheet, data, "x.xlsx", max_cells=300).value
    assert error.code == RejectCode.TOO_LARGE and error.detail["max_cells"] == 300
    assert read_sheet(data, "x.xlsx", max_cells=400).frame.shape == (29, 12)


def many_unreferenced_cells(rows: int, columns: int) -> bytes:
    """A sheet of ``rows`` × ``columns`` numeric cells without any ``r`` attribute, varied
    enough that it compresses like real data (not refused as a zip bomb)."""
    rng = random.Random(18)
    distinct = [
        "<row>" + "".join(f"<c><v>{rng.randrange(10**6)}</v></c>" for _ in range(columns))
        + "</row>"
        for _ in range(997)
    ]  # fmt: skip
    return workbook_with_sheet_xml("".join(distinct[i % 997] for i in range(rows)))


def test_sheet_without_cell_references_is_refused_before_the_reader_spends_memory():
    """4M cells the reader would hold (~300 MB) against a 1M-cell bound, in a process with
    150 MB to spare: the bound must refuse the sheet from its XML, before a reader allocates."""
    data = many_unreferenced_cells(40_000, 100)
    done = read_in_child(data, max_cells=1_000_000, memory_mb=150)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    listed, read = done.stdout.decode().splitlines()
    assert listed == "['S']"
    assert read.startswith("too_large")


def test_a_reader_that_aborts_is_a_refusal_and_this_process_lives():
    with pytest.raises(SpreadsheetRejected) as caught:
        run_isolated(os.abort)
    assert caught.value.code == RejectCode.UNREADABLE_SHEET
    assert caught.value.detail["signal"] == "SIGABRT"


def test_a_reader_that_exhausts_memory_is_refused_as_too_large():
    with pytest.raises(SpreadsheetRejected) as caught:
        run_isolated(bytearray, 64 * 1024**3)
    assert caught.value.code == RejectCode.TOO_LARGE


def test_a_reader_refusal_keeps_its_code_and_detail_across_the_process_boundary():
    with pytest.raises(SpreadsheetRejected) as caught:
        run_isolated(read_sheet, files.far_cell_xlsx(), "far.xlsx")
    assert caught.value.code == RejectCode.TOO_LARGE
    assert caught.value.detail["cells"] == 1_048_576 * 16_384


def test_a_reader_child_never_runs_the_parents_main_script(tmp_path, monkeypatch):
    """While a Streamlit page runs, ``__main__`` is the app script; a child re-running it
    would start the app (here: write a marker) instead of reading."""
    marker = tmp_path / "ran"
    script = tmp_path / "app.py"
    script.write_text(f"open({str(marker)!r}, 'w').write('x')\n")
    main = type(sys)("__main__")
    main.__file__ = str(script)
    monkeypatch.setitem(sys.modules, "__main__", main)
    assert list_sheets(files.tracking_xlsx(), "t.xlsx") == ["跟踪表", "说明"]
    assert not marker.exists()


def test_reading_through_the_child_gives_the_same_table():
    data = files.tracking_xlsx()
    table = read_sheet(data, "t.xlsx")
    assert list_sheets(data, "t.xlsx") == ["跟踪表", "说明"]
    assert table.frame.shape == (3, 7) and table.header_row == 4


# ---------------------------------------------------------------- fuzz of the whole upload path

_QUOTES = st.sampled_from(['"', "'"])
_SPACE = st.sampled_from([" ", "\n", "\t", "\r\n ", "  "])


@st.composite
def far_cell_sheets(draw) -> bytes:
    """A workbook whose last cell sits anywhere up to far beyond Excel's grid, its reference
    written with any quoting and whitespace, optionally behind a namespace prefix."""
    quote, space = draw(_QUOTES), draw(_SPACE)
    column = draw(st.sampled_from(["A", "Z", "AA", "XFD", "XFE", "ZZZZ"]))
    row = draw(st.integers(1, 10**12))
    cell = f"<c{space}r{draw(st.sampled_from(['=', ' = ']))}{quote}{column}{row}{quote}>"
    sheet = f"{HEADER}<row>{cell}<v>{draw(st.integers(0, 9))}</v></c></row>"
    if draw(st.booleans()):
        prefix = draw(st.sampled_from(["x", "ss", "main"]))
        sheet = sheet.replace("</", "\0").replace("<", f"<{prefix}:").replace("\0", f"</{prefix}:")
        return workbook_with_sheet_xml(sheet, prefix=prefix)
    return workbook_with_sheet_xml(sheet)


@st.composite
def deep_or_entity_sheets(draw) -> bytes:
    """Sheet XML nested thousands of levels deep, or with entity declarations (billion laughs,
    external entities), or cut off in the middle of a tag."""
    choice = draw(st.sampled_from(["deep", "laughs", "external", "cut"]))
    if choice == "deep":
        depth = draw(st.integers(100, 50_000))
        body = HEADER + '<row r="2"><c r="A2" t="inlineStr"><is>' + "<r>" * depth + "</r>" * depth
        return workbook_with_sheet_xml(body + "</is></c></row>")
    data = workbook_with_sheet_xml(HEADER)
    archive = zipfile.ZipFile(io.BytesIO(data))
    sheet = archive.read("xl/worksheets/sheet1.xml")
    if choice == "laughs":
        dtd = (
            '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            + "".join(
                f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(9)
            )
            + "]>"
        )
        sheet = sheet.replace(b"<worksheet", dtd.encode() + b"<worksheet").replace(
            "编号".encode(), b"&j;"
        )
    elif choice == "external":
        dtd = b'<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        sheet = sheet.replace(b"<worksheet", dtd + b"<worksheet").replace("编号".encode(), b"&e;")
    else:
        sheet = sheet[: draw(st.integers(10, len(sheet) - 1))]
    return _replace_member(data, "xl/worksheets/sheet1.xml", sheet)


def _replace_member(data: bytes, name: str, body: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in source.infolist():
            archive.writestr(
                member.filename, body if member.filename == name else source.read(member)
            )
    return buffer.getvalue()


WHOLE_WORKBOOKS = (files.tracking_xlsx(), files.far_cell_xlsx())  # made once: same bytes


@st.composite
def truncated_workbooks(draw) -> bytes:
    original = draw(st.sampled_from(WHOLE_WORKBOOKS))
    return original[: draw(st.integers(0, len(original) - 1))]


HOSTILE = st.one_of(
    st.binary(max_size=4000),
    truncated_workbooks(),
    far_cell_sheets(),
    deep_or_entity_sheets(),
)


@pytest.fixture(scope="module")
def fuzz_store(tmp_path_factory):
    """One seeded SQLite store for every fuzz example (nothing may change it)."""
    path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
    engine = create_store_engine(f"sqlite:///{path}")
    schema.upgrade(engine)
    company = seed(engine)
    yield engine, viewer(engine, company["rep_a"])
    engine.dispose()


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=HOSTILE, name=st.sampled_from(["a.xlsx", "a.xls", "a.csv", "a.ods", "a"]))
def test_hostile_uploads_never_crash_the_process_and_never_write(fuzz_store, data, name):
    store, rep = fuzz_store
    before = snapshot(store)
    try:
        list_sheets(data, name)
        table = read_upload(data, name)
    except SpreadsheetRejected as error:
        assert error.code in RejectCode
    else:
        with read_session(store) as session:
            try:
                prepared = prepare(session, table, rep, "opportunities")
            except (KindNotDetected, ValueError):
                prepared = None
        if prepared is not None:
            try:
                validation, result = run_import(
                    store, table, prepared.kind, prepared.mapping, rep, skip_invalid=False,
                    file_name=name,
                )  # fmt: skip
            except MappingError:  # the columns an import needs are not there
                pass
            else:
                assert result is None and not validation.clean
    assert snapshot(store) == before
