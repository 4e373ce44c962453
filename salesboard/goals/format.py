"""Goal values in the reader's units. Money reads through the one ``Locale`` (``money`` for a
value, ``money_unit`` for columns and axes); counts and working days with their unit ("12 家",
"31.5 工作日"). Targets and actuals are stored in minor units (money) or plain numbers."""

from __future__ import annotations

import math

from salesboard.i18n import t
from salesboard.i18n.locale import locale_for
from salesboard.store.models import MONEY_METRICS

# Goal templates (XLSX in and out) keep money in 万元 whatever the reader's language.
MINOR_PER_WAN = 100 * 10_000


def is_money(metric: str) -> bool:
    """True for metrics measured in money (revenue, collection)."""
    return metric in MONEY_METRICS


def display_factor(metric: str, lang: str) -> float:
    """Stored units per display unit: the locale's money unit (1,000,000 分 per 万元 in
    Chinese, 100 per yuan in English), 1 for counts and days."""
    if not is_money(metric):
        return 1.0
    return float(locale_for(lang).money_unit().minor_per_unit)


def unit_label(metric: str, lang: str) -> str:
    """The display unit: "万元", "CNY", "家", "visits", "工作日" …"""
    if is_money(metric):
        return locale_for(lang).money_unit().label
    return t(f"goals.unit.{metric}", lang)


def decimals(metric: str, lang: str) -> int:
    """Digits after the point of ``metric``'s values in display units (the money unit's;
    one for working days, none for counts)."""
    if is_money(metric):
        return locale_for(lang).money_unit().decimals
    return 1 if metric == "cycle_days" else 0


def to_display(value: float | None, metric: str, lang: str) -> float | None:
    """A stored value in display units (None stays None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) / display_factor(metric, lang)


def _trimmed(number: float, digits: int) -> str:
    text = f"{number:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_goal_value(value: float | None, metric: str, lang: str) -> str:
    """A target or actual for reading: money as everywhere else (``Locale.money``: "1,000.0万元",
    "¥10.00M"), counts and days with their unit ("12 家", "31.5 工作日"); "—" if None."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if is_money(metric):
        return locale_for(lang).money(value)
    digits = 1 if not float(value).is_integer() else 0
    return f"{_trimmed(float(value), digits)} {unit_label(metric, lang)}"


def format_share(ratio: float | None) -> str:
    """A share without a needless ".0": 0.6 → "60%", 0.5833 → "58.3%"; "—" if None."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "—"
    return f"{_trimmed(ratio * 100, 1)}%"
