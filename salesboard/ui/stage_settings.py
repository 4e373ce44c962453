"""Streamlit side of the stage settings page: turning the editors' tables into validated,
audited saves (``salesboard.pipeline.stage_settings`` and ``kpis``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.pipeline.kpis import (
    KPI_CODES,
    SCORE_KPIS,
    load_thresholds,
    save_thresholds,
    threshold_for,
)
from salesboard.pipeline.stage_settings import apply_stage_plan, plan_stage_changes
from salesboard.store.models import StageKind


def save_stage_table(original: pd.DataFrame, edited: pd.DataFrame, viewer: Viewer) -> bool:
    """Validate and save the edited stage list; True when something changed. Raises
    ``StageSettingsError`` (nothing saved) when a rule is broken."""
    plan = plan_stage_changes(original, edited)
    if plan.empty:
        st.session_state["stages_notice"] = ui.tr("stages.unchanged")
        return True
    with ui.writing() as session:
        apply_stage_plan(session, viewer, plan)
    st.session_state["stages_notice"] = ui.tr(
        "stages.saved",
        created=len(plan.creates),
        updated=len(plan.updates),
        deleted=len(plan.deletes),
    )
    return True


def threshold_frame(stages: pd.DataFrame) -> pd.DataFrame:
    """One row per active open stage with its KPI thresholds in percent (empty: none)."""
    thresholds = ui.cached(load_thresholds)()
    rows = stages[(stages["kind"] == StageKind.OPEN) & stages["active"].astype(bool)]
    lang = ui.lang()
    frame = pd.DataFrame({"stage": rows["code"], "name": rows[f"name_{lang}"]})
    for kpi in KPI_CODES:
        values = [threshold_for(thresholds, code, kpi) for code in rows["code"]]
        scale = 1 if kpi in SCORE_KPIS else 100  # a 1–5 score stays as typed
        frame[kpi] = [None if v is None else round(v * scale, 2) for v in values]
    return frame.reset_index(drop=True)


def save_threshold_table(frame: pd.DataFrame, viewer: Viewer) -> None:
    """Store the edited thresholds (percent → ratio; an empty cell switches a KPI off for
    that stage); stages not listed keep the company-wide defaults."""
    stored = ui.cached(load_thresholds)()
    updated = {"*": stored.get("*", {})}
    for row in frame.to_dict("records"):
        updated[row["stage"]] = {
            kpi: None
            if row[kpi] is None or pd.isna(row[kpi])
            else float(row[kpi]) / (1 if kpi in SCORE_KPIS else 100)
            for kpi in KPI_CODES
        }
    with ui.writing() as session:
        save_thresholds(session, viewer, updated)
    st.session_state["stages_notice"] = ui.tr("stages.thresholds_saved")
