"""Every user-facing string in zh-CN and English, and locale-aware number formatting.

Strings are looked up by key with ``t(key, lang)``; each feature keeps its strings in a
module of this package (``core``, ``pipeline`` …) exporting ``STRINGS``. A test checks every
key has both languages, so no page can show a half-translated screen.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable
from decimal import Decimal

LANGUAGES = ("zh", "en")
LANGUAGE_NAMES = {"zh": "中文", "en": "English"}


def _load_strings() -> dict[str, dict[str, str]]:
    """Merge ``STRINGS`` of every module in this package (one per feature), so features add
    their strings without touching a shared file; a key defined twice is an error."""
    merged: dict[str, dict[str, str]] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        strings = importlib.import_module(f"{__name__}.{info.name}").STRINGS
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
    return getattr(row, f"name_{lang}", None) or row.name_en  # type: ignore[attr-defined]


_CURRENCY_SYMBOL = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$"}


def format_money(
    minor: int | Decimal | None, lang: str, currency: str = "CNY", *, compact: bool = False
) -> str:
    """Money from minor units: zh in 万元 ("85.00 万元", compact "85.0万"), en as ¥1.23M / ¥850K."""
    if minor is None:
        return "—"
    major = Decimal(minor) / 100
    if lang == "zh" and currency == "CNY":
        wan = major / 10000
        return f"{wan:,.1f}万" if compact else f"{wan:,.2f} 万元"
    symbol = _CURRENCY_SYMBOL.get(currency, currency + " ")
    sign = "-" if major < 0 else ""
    value = abs(major)
    if value >= 1_000_000:
        return f"{sign}{symbol}{value / 1_000_000:,.2f}M"
    if value >= 10_000:
        return f"{sign}{symbol}{value / 1_000:,.0f}K"
    return f"{sign}{symbol}{value:,.0f}"


def format_percent(ratio: float | None, digits: int = 1) -> str:
    """A ratio as a percentage (0.8333 → "83.3%"); "—" when unknown."""
    if ratio is None or ratio != ratio:  # NaN check without numpy
        return "—"
    return f"{ratio * 100:.{digits}f}%"


def format_count(value: int | None) -> str:
    """A count with thousands separators."""
    return "—" if value is None else f"{value:,}"


def format_list(items: Iterable[object], lang: str) -> str:
    """Items in a run of text: "价格、预算" in Chinese, "price, budget" in English."""
    return ("、" if lang == "zh" else ", ").join(map(str, items))


def format_points(points: float | None) -> str:
    """A change in percentage points ("-8.0 pp" / "-8.0 个百分点" is too long for tiles)."""
    return "—" if points is None else f"{points:+.1f} pp"
