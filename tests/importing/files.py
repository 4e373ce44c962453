"""Real spreadsheet files made in memory for the import tests (no mocks): workbooks written
by xlsxwriter and xlwt, CSV/TSV text in several encodings, and hostile uploads (renamed
images, HTML named .xls, zip bombs, encrypted-workbook containers)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from datetime import date, datetime

import xlsxwriter
import xlwt

TITLE = "销售过程跟踪表"
# The tracking sheet as a person sees it (row numbers as Excel shows them):
#  1  销售过程跟踪表 (merged A1:G1)
#  2  制表人：张三 … 日期：2024-05-01
#  3  (blank)
#  4  编号 | 客户 | 阶段 | 计划 (C4:D4 merged) … | 金额 | 金额     (编号/客户 merged down to 5)
#  5       |      |      | 开始 | 结束              |      |
#  6  XS202405001 | 某科技有限公司 | 需求分析 | 45422 (serial) | 2024-05-09 (date cell) | 85万 | 850000
#  7  (blank row inside the data)
#  8  XS202405002 | YY制造集团 | 方案制定 | 2024/5/15 | 45430.75 | ¥850,000 | =1+1 cached 3
#  9  XS202405003 | 公式 | =HYPERLINK(...) cached 点击 | DDE formula cached 0 | … | #N/A
TRACKING_ROWS = [6, 8, 9]


def tracking_xlsx() -> bytes:
    """A Chinese tracking template: title, 制表人 line, two-row merged header, data with
    serial dates, date cells, 万 amounts, formulas with cached values, an error cell."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": datetime(2024, 5, 1, 9, 0)})  # same bytes on every call
    sheet = book.add_worksheet("跟踪表")
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.merge_range("A1:G1", TITLE)
    sheet.write("A2", "制表人：张三")
    sheet.write("F2", "日期：2024-05-01")
    sheet.merge_range("A4:A5", "编号")
    sheet.merge_range("B4:B5", "客户")
    sheet.merge_range("C4:C5", "阶段")
    sheet.merge_range("D4:E4", "计划")
    sheet.write_row("D5", ["开始", "结束"])
    sheet.merge_range("F4:G4", "金额")
    sheet.write_row("A6", ["XS202405001", "某科技有限公司", "需求分析", 45422])
    sheet.write_datetime("E6", datetime(2024, 5, 9), day)
    sheet.write_row("F6", ["85万", 850000])
    sheet.write_row("A8", ["XS202405002", "YY制造集团", "方案制定", "2024/5/15", 45430.75])
    sheet.write("F8", "¥850,000")
    sheet.write_formula("G8", "=1+1", None, 3)  # a wrong cached value: proves no evaluation
    sheet.write_row("A9", ["XS202405003", "公式"])
    sheet.write_formula("C9", '=HYPERLINK("http://example.invalid/x","点击")', None, "点击")
    sheet.write_formula("D9", "=cmd|' /C calc'!A0", None, 0)
    sheet.write_formula("G9", "=NA()", None, "#N/A")
    second = book.add_worksheet("说明")
    second.write("A1", "填写说明")
    book.add_worksheet("下拉选项").hide()
    book.close()
    return buffer.getvalue()


def simple_xlsx(rows: list[list[object]], sheet: str = "Sheet1") -> bytes:
    """A one-sheet workbook with ``rows`` written from A1 (dates as date cells)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    page = book.add_worksheet(sheet)
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, date):
                page.write_datetime(r, c, datetime(value.year, value.month, value.day), day)
            elif value is not None:
                page.write(r, c, value)
    book.close()
    return buffer.getvalue()


def tracking_xls() -> bytes:
    """A real BIFF8 .xls (xlwt): title merged over A1:D1, header on row 3, data from row 4."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表1")
    sheet.write_merge(0, 0, 0, 3, TITLE)
    for c, label in enumerate(["编号", "客户", "金额", "计划日期"]):
        sheet.write(2, c, label)
    day = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sheet.write(3, 0, "XS202405001")
    sheet.write(3, 1, "某科技")
    sheet.write(3, 2, 850000)
    sheet.write(3, 3, date(2024, 5, 10), day)
    sheet.write(4, 0, "XS202405002")
    sheet.write(4, 1, "YY制造")
    sheet.write(4, 2, "85万")
    sheet.write(4, 3, "2024年5月15日")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TEXT_ROWS = [
    ["销售过程跟踪表", "", "", "", ""],
    ["", "", "", "", ""],
    ["编号", "客户", "阶段", "计划日期", "金额"],
    ["XS202405001", "某科技有限公司", "需求分析", "2024年5月10日", "85万"],
    ["XS202405002", "YY制造集团，华东", "方案制定", "2024/5/15", "￥850,000"],
    ["XS202405003", 'He said "hi"; ok', "商务谈判", "20240520", "1,234,567.89"],
]


def text_table(rows: list[list[str]], delimiter: str) -> str:
    """Rows as CSV text (quoting fields that need it), CRLF line ends like Excel."""
    buffer = io.StringIO()
    import csv

    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


HTML_XLS = (
    '<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8">'
    "</head><body><table><tr><td>编号</td><td>金额</td></tr>"
    "<tr><td>XS1</td><td>85万</td></tr></table></body></html>"
).encode()

