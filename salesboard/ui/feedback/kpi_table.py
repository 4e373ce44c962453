"""The form's KPI table (指标完成情况): per metric its category, target, the actual computed
from the store and the one the rep stands by (a hand-changed actual is flagged ✎ and needs a
reason), completion, MoM / YoY and the anomaly reason; the actuals changed by hand for the
manager's review; and the offer to take the store's newest figures."""

from __future__ import annotations

import unicodedata

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.calendar.periods import Period
from salesboard.feedback.config import CATEGORIES, DEFAULT_METRICS
from salesboard.feedback.form import (
    applied_weights,
    completion,
    editor_rows,
    is_overridden,
    month_on_month,
    overrides,
    prefill_differs,
    refresh_prefill,
    to_display,
    weighted_completion,
    year_on_year,
)
from salesboard.feedback.prefill import prefill_kpis
from salesboard.feedback.queries import FormView
from salesboard.i18n import format_percent, format_points, t
from salesboard.ui.feedback.autosave import reset_editors, save
from salesboard.ui.feedback.grid import TEXT_LIMIT, column_label
from salesboard.ui.feedback.labels import metric_label, metric_text, unit


def _change_text(row: dict, value: float | None) -> str:
    if value is None:
        return "—"
    if abs(value) < 1e-9:
        return ui.tr("feedback.flat")
    return format_points(value) if row.get("kind") == "rate" else f"{value * 100:+.1f}%"


def _fixed(row: dict, value) -> str:
    """A read-only number in the editor's unit ("—" when missing)."""
    shown = to_display(row.get("kind", "count"), value)
    if shown is None:
        return "—"
    return f"{shown:,.0f}" if row.get("kind") == "count" and shown.is_integer() else f"{shown:,.2f}"


def kpi_frame(rows: list[dict]) -> pd.DataFrame:
    """The KPI table as the editor shows it (display units, derived columns as text)."""
    shown = editor_rows("kpis", rows)
    return pd.DataFrame(
        {
            "category": [ui.tr(f"feedback.category.{r['category']}") for r in rows],
            "metric": [metric_label(r) for r in rows],
            "target": [_fixed(r, r.get("target")) for r in rows],
            "prefilled": [_fixed(r, r.get("prefilled")) for r in rows],
            "actual": pd.array([s["actual"] for s in shown], dtype="Float64"),
            "flag": ["✎" if is_overridden(r) else "" for r in rows],
            "completion": [format_percent(completion(r)) for r in rows],
            "weight": [
                format_percent(w / 100, 0 if w == int(w) else 1) for w in applied_weights(rows)
            ],
            "mom": [_change_text(r, month_on_month(r)) for r in rows],
            "yoy": [_change_text(r, year_on_year(r)) for r in rows],
            "reason": [r.get("reason") or "" for r in rows],
            "override_reason": [r.get("override_reason") or "" for r in rows],
        }
    )


def text_width(texts) -> int:
    """Pixels a column needs to show the longest of ``texts`` whole (CJK and full-width
    characters about twice as wide as Latin ones, plus the cell's padding)."""

    def width(text: str) -> float:
        return sum(14 if unicodedata.east_asian_width(c) in "WF" else 7.5 for c in text)

    return int(max((width(str(t)) for t in texts), default=0)) + 24


def kpi_widths(lang: str) -> dict[str, int]:
    """Pixel widths of the KPI table's columns in ``lang``, in column order: each fits its
    heading and the longest value it can hold (every metric's name, numbers up to 00,000.00,
    changes up to +000.0 pp), so the same language always draws the same grid ("有效线索转化率
    （%" was cut)."""

    def fit(column: str, *values: str) -> int:
        return text_width([t(f"feedback.col.{column}", lang), *values])

    number = "00,000.00"
    return {
        "category": fit("category", *(t(f"feedback.category.{c}", lang) for c in CATEGORIES)),
        "metric": fit("metric", *(metric_text(m.code, m.kind, lang) for m in DEFAULT_METRICS)),
        "target": fit("target", number),
        "prefilled": fit("prefilled", number),
        "actual": fit("actual", number),
        "flag": fit("edited"),
        "completion": fit("completion", "000.0%"),
        "weight": fit("weight", "100.0%"),
        "mom": fit("mom", "+000.0 pp", t("feedback.flat", lang)),
        "yoy": fit("yoy", "+000.0 pp", t("feedback.flat", lang)),
        "reason": 170,
        "override_reason": 140,
    }


