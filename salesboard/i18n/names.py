"""When two names are one name written differently: full-width and half-width forms,
spaces, letter case, invisible characters. One rule for every place that matches names: an
import matching a cell to a region or customer, the organisation refusing a second 华南 next
to 华南."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence

from pypinyin import Style, lazy_pinyin

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


def pinyin(text: str) -> str:
    """``text``'s Chinese characters as toneless pinyin, run together (华南 -> huanan); other
    characters are dropped."""
    return "".join(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))


def numbered(bases: Sequence[str], taken: Iterable[str], max_length: int) -> list[str]:
    """Each base made unique, in order, against ``taken`` and the earlier results (compared
    as ``name_key``) by the next free number: huanan, huanan2, huanan3 …"""
    used = {name_key(name) for name in taken if name}
    out: list[str] = []
    for base in bases:
        candidate, number = base, 1
        while name_key(candidate) in used:
            number += 1
            suffix = str(number)
            candidate = base[: max_length - len(suffix)] + suffix
        used.add(name_key(candidate))
        out.append(candidate)
    return out
