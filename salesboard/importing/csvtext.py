"""CSV/TSV text: encoding detection, delimiter sniffing and a raw read that keeps every
cell as text and every record at its position (so row numbers match what Excel shows).

Encodings, in order: a BOM (UTF-8, UTF-16, UTF-32); UTF-16 without a BOM (NUL pattern);
strict UTF-8; GB18030 (a superset of GBK/GB2312, what Chinese Excel writes) when the text
looks like Chinese; Big5 likewise; then cp1252 or GB18030 with an ``encoding_guessed``
warning (the caller can pass an encoding instead). Delimiters: comma, tab, semicolon, pipe — never the full-width comma ，.
"""

from __future__ import annotations

import codecs
import csv
import io

import pandas as pd

from salesboard.importing.problems import ReadWarning, RejectCode, SpreadsheetRejected, WarningCode

DELIMITERS = (",", "\t", ";", "|")
SAMPLE_BYTES = 256 * 1024
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect_encoding(data: bytes) -> tuple[str, list[ReadWarning]]:
    """The encoding of a text upload and any warning about how sure we are."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding, []
    head = data[:4096]
    if len(head) >= 4:
        even, odd = head[0::2], head[1::2]
        if odd.count(0) / len(odd) > 0.3:
            return "utf-16-le", []
        if even.count(0) / len(even) > 0.3:
            return "utf-16-be", []
    if _decodes(data, "utf-8"):
        return "utf-8", []
    _refuse_mixed(data)
    for encoding, plausible in (("gb18030", _looks_simplified), ("big5", _looks_cjk)):
        if _decodes(data, encoding) and plausible(_sample(data, encoding)):
            return encoding, []
    # Not plausible Chinese: a Western export (Müller, Köln) is likelier than rare Hanzi.
    for encoding in ("cp1252", "gb18030"):
        if _decodes(data, encoding):
            return encoding, [ReadWarning(WarningCode.ENCODING_GUESSED, {"encoding": encoding})]
    raise SpreadsheetRejected(RejectCode.BAD_ENCODING)


def _refuse_mixed(data: bytes) -> None:
    """Refuse text whose lines are partly UTF-8 Chinese and partly another encoding (two
    exports pasted together): any single reading garbles some rows, and a garbled customer
    name would be created as a new customer. One pass over the non-ASCII lines."""
    utf8_line = other_line = None
    for number, line in enumerate(data.splitlines(), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other_line = other_line or number
        else:  # two CJK characters: GBK bytes are valid UTF-8 that way only by rare chance
            if utf8_line is None and sum("\u4e00" <= c <= "\u9fff" for c in text) >= 2:
                utf8_line = number
        if utf8_line and other_line:
            raise SpreadsheetRejected(
                RejectCode.MIXED_ENCODING, utf8_line=utf8_line, other_line=other_line
            )


def _decodes(data: bytes, encoding: str) -> bool:
    """Whether all of ``data`` decodes strictly, checked in chunks (no full copy)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    step = 1024 * 1024
    try:
        for start in range(0, len(data), step):
            decoder.decode(data[start : start + step], final=start + step >= len(data))
    except UnicodeDecodeError:
        return False
    return True


def _sample(data: bytes, encoding: str) -> str:
    return data[:SAMPLE_BYTES].decode(encoding, errors="ignore")


def _non_ascii(text: str) -> list[str]:
    return [c for c in text if ord(c) > 0x7F]


def _looks_simplified(text: str) -> bool:
    """Genuine GBK text is nearly all GB2312 characters; cp1252 or Big5 bytes read as GBK
    land in the rarely used extension areas."""
    chars = _non_ascii(text)
    if not chars:
        return True
    common = sum(1 for c in chars if _encodes(c, "gb2312"))
    return common / len(chars) >= 0.9


def _looks_cjk(text: str) -> bool:
    chars = _non_ascii(text)
    cjk = sum(1 for c in chars if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f")
    return bool(chars) and cjk / len(chars) >= 0.9


def _encodes(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def sniff_delimiter(sample: str, *, prefer_tab: bool = False) -> str:
    """The delimiter that splits the most sample lines into the same number (>1) of fields;
    ties go to the larger field count, then tab for .tsv/.txt, then comma."""
    lines = sample.splitlines()[:200]
    if len(lines) > 1:
        lines = lines[:-1]  # the last line of a sample may be cut short
    order = ("\t", ",", ";", "|") if prefer_tab else DELIMITERS
    best, best_score = ",", (0, 0, 0)
    for rank, delimiter in enumerate(order):
        counts = [len(row) for row in csv.reader(lines, delimiter=delimiter) if any(row)]
        if not counts:
            continue
        mode = max(set(counts), key=lambda n: (counts.count(n), n))
        score = (counts.count(mode) if mode > 1 else 0, mode, -rank)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def sample_text(data: bytes, encoding: str) -> str:
    """The first ~256 KB of the upload as text (a cut multi-byte character is dropped)."""
    return _sample(data, encoding).lstrip("\ufeff")


def read_text_grid(data: bytes, encoding: str, delimiter: str, width: int) -> pd.DataFrame:
    """Every record of the text as a row of str cells (missing where empty), columns
    0..width-1, index = record position (0-based; blank lines kept as empty rows).

    ``width`` is the most fields any record has; a record with more raises ParserError."""
    return pd.read_csv(
        io.BytesIO(data),
        encoding=encoding,
        sep=delimiter,
        header=None,
        names=range(width),
        index_col=False,
        dtype=str,
        keep_default_na=False,
        na_values=[""],
        skip_blank_lines=False,
        quotechar='"',
        doublequote=True,
        engine="c",
    )


def field_count(text: str, delimiter: str) -> int:
    """The largest number of fields of any record in ``text``."""
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return max((len(row) for row in rows), default=0)