def _kpi_columns() -> dict:
    col = st.column_config
    label = column_label
    fit = kpi_widths(ui.lang())
    return {
        "category": col.TextColumn(label("category"), width=fit["category"]),
        "metric": col.TextColumn(label("metric"), width=fit["metric"]),
        "target": col.TextColumn(label("target"), width=fit["target"]),
        "prefilled": col.TextColumn(label("prefilled"), width=fit["prefilled"], help=ui.tr("feedback.help.prefilled")),
        "actual": col.NumberColumn(label("actual"), width=fit["actual"], format="%,.2f", help=ui.tr("feedback.help.actual")),
        "flag": col.TextColumn(label("edited"), width=fit["flag"], help=ui.tr("feedback.flag.overridden")),
        "completion": col.TextColumn(label("completion"), width=fit["completion"]),
        "weight": col.TextColumn(label("weight"), width=fit["weight"], help=ui.tr("feedback.help.weight")),
        "mom": col.TextColumn(label("mom"), width=fit["mom"]),
        "yoy": col.TextColumn(label("yoy"), width=fit["yoy"]),
        "reason": col.TextColumn(label("reason"), width=fit["reason"], help=ui.tr("feedback.help.reason"), **TEXT_LIMIT),
        "override_reason": col.TextColumn(label("override_reason"), width=fit["override_reason"], **TEXT_LIMIT),
    }  # fmt: skip


def kpi_table(rows: list[dict], editable: bool) -> tuple[pd.DataFrame, dict]:
    """The KPI rows and their columns; read-only, the actual is shown as formatted text."""
    frame, config = kpi_frame(rows), _kpi_columns()
    if not editable:
        frame["actual"] = [_fixed(r, r.get("actual")) for r in rows]
        config["actual"] = st.column_config.TextColumn(
            column_label("actual"), width=kpi_widths(ui.lang())["actual"]
        )
    return frame, config


def kpi_caption(kpis: list[dict], threshold: float) -> None:
    """The weighted completion of the KPI rows against the reason threshold."""
    score = weighted_completion(kpis)
    st.caption(
        ui.tr("feedback.kpis_caption", score=format_percent(score),
              threshold=format_percent(threshold))
    )  # fmt: skip


def overrides_panel(form: FormView) -> None:
    """Actuals changed by hand, with the computed value and the reason (data authenticity)."""
    rows = overrides(form.body)
    if not rows:
        st.caption(ui.tr("feedback.no_overrides"))
        return
    st.warning(ui.tr("feedback.overrides_title", count=len(rows)))
    st.dataframe(
        pd.DataFrame(
            {
                column_label("metric"): [ui.tr(f"feedback.metric.{r['code']}") for r in rows],
                column_label("unit"): [unit(r) for r in rows],
                column_label("prefilled"): [
                    to_display(r["kind"], r.get("prefilled")) for r in rows
                ],
                column_label("actual"): [to_display(r["kind"], r.get("actual")) for r in rows],
                column_label("override_reason"): [r.get("override_reason") or "—" for r in rows],
            }
        ),
        hide_index=True,
        placeholder="—",
    )


def refresh_panel(form: FormView, state: dict, period: Period) -> None:
    """Offer to take the store's newest figures when they moved since the prefill."""
    fresh = ui.cached(prefill_kpis)(form.rep_id, period)
    if not prefill_differs(state["body"], fresh):
        return
    left, right = st.columns([4, 1])
    left.info(ui.tr("feedback.refresh_info"))
    if right.button(ui.tr("feedback.refresh"), key="fb_refresh"):
        save(form.id, state, refresh_prefill(state["body"], fresh))
        reset_editors(state)
        st.rerun()
