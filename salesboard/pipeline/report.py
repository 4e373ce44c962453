"""The whole review for the meeting, computed once: the overdue table and KPI tables for
XLSX (one formatted sheet per table), every figure and table for a one-file HTML report,
the overdue table as CSV and every figure as JSON. Used by the page's export and by
``python -m salesboard report pipeline``.

Exports carry every row (the screen shows the worst 200 overdue deals); money is in 元
(yuan) with two decimals, ratios as 0–1 with a percent format.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period
from salesboard.calendar.workdays import load_calendar
from salesboard.i18n import format_count, format_list, format_money, format_percent, t
from salesboard.outputs.export import (
    Section,
    Sheet,
    html_report,
    to_csv_bytes,
    to_json_bytes,
    to_xlsx,
)
from salesboard.pipeline import changes, charts, durations, edits, funnel, kpis, overdue, risks
from salesboard.store.filters import OpportunityFilter
from salesboard.store.queries import total_minor

YUAN = 100


@dataclass(frozen=True)
class PipelineReport:
    """Every figure of the review for one view (frames as the queries return them)."""

    period: Period
    as_of: date
    scope: str  # what the filters cover, already in words
    mode: str
    funnel: pd.DataFrame
    lost: pd.DataFrame
    durations: pd.DataFrame
    trend: pd.DataFrame
    overdue: pd.DataFrame
    newly_overdue: pd.DataFrame
    changes: pd.DataFrame
    flags: pd.DataFrame
    themes: pd.DataFrame
    kpis: pd.DataFrame


def build_report(
    session: Session,
    viewer: Viewer,
    period: Period,
    filters: OpportunityFilter,
    as_of: date,
    *,
    scope: str = "",
    mode: str = "cohort",
) -> PipelineReport:
    """Compute the review of ``period`` as of ``as_of`` for what ``viewer`` may read."""
    calendar = load_calendar(session)
    review = overdue.overdue_review(session, viewer, filters, as_of, calendar=calendar)
    return PipelineReport(
        period=period,
        as_of=as_of,
        scope=scope,
        mode=mode,
        funnel=funnel.stage_funnel(session, viewer, period, filters, mode),
        lost=funnel.lost_dropouts(session, viewer, period, filters),
        durations=durations.stage_duration_summary(session, viewer, period, filters, calendar),
        trend=durations.stage_duration_trend(session, viewer, as_of, filters, 12, calendar),
        overdue=review.table,
        newly_overdue=review.newly_overdue,
        changes=changes.week_changes(session, viewer, filters, as_of, calendar=calendar).rows,
        flags=risks.risk_flag_counts(session, viewer, filters),
        themes=risks.feedback_themes(session, viewer, filters),
        kpis=kpis.stage_kpis(session, viewer, period, filters, as_of, calendar),
    )


# --- display tables (translated headers) ---------------------------------------------------


def _yuan(minor: pd.Series) -> pd.Series:
    return minor.astype("float64") / YUAN


def _reasons(reasons, lang: str) -> str:
    return format_list((t(f"overdue.{r}", lang) for r in reasons), lang)


def overdue_sheet(report: PipelineReport, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """The seed's tracking table (销售过程跟踪表) with the lateness columns, worst first."""
    o = report.overdue
    h = {k: t(f"pipeline.{k}", lang) for k in (
        "code", "customer", "stage", "key_action", "planned_on", "done_on", "deliverable",
        "customer_feedback", "owner", "risk_flag", "next_step", "severity", "reasons",
        "days_in_stage", "last_comment",
    )}  # fmt: skip
    amount = t("pipeline.amount_yuan", lang)
    frame = pd.DataFrame(
        {
            h["code"]: o["code"],
            h["customer"]: o["customer"],
            h["stage"]: o[f"stage_{lang}"],
            h["key_action"]: o["key_action"],
            h["planned_on"]: pd.to_datetime(o["planned_on"]),
            h["done_on"]: pd.to_datetime(o["done_on"]),
            h["deliverable"]: o["deliverable"],
            h["customer_feedback"]: o["customer_feedback"],
            h["owner"]: o["owner"],
            h["risk_flag"]: o["risk_flag"].map(lambda f: edits.risk_flag_label(f, lang)),
            h["next_step"]: o["next_step"],
            h["severity"]: o["severity"],
            h["reasons"]: o["reasons"].map(lambda r: _reasons(r, lang)),
            h["days_in_stage"]: o["days_in_stage"],
            amount: _yuan(o["amount_minor"]),
            h["last_comment"]: o["last_comment"],
        }
    )
    formats = {
        h["planned_on"]: "date", h["done_on"]: "date", h["severity"]: "int",
        h["days_in_stage"]: "int", amount: "money",
    }  # fmt: skip
    return frame, formats


