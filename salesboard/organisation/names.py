"""When two names are one name written differently: full-width and half-width forms,
spaces, letter case. Used to refuse a second 华南 next to 华南 and to flag near-duplicates
before an import creates them."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def name_key(name: str) -> str:
    """``name`` reduced to what a reader tells apart: NFKC (full-width letters, digits and
    brackets become half-width), no whitespace anywhere, lower case."""
    folded = unicodedata.normalize("NFKC", name)
    return "".join(folded.split()).casefold()


def same_name(name: str, names: Iterable[str]) -> str | None:
    """The first of ``names`` that is ``name`` written differently (or exactly), else None."""
    key = name_key(name)
    return next((other for other in names if name_key(other) == key), None)
