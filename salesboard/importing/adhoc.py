"""Ad-hoc analysis of an uploaded sheet without importing it: typed columns, a column
profile, a pivot, chart data, and an optional join to the store's reps and customers.
Pure pandas (the join reads reference data only). Money stays in the unit its header
names (金额（万元） in 万元, else yuan), so figures read as the user wrote them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.importing.lookups import load_reference
from salesboard.importing.mapping import header_unit, scale_bare_numbers
from salesboard.importing.readers import RawTable
from salesboard.importing.values import (
    match_key,
    normalize_text_column,
    parse_amount_column,
    parse_date_column,
    parse_percent_column,
)
from salesboard.store.models import Customer, Role

COLUMN_TYPES = ("date", "money", "number", "percent", "text")
AGGREGATIONS = ("sum", "mean", "count", "nunique", "min", "max")
CHART_KINDS = ("bar", "line", "funnel", "treemap")
_SAMPLE = 2_000  # cells per column tried when guessing its type
_MONEY_HINTS = (
    "金额",
    "万元",
    "元",
    "amount",
    "value",
    "收入",
    "营收",
    "销售额",
    "回款",
    "目标",
    "¥",
    "￥",
)
_DATE_HINTS = ("日期", "时间", "date", "月份", "day")


@dataclass(frozen=True)
class TypedSheet:
    """An upload with typed columns (dates, floats in yuan, ratios, text) and the type
    guessed for each column."""

    frame: pd.DataFrame
    kinds: dict[str, str]


def _share(ok: pd.Series, filled: int) -> float:
    return float(ok.sum()) / filled if filled else 0.0


def _guess(name: str, raw: pd.Series) -> str:
    sample = raw.dropna()
    sample = sample[sample.astype(str).str.strip() != ""].head(_SAMPLE)
    filled = len(sample)
    if not filled:
        return "text"
    header = match_key(name) or ""
    texts = sample.astype(str)
    dates = parse_date_column(sample)
    is_date_cell = sample.map(lambda v: hasattr(v, "year")).to_numpy(dtype=bool)
    date_ok = dates.values.notna()
    plain_number = texts.str.fullmatch(r"-?[\d,]+(\.\d+)?").to_numpy(dtype=bool)
    dated_header = any(h in header for h in _DATE_HINTS)
    # Bare numbers are dates only under a date-like header (45422 in an amount column is money).
    date_like = is_date_cell | (date_ok.to_numpy(dtype=bool) & (~plain_number | dated_header))
    if date_like.mean() >= 0.8:
        return "date"
    if texts.str.contains("%", regex=False).mean() >= 0.8:
        return "percent"
    amounts = parse_amount_column(sample)
    if _share(amounts.values.notna(), filled) >= 0.9:
        money_text = texts.str.contains(r"[万亿¥￥元]|RMB|CNY", regex=True).mean() >= 0.3
        if money_text or any(h in header for h in _MONEY_HINTS):
            return "money"
        return "number"
    return "text"


def typed_sheet(table: RawTable) -> TypedSheet:
    """The upload's columns parsed by their guessed type (unparseable cells become empty)."""
    columns: dict[str, pd.Series] = {}
    kinds: dict[str, str] = {}
    for name in table.columns:
        raw = table.frame[name]
        kind = _guess(name, raw)
        kinds[name] = kind
        if kind == "date":
            values = parse_date_column(raw).values
        elif kind in ("money", "number"):
            fen = parse_amount_column(raw).values.reset_index(drop=True)
            unit = header_unit(name) or 0
            if unit:  # 金额（万元）: 85 and 85万 both mean 85 in the header's unit
                fen = scale_bare_numbers(raw.reset_index(drop=True), fen, unit)
            values = fen.astype("Float64") / 100 / 10**unit
        elif kind == "percent":
            values = parse_percent_column(raw).values
        else:
            values = normalize_text_column(raw).values
        columns[name] = values.reset_index(drop=True)
    frame = pd.DataFrame(columns)
    frame.index = pd.Index(table.row_numbers, name="row")
    return TypedSheet(frame, kinds)


PROFILE_COLUMNS = ("column", "type", "filled", "empty", "distinct", "top", "min", "max", "sum")