def kpi_sheet(report: PipelineReport, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """One row per stage and KPI: value, threshold and whether it was met."""
    k = report.kpis
    score = k["kpi"].isin(kpis.SCORE_KPIS)  # a 1–5 score, not a ratio: columns of its own
    h = {x: t(f"pipeline.{x}", lang) for x in ("stage", "kpi", "value", "threshold", "status")}
    frame = pd.DataFrame(
        {
            h["stage"]: k[f"name_{lang}"],
            h["kpi"]: k["kpi"].map(lambda c: t(f"kpi.{c}", lang)),
            t("pipeline.numerator", lang): k["numerator"],
            t("pipeline.denominator", lang): k["denominator"],
            h["value"]: k["value"].where(~score),
            h["threshold"]: k["threshold"].where(~score),
            h["status"]: k["status"].map(lambda s: t(f"kpi.status_{s}", lang)),
            t("pipeline.score", lang): k["value"].where(score),
            f"{t('pipeline.score', lang)} · {h['threshold']}": k["threshold"].where(score),
        }
    )
    formats = {
        h["value"]: "percent",
        h["threshold"]: "percent",
        t("pipeline.score", lang): "number",
    }
    formats |= {t("pipeline.numerator", lang): "int", t("pipeline.denominator", lang): "int"}
    return frame, formats


def funnel_sheet(report: PipelineReport, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Reached, amount and conversions per stage."""
    f = report.funnel
    amount = t("pipeline.amount_yuan", lang)
    frame = pd.DataFrame(
        {
            t("pipeline.stage", lang): f[f"name_{lang}"],
            t("pipeline.reached", lang): f["reached"],
            amount: _yuan(f["amount_minor"]),
            t("pipeline.conversion", lang): f["conversion"],
            t("pipeline.from_first", lang): f["from_first"],
        }
    )
    formats = {amount: "money", t("pipeline.reached", lang): "int"}
    formats |= {
        t("pipeline.conversion", lang): "percent",
        t("pipeline.from_first", lang): "percent",
    }
    return frame, formats


def durations_sheet(report: PipelineReport, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Working days per stage against the standard."""
    d = report.durations
    frame = pd.DataFrame(
        {
            t("pipeline.stage", lang): d[f"name_{lang}"],
            t("pipeline.standard", lang): d["standard_days"],
            t("pipeline.stays", lang): d["count"],
            t("pipeline.mean", lang): d["mean_days"],
            t("pipeline.median", lang): d["median_days"],
            t("pipeline.p90", lang): d["p90_days"],
            t("pipeline.over_share", lang): d["over_share"],
            t("pipeline.flag", lang): d["bottleneck"].map(
                lambda b: t("pipeline.bottleneck_short", lang) if b else ""
            ),
        }
    )
    formats = {t("pipeline.over_share", lang): "percent", t("pipeline.mean", lang): "number"}
    return frame, formats


def changes_sheet(report: PipelineReport, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """What changed this week, one row per change and deal."""
    c = report.changes
    amount = t("pipeline.amount_yuan", lang)
    frame = pd.DataFrame(
        {
            t("pipeline.col_change", lang): c["kind"].map(
                lambda k: t(f"pipeline.change_{k}", lang)
            ),
            t("pipeline.code", lang): c["code"],
            t("pipeline.deal", lang): c["name"],
            t("pipeline.customer", lang): c["customer"],
            t("pipeline.owner", lang): c["owner"],
            t("pipeline.stage", lang): c[f"stage_{lang}"],
            t("pipeline.col_from", lang): c["from_value"].fillna(""),
            t("pipeline.col_to", lang): c["to_value"].fillna(""),
            t("pipeline.col_reason", lang): c["reason"].fillna(""),
            amount: _yuan(c["amount_minor"]),
        }
    )
    return frame, {amount: "money"}


def risks_sheet(report: PipelineReport, lang: str) -> tuple[pd.DataFrame, dict[str, str]]:
    """Open deals per risk flag and per feedback theme, in one table."""
    amount = t("pipeline.amount_yuan", lang)
    flags = pd.DataFrame(
        {
            t("pipeline.group", lang): t("pipeline.risk_flag", lang),
            t("pipeline.name", lang): report.flags["risk_flag"].map(
                lambda f: edits.risk_flag_label(f, lang)
            ),
            t("pipeline.deals", lang): report.flags["count"],
            amount: _yuan(report.flags["amount_minor"]),
        }
    )
    themes = pd.DataFrame(
        {
            t("pipeline.group", lang): t("pipeline.theme", lang),
            t("pipeline.name", lang): report.themes["theme"].map(lambda c: t(f"theme.{c}", lang)),
            t("pipeline.deals", lang): report.themes["count"],
            amount: _yuan(report.themes["amount_minor"]),
        }
    )
    return pd.concat([flags, themes], ignore_index=True), {amount: "money"}


def _title(report: PipelineReport, lang: str) -> str:
    return t("pipeline.report_title", lang, period=report.period.label, as_of=report.as_of)


def report_xlsx(report: PipelineReport, lang: str) -> bytes:
    """The meeting workbook: overdue, stage KPIs, funnel, durations, changes, risks."""
    title = _title(report, lang) + (f" · {report.scope}" if report.scope else "")
    sheets = []
    for key, builder in (
        ("sheet_overdue", overdue_sheet),
        ("sheet_kpis", kpi_sheet),
        ("sheet_funnel", funnel_sheet),
        ("sheet_durations", durations_sheet),
        ("sheet_changes", changes_sheet),
        ("sheet_risks", risks_sheet),
    ):
        frame, formats = builder(report, lang)
        sheets.append(Sheet(t(f"pipeline.{key}", lang), frame, formats, title=title))
    return to_xlsx(sheets)


def overdue_csv(report: PipelineReport, lang: str) -> bytes:
    """The overdue table as CSV (UTF-8 with BOM, every row)."""
    frame, _ = overdue_sheet(report, lang)
    for column in frame.columns:
        if pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = frame[column].dt.strftime("%Y-%m-%d").fillna("")
    return to_csv_bytes(frame)


def report_json(report: PipelineReport) -> bytes:
    """Every figure, with stable codes and ISO dates (money in minor units, ratios 0–1)."""
    payload = {
        "period": {
            "label": report.period.label,
            "start": report.period.start,
            "end": report.period.end,
        },
        "as_of": report.as_of,
        "scope": report.scope,
        "funnel_mode": report.mode,
        "funnel": report.funnel,
        "lost_by_stage": report.lost,
        "stage_durations": report.durations,
        "duration_trend": report.trend,
        "overdue": report.overdue.assign(reasons=report.overdue["reasons"].map(list)),
        "overdue_count": len(report.overdue),
        "newly_overdue": report.newly_overdue["opportunity_id"].tolist(),
        "changes": report.changes,
        "change_summary": changes.change_summary(report.changes),
        "risk_flags": report.flags,
        "feedback_themes": report.themes,
        "stage_kpis": report.kpis,
    }
    return to_json_bytes(payload)


def report_html(report: PipelineReport, lang: str) -> bytes:
    """The page's figures and tables in one self-contained HTML file (prints cleanly)."""
    neck = durations.bottleneck(report.durations)
    summary = changes.change_summary(report.changes)
    names = dict(zip(report.funnel["stage"], report.funnel[f"name_{lang}"], strict=True))
    won = funnel.won_stage(report.funnel)
    sections = [
        Section(
            t("pipeline.tab_funnel", lang),
            paragraphs=[
                t("pipeline.report_funnel", lang, first=format_count(int(report.funnel["reached"].iloc[0]) if len(report.funnel) else 0),
                  won=format_percent(None if won is None else won["from_first"]))
            ],
            figures=[charts.funnel_chart(report.funnel, lang), charts.lost_chart(report.lost, names, lang)],
            tables=[funnel_sheet(report, lang)[0]],
        ),
        Section(
            t("pipeline.tab_durations", lang),
            paragraphs=[
                t("pipeline.bottleneck", lang, stage=neck[f"name_{lang}"], mean=f"{neck['mean_days']:.1f}",
                  standard=f"{neck['standard_days']:.0f}", ratio=f"{neck['ratio']:.1f}",
                  share=format_percent(neck["over_share"]))
                if neck is not None else t("pipeline.no_bottleneck", lang)
            ],
            figures=[charts.duration_box_chart(report.durations, lang), charts.duration_trend_chart(report.trend, lang)],
            tables=[durations_sheet(report, lang)[0]],
        ),
        Section(
            t("pipeline.tab_overdue", lang),
            paragraphs=[t("pipeline.report_overdue", lang, count=format_count(len(report.overdue)),
                          fresh=format_count(len(report.newly_overdue)),
                          amount=format_money(total_minor(report.overdue["amount_minor"]), lang))],
            tables=[_readable(overdue_sheet(report, lang)[0])],
        ),
        Section(
            t("pipeline.tab_changes", lang),
            paragraphs=[
                "; ".join(
                    f"{t(f'pipeline.change_{r.kind}', lang)} {r.count:,} ({format_money(r.amount_minor, lang)})"
                    for r in summary.itertuples(index=False)
                )
            ],
            tables=[changes_sheet(report, lang)[0]],
        ),
        Section(
            t("pipeline.tab_risks", lang),
            paragraphs=[t("pipeline.risks_caption", lang)],
            figures=[
                charts.count_bars([t(f"theme.{c}", lang) for c in report.themes["theme"]],
                                  report.themes["count"].tolist(), t("pipeline.themes_title", lang))
            ],
            tables=[risks_sheet(report, lang)[0]],
        ),
        Section(t("pipeline.tab_kpis", lang), paragraphs=[t("pipeline.kpis_caption", lang)],
                tables=[_readable(kpi_sheet(report, lang)[0])]),
    ]  # fmt: skip
    subtitle = report.scope or t("pipeline.scope_all", lang)
    return html_report(_title(report, lang), subtitle, sections, lang).encode("utf-8")


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as ISO text and ratios as percentages, for an HTML table."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d").fillna("")
        elif pd.api.types.is_float_dtype(out[column]):
            values = out[column].dropna()
            if len(values) and values.between(0, 1).all():
                out[column] = out[column].map(format_percent)
    return out


EXPORT_FORMATS = ("xlsx", "html", "csv", "json")
MIME = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html",
    "csv": "text/csv",
    "json": "application/json",
}


def export_bytes(report: PipelineReport, fmt: str, lang: str) -> bytes:
    """The report in ``fmt`` (one of ``EXPORT_FORMATS``)."""
    if fmt == "xlsx":
        return report_xlsx(report, lang)
    if fmt == "html":
        return report_html(report, lang)
    if fmt == "csv":
        return overdue_csv(report, lang)
    if fmt == "json":
        return report_json(report)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
