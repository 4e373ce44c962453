"""When two names are one name written differently: full-width and half-width forms,
spaces, letter case, invisible characters. One rule for every place that matches names: an
import matching a cell to a region or customer, the organisation refusing a second 华南 next
to 华南."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# str.translate table: drops those and control characters (tab and newlines are kept).
DROP_INVISIBLE = dict.fromkeys(
    (*map(ord, _INVISIBLE), *range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F)
)


def name_key(name: str) -> str:
    """``name`` reduced to what a reader tells apart: no invisible characters, NFKC (full-
    width letters, digits and brackets become half-width), no whitespace, case-folded."""
    folded = unicodedata.normalize("NFKC", name.translate(DROP_INVISIBLE)).casefold()
    return "".join(folded.split())


def same_name(name: str, names: Iterable[str]) -> str | None:
    """The first of ``names`` that is ``name`` written differently (or exactly), else None."""
    key = name_key(name)
    return next((other for other in names if name_key(other) == key), None)