def profile(sheet: TypedSheet) -> pd.DataFrame:
    """One row per column: guessed type, filled and empty cells, distinct values, the most
    frequent values, and min / max (as text, in the column's format) / sum of numbers."""
    rows = []
    for name in sheet.frame.columns:
        values = sheet.frame[name]
        kind = sheet.kinds[name]
        filled = int(values.notna().sum())
        counts = values.value_counts(dropna=True).head(3)
        top = "、".join(f"{_shown(v, kind)} ({c})" for v, c in counts.items())
        ordered = kind in ("money", "number", "percent", "date") and filled
        rows.append(
            (name, kind, filled, len(values) - filled, int(values.nunique(dropna=True)), top,
             _shown(values.min(), kind) if ordered else "",
             _shown(values.max(), kind) if ordered else "",
             float(values.sum()) if kind in ("money", "number") and filled else None)
        )  # fmt: skip
    return pd.DataFrame(rows, columns=list(PROFILE_COLUMNS))


def _shown(value: object, kind: str) -> str:
    """A value as short text in its column's format (2024-05-10, 1,234,567.00, 83.3%)."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat()
    if kind == "percent":
        return f"{float(value):.1%}"
    if kind in ("money", "number"):
        number = float(value)
        return f"{number:,.0f}" if number.is_integer() else f"{number:,.2f}"
    text = str(value)
    return text if len(text) <= 30 else text[:29] + "…"


def pivot(
    frame: pd.DataFrame,
    rows: Sequence[str],
    columns: Sequence[str] = (),
    values: str | None = None,
    aggregation: str = "sum",
    *,
    date_bucket: str | None = "month",
    count_label: str = "count",
) -> pd.DataFrame:
    """A pivot table: ``rows`` down, ``columns`` across, ``aggregation`` of ``values``
    (row count when ``values`` is None or the aggregation is count). Date dimensions are
    grouped by month ("2024-05") unless ``date_bucket`` is None. A total row and column
    are added."""
    if aggregation not in AGGREGATIONS:
        raise ValueError(f"unknown aggregation {aggregation!r}")
    dims = list(dict.fromkeys([*rows, *columns]))
    if not dims:
        raise ValueError("choose at least one row or column")
    data = frame[dims + ([values] if values and values not in dims else [])].copy()
    for dim in dims:
        if pd.api.types.is_datetime64_any_dtype(data[dim]) and date_bucket == "month":
            data[dim] = data[dim].dt.strftime("%Y-%m")
        data[dim] = data[dim].astype(object).where(data[dim].notna(), "—")
    if values is None or aggregation == "count":
        data[count_label] = 1
        target, how = count_label, "sum"
    else:
        target, how = values, aggregation
        data[target] = (
            pd.to_numeric(data[target], errors="coerce") if how != "nunique" else data[target]
        )
    table = pd.pivot_table(
        data, index=list(rows) or None, columns=list(columns) or None, values=target,
        aggfunc=how, margins=True, margins_name="Σ", observed=True, dropna=False,
    )  # fmt: skip
    if isinstance(table, pd.Series):
        table = table.to_frame(values or count_label)
    if isinstance(table.columns, pd.MultiIndex):
        table.columns = [" / ".join(str(c) for c in col if c != "") for col in table.columns]
    else:
        table.columns = [str(c) for c in table.columns]
    return table.reset_index()


def chart(
    frame: pd.DataFrame, kind: str, x: str, y: str, color: str | None = None,
    path: Sequence[str] = (), title: str = "",
) -> go.Figure:  # fmt: skip
    """A bar, line, funnel or treemap figure of ``frame`` (SVG renderers only: no WebGL)."""
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart kind {kind!r}")
    data = frame[frame[x].astype(str) != "Σ"] if x in frame else frame
    if color and color in data:
        data = data[data[color].astype(str) != "Σ"]
    if kind == "bar":
        figure = px.bar(data, x=x, y=y, color=color or None, barmode="group")
    elif kind == "line":
        figure = px.line(data.sort_values(x), x=x, y=y, color=color or None, markers=True)
    elif kind == "funnel":
        figure = px.funnel(data, x=y, y=x, color=color or None)
    else:
        figure = px.treemap(data[data[y].fillna(0) > 0], path=list(path) or [x], values=y)
    figure.update_layout(title=title, margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
                         legend_title_text=color or "")  # fmt: skip
    return figure


def long_pivot(pivoted: pd.DataFrame, rows: Sequence[str]) -> pd.DataFrame:
    """A pivot result in long form (one row per row key and value column) for charts;
    totals left out."""
    keep = [c for c in pivoted.columns if c != "Σ"]
    data = pivoted[keep]
    if rows:
        data = data[data[rows[0]].astype(str) != "Σ"]
    value_columns = [c for c in keep if c not in rows]
    return data.melt(id_vars=list(rows), value_vars=value_columns, var_name="series",
                     value_name="value")  # fmt: skip


def join_store(
    session: Session,
    viewer: Viewer,
    frame: pd.DataFrame,
    *,
    rep_column: str | None = None,
    customer_column: str | None = None,
    lang: str = "zh",
) -> tuple[pd.DataFrame, dict[str, int]]:
    """Add the store's team and region of each rep (by username or name) and the region,
    industry and type of each customer (by name); returns the frame and how many rows
    matched per join. Only people and customers the viewer may see are filled in (reps:
    themselves and their own customers; managers: their teams)."""
    from sqlalchemy import select

    ref = load_reference(session)
    out = frame.copy()
    matched: dict[str, int] = {}
    region_name = {i: (zh if lang == "zh" else en) for i, (_, zh, en) in ref.regions.items()}

    def visible_user(user_id: int) -> bool:
        user = ref.users.get(user_id)
        if user is None:
            return False
        if viewer.sees_everything:
            return True
        if viewer.role == Role.MANAGER:
            return user.team_id in viewer.team_ids
        return user_id == viewer.user_id

    if rep_column:
        ids = ref.user_index.resolve(normalize_text_column(frame[rep_column]).values.astype(object))
        ids = ids.where(ids > 0)
        teams, regions = [], []
        for user_id in ids.tolist():
            ok = user_id is not None and not pd.isna(user_id) and visible_user(int(user_id))
            team = ref.teams.get(ref.users[int(user_id)].team_id) if ok else None
            teams.append(team.name if team else None)
            regions.append(region_name.get(team.region_id) if team else None)
        out[f"{rep_column}·team"] = teams
        out[f"{rep_column}·region"] = regions
        matched["rep"] = int(pd.notna(pd.Series(teams, dtype=object)).sum())
    if customer_column:
        index = ref.customers(session)
        names = normalize_text_column(frame[customer_column]).values.astype(object)
        ids, _ = index.resolve(names.reset_index(drop=True))
        wanted = sorted({int(i) for i in ids.dropna().tolist()})
        rows = {}
        for start in range(0, len(wanted), 900):
            for row in session.execute(
                select(Customer.id, Customer.region_id, Customer.industry, Customer.customer_type,
                       Customer.owner_id).where(Customer.id.in_(wanted[start : start + 900]))
            ):  # fmt: skip
                if viewer.sees_everything or (
                    row.owner_id is not None and visible_user(row.owner_id)
                ):
                    rows[row.id] = row
        found = [rows.get(int(i)) if not pd.isna(i) else None for i in ids.tolist()]
        out[f"{customer_column}·region"] = [
            region_name.get(r.region_id) if r else None for r in found
        ]
        out[f"{customer_column}·industry"] = [r.industry if r else None for r in found]
        out[f"{customer_column}·type"] = [r.customer_type if r else None for r in found]
        matched["customer"] = sum(r is not None for r in found)
    return out, matched


def default_dimension(sheet: TypedSheet) -> str | None:
    """The text column best to group by first: the fewest distinct values (at least two),
    e.g. the stage or the product line rather than the customer."""
    best: tuple[int, int, str] | None = None
    for position, (name, kind) in enumerate(sheet.kinds.items()):
        if kind != "text":
            continue
        distinct = int(sheet.frame[name].nunique(dropna=True))
        if distinct >= 2 and (best is None or (distinct, position) < best[:2]):
            best = (distinct, position, name)
    return best[2] if best else None


def numeric_columns(sheet: TypedSheet) -> list[str]:
    """Columns that can be summed (money, numbers, percentages)."""
    return [c for c, k in sheet.kinds.items() if k in ("money", "number", "percent")]


__all__ = [
    "AGGREGATIONS",
    "CHART_KINDS",
    "COLUMN_TYPES",
    "TypedSheet",
    "chart",
    "join_store",
    "long_pivot",
    "numeric_columns",
    "pivot",
    "profile",
    "typed_sheet",
]
