"""One ``Locale`` per reader: how money, counts, shares, stamps, names and lists read in the
user's language, in the company's currency and time zone (``SALESBOARD_CURRENCY``,
``SALESBOARD_TIMEZONE``). Every page, chart, export and report formats through it, so one
value never reads two ways."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from salesboard.store.settings import get_settings

LANGUAGES = ("zh", "en")
CURRENCY_SYMBOL = {"CNY": "¥", "USD": "$", "EUR": "€", "HKD": "HK$", "JPY": "¥", "GBP": "£"}
# How a currency is named after 万 in Chinese ("万元", "万美元").
CURRENCY_ZH = {
    "CNY": "元",
    "USD": "美元",
    "EUR": "欧元",
    "HKD": "港元",
    "JPY": "日元",
    "GBP": "英镑",
}
MINOR_PER_MAJOR = 100  # amounts are stored in 分 / cents
WAN = 10_000
YI = 100_000_000


@dataclass(frozen=True)
class MoneyUnit:
    """The unit a table column or chart axis shows amounts in: ``minor_per_unit`` stored
    minor units per shown unit, its ``label`` ("万元", "CNY") and the ``decimals`` shown."""

    minor_per_unit: int
    label: str
    decimals: int = 0

    def text(self, minor: int | float | None) -> str:
        """A stored amount as a number in this unit ("1,019.5"); "—" if unknown."""
        if minor is None or minor != minor:
            return "—"
        return f"{float(minor) / self.minor_per_unit:,.{self.decimals}f}"


# Chinese amounts: (from, divisor in major units, unit before the currency name, decimals).
# One fixed number of decimals per unit, so a column of amounts reads evenly.
ZH_STEPS = ((YI, YI, "亿", 2), (WAN, WAN, "万", 1), (0, 1, "", 0))
# English amounts: thousands only from 10K, so ¥8,500 stays exact.
EN_STEPS = ((10**9, 10**9, "B", 2), (10**6, 10**6, "M", 2), (10_000, 1_000, "K", 0), (0, 1, "", 0))


@dataclass(frozen=True)
class Locale:
    """Formatting for one language in one currency and time zone."""

    lang: str
    currency: str = "CNY"
    zone: ZoneInfo = ZoneInfo("Asia/Shanghai")

    # --- money --------------------------------------------------------------------------

    @property
    def symbol(self) -> str:
        """The currency's symbol ("¥", "$"), or its code and a space when it has none."""
        return CURRENCY_SYMBOL.get(self.currency, f"{self.currency} ")

    def money(self, minor: int | float | Decimal | None, *, compact: bool = False) -> str:
        """An amount stored in minor units, the one way it reads in this language (tiles,
        tables, captions, hover text and exports alike): Chinese in 元 / 万元 / 亿元 with
        separators and 0 / 1 / 2 decimals ("8,500元", "1,019.5万元", "1.23亿元"), English
        with K / M / B ("¥8,500", "¥850K", "¥1.23M"); "—" if unknown. ``compact`` is ignored
        (there is one format; kept so existing calls read the same)."""
        del compact
        if minor is None or minor != minor:  # None or NaN
            return "—"
        major = Decimal(str(minor)) / MINOR_PER_MAJOR
        sign, value = ("-" if major < 0 else ""), abs(major)
        steps = ZH_STEPS if self.lang == "zh" else EN_STEPS
        # The first unit the amount reaches once rounded (999,999.99 reads ¥1.00M, not ¥1,000K).
        _, size, unit, digits = next(
            step for step in steps if round(value / step[1], step[3]) * step[1] >= step[0]
        )
        number = f"{value / size:,.{digits}f}"
        if self.lang == "zh":
            prefix = "" if self.currency == "CNY" else self.symbol
            return f"{sign}{prefix}{number}{unit}{CURRENCY_ZH.get(self.currency, self.currency)}"
        return f"{sign}{self.symbol}{number}{unit}"

    def money_unit(self) -> MoneyUnit:
        """The unit of amount columns and chart axes: 万元 (万 of the currency, one decimal
        as in ``money``) in Chinese, whole currency units in English."""
        if self.lang == "zh":
            name = CURRENCY_ZH.get(self.currency, self.currency)
            return MoneyUnit(WAN * MINOR_PER_MAJOR, f"万{name}", 1)
        return MoneyUnit(MINOR_PER_MAJOR, self.currency, 0)

    def money_axis(self) -> dict:
        """Plotly axis settings for amounts already in ``money_unit()``: thousands separators
        and the unit's decimals on hover (never "12k 万元"); the unit itself goes in the
        axis title, once."""
        return {"tickformat": ",.0f", "hoverformat": f",.{self.money_unit().decimals}f"}

    # --- numbers -----------------------------------------------------------------------

    @staticmethod
    def count(value: int | None) -> str:
        """A count with thousands separators; "—" if unknown."""
        return "—" if value is None else f"{value:,}"

    @staticmethod
    def percent(ratio: float | None, digits: int = 1) -> str:
        """A ratio as a percentage (0.8333 → "83.3%"); "—" if unknown."""
        if ratio is None or ratio != ratio:
            return "—"
        return f"{ratio * 100:.{digits}f}%"

    @staticmethod
    def points(points: float | None) -> str:
        """A change in percentage points ("+3.0 pp"); "—" if unknown."""
        return "—" if points is None else f"{points:+.1f} pp"

    # --- time --------------------------------------------------------------------------

    def stamp(self, moment: datetime | None) -> str:
        """A stored UTC moment as the company reads it: "2026-11-24 04:00" in its zone."""
        if moment is None or moment != moment:
            return ""
        if moment.tzinfo is None:  # stored naive = UTC
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    def clock_time(self, moment: datetime) -> str:
        """The time of day of a UTC moment in the company's zone ("14:05")."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.zone).strftime("%H:%M")

    @staticmethod
    def day(value: date | None) -> str:
        """A business date, the same in both languages ("2026-11-23"); "" if none."""
        return "" if value is None else value.isoformat()

    # --- text --------------------------------------------------------------------------

    def name(self, row: object, prefix: str = "name") -> str:
        """A record's name in this language (``name_zh`` / ``name_en`` of an object or a
        mapping), falling back to the English, then the Chinese one."""
        get = row.get if isinstance(row, Mapping) else lambda key: getattr(row, key, None)
        return get(f"{prefix}_{self.lang}") or get(f"{prefix}_en") or get(f"{prefix}_zh") or ""

    def name_column(self, prefix: str = "name") -> str:
        """The column of a frame that holds names in this language ("name_zh")."""
        return f"{prefix}_{self.lang}"

    def join(self, items: Iterable[object]) -> str:
        """Items in a run of text: "价格、预算" in Chinese, "price, budget" in English."""
        return ("、" if self.lang == "zh" else ", ").join(map(str, items))

    def labelled(self, label: str, value: object) -> str:
        """ "标签：值" / "Label: value"."""
        return f"{label}：{value}" if self.lang == "zh" else f"{label}: {value}"

    def with_unit(self, label: str, unit: str) -> str:
        """A header with its unit: "金额（万元）" / "Amount (CNY)"."""
        return f"{label}（{unit}）" if self.lang == "zh" else f"{label} ({unit})"


@lru_cache(maxsize=16)
def _locale(lang: str, currency: str, zone: str) -> Locale:
    return Locale(lang if lang in LANGUAGES else "zh", currency, ZoneInfo(zone))


def locale_for(lang: str) -> Locale:
    """The locale of ``lang`` in the configured currency and time zone."""
    settings = get_settings()
    return _locale(lang, settings.currency, settings.timezone)
