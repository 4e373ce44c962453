"""What a new form starts with: the KPI rows prefilled from the store (targets from the rep's
goals, actuals, last month's and last year's actuals), the month's key actions as
suggestions, and the improvement items carried over from earlier months."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from salesboard.calendar import clock
from salesboard.calendar.periods import Period, previous_period, same_period_last_year
from salesboard.feedback import actuals
from salesboard.feedback.config import FormConfig, load_config
from salesboard.feedback.form import kpi_row, new_body
from salesboard.feedback.improvement_items import carried_items


def prefill_kpis(
    session: Session,
    rep_id: int,
    period: Period,
    config: FormConfig | None = None,
    as_of: date | None = None,
) -> list[dict]:
    """KPI rows for the rep's month from the store as of ``as_of`` (default today): targets
    from the rep's goals (else the metric's default target), actuals, last month's and last
    year's actuals (``actuals.rep_figures``)."""
    config = config or load_config(session)
    current, before, last_year = actuals.rep_figures(
        session,
        rep_id,
        [period, previous_period(period), same_period_last_year(period)],
        as_of or clock.today(),
    )
    rows = []
    for metric in config.shown:
        goal = current["targets"].get(metric.code) if metric.goal_metric else None
        if goal is not None:
            target, source = float(goal), "goal"
            if metric.kind in ("amount", "count") and target.is_integer():
                target = int(target)
        elif metric.default_target is not None:
            target, source = metric.default_target, "default"
        else:
            target, source = None, None
        rows.append(
            kpi_row(
                metric,
                target=target,
                target_source=source,
                actual=current.get(metric.code),
                prev=before.get(metric.code),
                prev_year=last_year.get(metric.code),
            )
        )
    return rows


def prefilled_body(
    session: Session,
    rep_id: int,
    month: Period,
    config: FormConfig | None = None,
    as_of: date | None = None,
) -> dict:
    """The body of the rep's new form for ``month``: KPIs prefilled as of ``as_of`` (default
    today), suggested key actions and the carried-over improvement items (the plan itself
    starts empty)."""
    return new_body(
        prefill_kpis(session, rep_id, month, config, as_of),
        actuals.suggested_actions(session, rep_id, month),
        carried_items(session, rep_id, month.label),
    )
