"""Goal values in the reader's units: money in 万元 (zh) or thousands (en), counts, working
days. Targets and actuals are stored in minor units (money) or plain numbers."""

from __future__ import annotations

import math

from salesboard.i18n import t
from salesboard.store.models import MONEY_METRICS
from salesboard.store.settings import get_settings

MINOR_PER_WAN = 100 * 10_000
MINOR_PER_THOUSAND = 100 * 1_000


def is_money(metric: str) -> bool:
    """True for metrics measured in money (revenue, collection)."""
    return metric in MONEY_METRICS


def _currency() -> str:
    return get_settings().currency


def display_factor(metric: str, lang: str) -> float:
    """Stored units per display unit: 1,000,000 分 per 万元 (zh, CNY), 100,000 per thousand
    (en or another currency), 1 for counts and days."""
    if not is_money(metric):
        return 1.0
    return MINOR_PER_WAN if lang == "zh" and _currency() == "CNY" else MINOR_PER_THOUSAND


def unit_label(metric: str, lang: str) -> str:
    """The display unit: "万元", "k CNY", "家", "visits", "工作日" …"""
    if is_money(metric):
        if lang == "zh" and _currency() == "CNY":
            return t("unit.wan_yuan", lang)
        return t("goals.unit.thousand", lang, currency=_currency())
    return t(f"goals.unit.{metric}", lang)


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


def format_goal_value(value: float | None, metric: str, lang: str, *, compact: bool = False) -> str:
    """A target or actual for reading: "1,000 万元", "¥10M", "12 家", "31.5 工作日"; "—" if None.

    Money in zh: 万元 with up to 2 decimals (trailing zeros dropped); ``compact`` (for tiles)
    gives 亿元 from 1 亿 up and whole 万元 from 1,000 万. Money in en: ¥ with M/K.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if is_money(metric):
        currency = _currency()
        if lang == "zh" and currency == "CNY":
            wan = float(value) / MINOR_PER_WAN
            if compact and abs(wan) >= 10_000:
                return f"{_trimmed(wan / 10_000, 2)} {t('unit.yi_yuan', lang)}"
            digits = 0 if compact and abs(wan) >= 1_000 else 2
            return f"{_trimmed(wan, digits)} {t('unit.wan_yuan', lang)}"
        major = float(value) / 100
        symbol = {"CNY": "¥", "USD": "$", "EUR": "€"}.get(currency, currency + " ")
        sign, major = ("-" if major < 0 else ""), abs(major)
        if major >= 1_000_000:
            return f"{sign}{symbol}{_trimmed(major / 1_000_000, 2)}M"
        if major >= 10_000:
            return f"{sign}{symbol}{_trimmed(major / 1_000, 1)}K"
        return f"{sign}{symbol}{_trimmed(major, 0)}"
    digits = 1 if not float(value).is_integer() else 0
    return f"{_trimmed(float(value), digits)} {unit_label(metric, lang)}"


def format_share(ratio: float | None) -> str:
    """A share without a needless ".0": 0.6 → "60%", 0.5833 → "58.3%"; "—" if None."""
    if ratio is None or (isinstance(ratio, float) and math.isnan(ratio)):
        return "—"
    return f"{_trimmed(ratio * 100, 1)}%"
