"""Words and stamps the feedback form's sections share: local times, status and unit names,
metric labels, and how a changed field is named in the merge and amendment panels."""

from __future__ import annotations

from salesboard import ui
from salesboard.feedback.changes import Change
from salesboard.i18n import t
from salesboard.i18n.locale import locale_for


def local_time(stamp) -> str:
    """A stored UTC stamp in the company's zone, "YYYY-MM-DD HH:MM" ("—" when missing)."""
    return locale_for(ui.lang()).stamp(stamp) or "—"


def status_text(status: str) -> str:
    """The form status (draft, submitted, …) in the user's language."""
    return ui.tr(f"feedback.status.{status}")


def unit(row: dict) -> str:
    """The unit a KPI row is shown in (万元, %, 个 …)."""
    return ui.tr(f"feedback.unit.{row.get('kind', 'count')}")


def metric_label(row: dict) -> str:
    """The metric's name with its unit, e.g. "销售额（万元）"."""
    return metric_text(row["code"], row.get("kind", "count"), ui.lang())


def metric_text(code: str, kind: str, lang: str) -> str:
    """A metric's name with its unit in ``lang`` ("销售额（万元）", "Sales (10k CNY)")."""
    name, shown = t(f"feedback.metric.{code}", lang), t(f"feedback.unit.{kind}", lang)
    return locale_for(lang).with_unit(name, shown)


def field_label(change: Change, body: dict) -> str:
    """Where a changed field is: section · row (metric or item problem) · column."""
    row = change.row
    if change.section == "kpis":
        row = ui.tr(f"feedback.metric.{change.row}")
    elif change.section == "items":
        match = next((r for r in body["items"] if str(r.get("key")) == change.row), None)
        row = (match or {}).get("problem") or change.row
    return f"{ui.tr(f'feedback.section.{change.section}')} · {row} · {ui.tr(f'feedback.col.{change.field}')}"


def value_text(change: Change, value) -> str:
    """A changed field's value as text ("—" when empty; long text cut at 200 characters)."""
    if value is None or value == "":
        return "—"
    if change.section == "kpis" and change.field == "actual":
        return str(value)
    return str(value)[:200]
