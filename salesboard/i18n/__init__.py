"""Every user-facing string in zh-CN and English; numbers, money and dates read through
``locale.Locale`` (the ``format_*`` helpers here delegate to it).

Strings are looked up by key with ``t(key, lang)``; each feature keeps its strings in a
module of this package (``core``, ``pipeline`` …) exporting ``STRINGS``. A test checks every
key has both languages, so no page can show a half-translated screen.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from decimal import Decimal

from salesboard.i18n.locale import LANGUAGES as LANGUAGES
from salesboard.i18n.locale import Locale, locale_for

LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def _load_strings() -> dict[str, dict[str, str]]:
    """Merge ``STRINGS`` of every module in this package (one per feature), so features add
    their strings without touching a shared file; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        strings = getattr(importlib.import_module(f"{__name__}.{info.name}"), "STRINGS", None)
        if strings is None:  # not a string table (``locale``)
            continue
        clash = merged.keys() & strings.keys()
        if clash:
            raise RuntimeError(f"i18n keys defined twice ({info.name}): {sorted(clash)}")
        merged.update(strings)
    return merged


TRANSLATIONS: dict[str, dict[str, str]] = _load_strings()


def t(key: str, lang: str = "zh", **values: object) -> str:
    """The text for ``key`` in ``lang`` with ``{placeholders}`` filled; KeyError if unknown."""
    text = TRANSLATIONS[key].get(lang) or TRANSLATIONS[key]["en"]
    return text.format(**values) if values else text


def localized_name(row: object, lang: str) -> str:
    """``row.name_zh`` or ``row.name_en`` (for stages, regions, product lines)."""
    return locale_for(lang).name(row)


def format_money(
    minor: int | Decimal | None, lang: str, currency: str | None = None, *, compact: bool = False
) -> str:
    """Money from minor units in ``lang`` (see ``Locale.money``); the configured currency
    unless ``currency`` is given."""
    locale = locale_for(lang)
    if currency and currency != locale.currency:
        locale = Locale(locale.lang, currency, locale.zone)
    return locale.money(minor, compact=compact)


def format_percent(ratio: float | None, digits: int = 1) -> str:
    """A ratio as a percentage (0.8333 → "83.3%"); "—" when unknown."""
    return Locale.percent(ratio, digits)


def format_count(value: int | None) -> str:
    """A count with thousands separators."""
    return Locale.count(value)


def format_list(items: Iterable[object], lang: str) -> str:
    """Items in a run of text: "价格、预算" in Chinese, "price, budget" in English."""
    return locale_for(lang).join(items)


def format_points(points: float | None) -> str:
    """A change in percentage points ("-8.0 pp" / "-8.0 个百分点" is too long for tiles)."""
    return Locale.points(points)
