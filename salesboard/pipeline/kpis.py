"""Per-stage process KPIs against configurable thresholds (seed 000: proposal on-time
submission ≥ 95 %, proposal acceptance ≥ 80 %; key-action completion rate).

- ``completion``: key actions planned in the period (up to "as of") done by "as of" (late
  ones too) ÷ planned (关键动作完成率); ``on_time``: done by their planned date ÷ planned
  (按时完成率) — both ``figures.sales.key_action_rates``. For the proposal stage both count
  the proposal submissions only (``figures.sales.proposal_submission``), so ``on_time`` is
  the on-time proposal submission rate, not that of every key action of the stage;
- ``pass_rate``: stays that ended in the period by moving on to a later stage ÷ stays
  ended (lost there or moved back does not pass) — for the proposal stage, the proposal
  acceptance rate;
- ``within_standard``: stays that ended in the period within the stage's time standard;
- ``satisfaction``: the mean 1–5 rating given in the period to the stage (``ratings``:
  proposal/needs match and communication satisfaction) — a score, not a ratio: its value
  and threshold are 1–5 (seed 002: from 4.2 to 4.5).

Thresholds live in the ``app_setting`` row ``pipeline.kpi_thresholds`` as JSON
``{"*": {kpi: ratio}, "<stage code>": {kpi: ratio or null}}``: a stage's own value wins over
``"*"``, null switches the KPI's threshold off for that stage.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import case, func, or_, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require, scoped_filter
from salesboard.calendar.periods import Period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.sales import PROPOSAL_STAGE, key_action_rates, proposal_submission
from salesboard.pipeline.durations import scoped_stays, stage_info, stay_counts
from salesboard.pipeline.ratings import rating_means
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import AppSetting
from salesboard.store.queries import frame_of
from salesboard.store.tables import ACTION, HISTORY, STAGE

KPI_CODES = ("completion", "on_time", "pass_rate", "within_standard", "satisfaction")
# KPIs whose value and threshold are a 1–5 score rather than a ratio.
SCORE_KPIS = frozenset({"satisfaction"})
SETTING_KEY = "pipeline.kpi_thresholds"
DEFAULT_THRESHOLDS: dict[str, dict[str, float | None]] = {
    "*": {"on_time": 0.90, "within_standard": 0.80, "satisfaction": 4.2},
    "proposal": {"on_time": 0.95, "pass_rate": 0.80},
}
KPI_COLUMNS = (
    "position", "stage", "name_zh", "name_en", "kpi", "numerator", "denominator", "value",
    "threshold", "status",
)  # fmt: skip


def load_thresholds(session: Session) -> dict[str, dict[str, float | None]]:
    """The stored thresholds (the defaults when none are stored)."""
    row = session.get(AppSetting, SETTING_KEY)
    if row is None or not row.value:
        return json.loads(json.dumps(DEFAULT_THRESHOLDS))
    return json.loads(row.value)


def threshold_for(
    thresholds: Mapping[str, Mapping[str, float | None]], stage: str, kpi: str
) -> float | None:
    """The threshold (ratio) of ``kpi`` for ``stage``: its own entry, else ``"*"``."""
    own = thresholds.get(stage, {})
    if kpi in own:
        return own[kpi]
    return thresholds.get("*", {}).get(kpi)


def validate_thresholds(thresholds: Mapping[str, Mapping[str, float | None]]) -> None:
    """Raise ValueError unless every threshold is a known KPI with a ratio in 0–1 (a score
    in 1–5 for ``SCORE_KPIS``) or null."""
    for stage, values in thresholds.items():
        for kpi, value in values.items():
            if kpi not in KPI_CODES:
                raise ValueError(f"unknown KPI {kpi!r} for stage {stage!r}")
            if kpi in SCORE_KPIS:
                if value is not None and not 1 <= float(value) <= 5:
                    raise ValueError(f"threshold {kpi} of {stage!r} must be 1–5: {value}")
                continue
            if value is not None and not 0 <= float(value) <= 1:
                raise ValueError(f"threshold {kpi} of {stage!r} must be between 0 and 1: {value}")


def save_thresholds(
    session: Session, actor: Viewer, thresholds: Mapping[str, Mapping[str, float | None]]
) -> None:
    """Store ``thresholds`` (admin only), audited with the old and new JSON."""
    require(actor.is_admin, "admin_only", "only an admin changes KPI thresholds")
    validate_thresholds(thresholds)
    clean = {
        stage: {k: (None if v is None else round(float(v), 4)) for k, v in values.items()}
        for stage, values in thresholds.items()
    }
    row = session.get(AppSetting, SETTING_KEY) or AppSetting(key=SETTING_KEY, value="")
    before = row.value
    row.value = json.dumps(clean, ensure_ascii=False, sort_keys=True)
    session.add(row)
    audit.record(
        session, actor, action="update", entity="setting", entity_id=SETTING_KEY,
        summary="stage KPI thresholds", old={"value": before}, new={"value": row.value},
    )  # fmt: skip


def stage_kpis(
    session: Session,
    viewer: Viewer,
    period: Period,
    filters: OpportunityFilter,
    as_of: date,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """The KPIs of every open stage for the deals ``viewer`` may read, one row per stage
    and KPI: ``KPI_COLUMNS``; ``value`` is a ratio (NaN without data), ``status`` is "met",
    "missed", "no_threshold" or "no_data"."""
    calendar = calendar or load_calendar(session)
    filters = scoped_filter(viewer, filters)
    stages = stage_info(session, open_only=True)
    last_day = min(period.end, as_of)
    rates = key_action_rates(
        session, viewer, period.start, period.end, as_of, filters=filters, by="stage",
        only=_stage_actions(session),
    )  # fmt: skip
    on_time = pd.DataFrame(
        [(k, r.due, r.on_time) for k, r in rates.items()],
        columns=["stage_id", "denominator", "numerator"],
    )
    completion = pd.DataFrame(
        [(k, r.due, r.done) for k, r in rates.items()],
        columns=["stage_id", "denominator", "numerator"],
    )
    # A stay "passed" when the deal's next stay (entered the day this one ended) is in a
    # later stage; lost there, moved back, or no next stay does not pass.
    next_stay, next_stage, this_stage = (
        HISTORY.alias("next_stay"),
        STAGE.alias("next_stage"),
        STAGE.alias("this_stage"),
    )
    moved_on = (
        select(next_stay.c.id)
        .join(next_stage, next_stage.c.id == next_stay.c.stage_id)
        .where(
            next_stay.c.opportunity_id == HISTORY.c.opportunity_id,
            next_stay.c.entered_on == HISTORY.c.left_on,
            next_stage.c.position > this_stage.c.position,
        )
        .exists()
    )
    passed_query = select(
        HISTORY.c.stage_id,
        func.count().label("denominator"),
        func.coalesce(func.sum(case((moved_on, 1), else_=0)), 0).label("numerator"),
    ).join(this_stage, this_stage.c.id == HISTORY.c.stage_id)
    passed = frame_of(
        session,
        scoped_stays(session, passed_query, filters, period.start, last_day).group_by(
            HISTORY.c.stage_id
        ),
    )
    stays = stay_counts(session, viewer, filters, period.start, last_day, calendar)
    stays = stays.merge(stages[["stage_id", "standard_days"]], on="stage_id")
    stays["within"] = np.where(stays["days"] <= stays["standard_days"], stays["n"], 0)
    within = stays.groupby("stage_id", as_index=False).agg(
        numerator=("within", "sum"), denominator=("n", "sum")
    )
    ratings = rating_means(session, viewer, period.start, last_day, filters=filters, by="stage")
    satisfaction = pd.DataFrame(
        [(k, n, total) for k, (total, n) in ratings.items()],
        columns=["stage_id", "denominator", "numerator"],
    )
    thresholds = load_thresholds(session)
    rows = []
    sources = {
        "completion": completion,
        "on_time": on_time,
        "pass_rate": passed,
        "within_standard": within,
        "satisfaction": satisfaction,
    }
    for stage in stages.itertuples(index=False):
        for kpi in KPI_CODES:
            source = sources[kpi]
            match = source[source["stage_id"] == stage.stage_id] if not source.empty else source
            numerator = int(match["numerator"].sum()) if not match.empty else 0
            denominator = int(match["denominator"].sum()) if not match.empty else 0
            value = numerator / denominator if denominator else np.nan
            threshold = threshold_for(thresholds, stage.stage, kpi)
            if kpi == "within_standard" and pd.isna(stage.standard_days):
                threshold = None
            rows.append(
                (
                    stage.position, stage.stage, stage.name_zh, stage.name_en, kpi,
                    numerator, denominator, value, threshold, kpi_status(value, threshold),
                )
            )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(KPI_COLUMNS))
    return frame.astype({"threshold": "float64", "value": "float64"})


def _stage_actions(session: Session):
    """The key actions a stage's completion and on-time KPIs count: all of the stage's,
    except that the proposal stage counts its proposal submissions only."""
    proposal = session.execute(
        select(STAGE.c.id).where(STAGE.c.code == PROPOSAL_STAGE)
    ).scalar_one_or_none()
    if proposal is None:
        return None
    return or_(ACTION.c.stage_id != proposal, proposal_submission(session))


def kpi_status(value: float, threshold: float | None) -> str:
    """ "met" / "missed" against ``threshold``; "no_data" without a value, "no_threshold"
    when none is set."""
    if value is None or pd.isna(value):
        return "no_data"
    if threshold is None or pd.isna(threshold):
        return "no_threshold"
    return "met" if value >= threshold - 1e-9 else "missed"