XML_SPREADSHEET_2003 = (
    b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
    b'<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="S">'
    b"</Worksheet></Workbook>"
)


def _workbook_skeleton(archive: zipfile.ZipFile) -> None:
    archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
    archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')


def zip_bomb(unpacked: int = 200 * 1024 * 1024) -> bytes:
    """An .xlsx-shaped zip whose sheet is ``unpacked`` bytes of zeros (about 1/1000 of that
    compressed), written in chunks so the test never holds the unpacked data."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        _workbook_skeleton(archive)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            block = bytes(1024 * 1024)
            for _ in range(unpacked // len(block)):
                member.write(block)
    return buffer.getvalue()


def lying_zip() -> bytes:
    """A zip whose directory says the sheet is 10 bytes while it inflates to 5 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        _workbook_skeleton(archive)
        archive.writestr("xl/worksheets/sheet1.xml", b"<" * (5 * 1024 * 1024))
    data = bytearray(buffer.getvalue())
    real = struct.pack("<I", 5 * 1024 * 1024)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            name_length = struct.unpack_from("<H", data, start + (26 if offset == 22 else 28))[0]
            name_at = start + (30 if offset == 22 else 46)
            if data[name_at : name_at + name_length] == b"xl/worksheets/sheet1.xml":
                assert data[start + offset : start + offset + 4] == real
                data[start + offset : start + offset + 4] = struct.pack("<I", 10)
            start += 4
    return bytes(data)


def docx_like_zip() -> bytes:
    """A Word-shaped zip (no xl/workbook.xml)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A minimal valid OLE2 compound file (version 3, 512-byte sectors) holding ``streams``
    (each padded to 4096 bytes so none lives in the mini stream)."""
    sector = 512
    padded = {name: body.ljust(max(4096, -(-len(body) // sector) * sector), b"\0")
              for name, body in streams.items()}  # fmt: skip
    data_sectors = sum(len(body) // sector for body in padded.values())
    n_sectors = 2 + data_sectors  # FAT, directory, data
    assert n_sectors <= sector // 4
    fat = [0xFFFFFFFF] * (sector // 4)
    fat[0], fat[1] = 0xFFFFFFFD, 0xFFFFFFFE
    entries = [_dir_entry("Root Entry", 5, child=1 if streams else 0xFFFFFFFF)]
    body_sectors, next_sector = [], 2
    for i, (name, body) in enumerate(padded.items()):
        count = len(body) // sector
        for k in range(count):
            fat[next_sector + k] = next_sector + k + 1 if k < count - 1 else 0xFFFFFFFE
        right = i + 2 if i + 1 < len(padded) else 0xFFFFFFFF
        entries.append(_dir_entry(name, 2, right=right, start=next_sector, size=len(streams[name])))
        body_sectors.append(body)
        next_sector += count
    directory = b"".join(entries).ljust(sector, b"\0")
    assert len(directory) == sector, "at most 4 directory entries in this tiny writer"
    header = bytearray(sector)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 0x28, 0, 1, 1, 0, 4096, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", header, 0x4C, 0, *([0xFFFFFFFF] * 108))
    return bytes(header) + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(body_sectors)


def _dir_entry(
    name: str, kind: int, *, right: int = 0xFFFFFFFF, child: int = 0xFFFFFFFF,
    start: int = 0xFFFFFFFE, size: int = 0,
) -> bytes:  # fmt: skip
    encoded = (name + "\0").encode("utf-16-le")
    entry = bytearray(128)
    entry[: len(encoded)] = encoded
    struct.pack_into("<HBBIII", entry, 0x40, len(encoded), kind, 1, 0xFFFFFFFF, right, child)
    struct.pack_into("<IQ", entry, 0x74, start, size)
    return bytes(entry)


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected .xlsx: an OLE2 file with EncryptionInfo
    and EncryptedPackage streams (contents here are placeholders)."""
    return compound_file(
        {"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(200), "EncryptedPackage": bytes(5000)}
    )


def word_97_doc() -> bytes:
    """An OLE2 file that is not a workbook (a Word 97 document's stream name)."""
    return compound_file({"WordDocument": bytes(4096)})


def broken_xls() -> bytes:
    """An OLE2 file with a Workbook stream that holds no BIFF records."""
    return compound_file({"Workbook": b"not biff" * 600})


def far_cell_xlsx() -> bytes:
    """A tiny workbook with one stray value at XFD1048576: its box is the whole grid."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, ["编号", "金额"])
    sheet.write_row(1, 0, ["XS1", 1])
    sheet.write(1_048_575, 16_383, "stray")
    book.close()
    return buffer.getvalue()


def far_cell_xls() -> bytes:
    """An .xls with A1 and a value at IV65536 (65536 × 256 cells)."""
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("S")
    sheet.write(0, 0, "编号")
    sheet.write(65535, 255, "stray")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def impossible_dimensions_xls() -> bytes:
    """tracking_xls() with its DIMENSIONS record's first row pushed past its last row; the
    reader would try to allocate hundreds of GB for it and abort the process."""
    data = bytearray(tracking_xls())
    at = data.find(b"\x00\x02\x0e\x00")
    assert at > 0
    struct.pack_into("<I", data, at + 4, 0x00730000)
    return bytes(data)
