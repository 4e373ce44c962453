"""The assessment settings on the Stage settings page (admins): the dimensions deals are
scored on (names, what a 5 means, weight, active), the review's marks, the high amount and
the stage by which deals should be assessed (``pipeline.assessment``)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import Viewer
from salesboard.pipeline.assessment import AssessmentError, Dimension, load_settings, save_settings
from salesboard.pipeline.durations import stage_info

COLUMNS = ("code", "name_zh", "name_en", "hint_zh", "hint_en", "weight", "active")


def _dimensions(edited: pd.DataFrame, kept: tuple[Dimension, ...]) -> tuple[Dimension, ...]:
    """The edited rows as dimensions; a stored dimension whose row was deleted is retired
    (old assessments keep naming it), not dropped."""
    rows = edited.dropna(how="all")
    dims = [
        Dimension(
            code=str(r.code or "").strip(),
            name_zh=str(r.name_zh or "").strip(),
            name_en=str(r.name_en or "").strip(),
            hint_zh=str(r.hint_zh or "").strip(),
            hint_en=str(r.hint_en or "").strip(),
            weight=int(r.weight) if pd.notna(r.weight) else 0,
            active=bool(r.active),
        )  # fmt: skip
        for r in rows.itertuples(index=False)
    ]
    codes = {d.code for d in dims}
    return (*dims, *(replace(d, active=False) for d in kept if d.code not in codes))


def assessment_settings_section(viewer: Viewer) -> None:
    """The editor; saving refuses (naming the rule) settings a score cannot be computed under."""
    lang = ui.lang()
    settings = ui.cached(load_settings)()
    st.subheader(ui.tr("assess.settings"))
    st.caption(ui.tr("assess.settings_caption"))
    stages = ui.cached(stage_info)()
    names = dict(zip(stages["stage"], stages[f"name_{lang}"], strict=True))
    frame = pd.DataFrame([{c: getattr(d, c) for c in COLUMNS} for d in settings.dimensions])
    generation = st.session_state.setdefault("assess_settings_generation", 0)
    with st.form("assess_settings_form", border=False):
        edited = st.data_editor(
            frame, key=f"assess_dims_{generation}", num_rows="dynamic", hide_index=True,
            column_config={
                c: (st.column_config.NumberColumn(ui.tr("assess.weight"), min_value=0,
                                                  max_value=100, step=1)
                    if c == "weight" else
                    st.column_config.CheckboxColumn(ui.tr("assess.active"), default=True)
                    if c == "active" else st.column_config.TextColumn(ui.tr(f"assess.{c}")))
                for c in COLUMNS
            },
            placeholder="—",
        )  # fmt: skip
        left, mid, right = st.columns(3)
        high = left.number_input(ui.tr("assess.high_mark"), 1.0, 5.0, settings.high_mark, 0.1,
                                 key="assess_high_mark")  # fmt: skip
        low = mid.number_input(ui.tr("assess.low_mark"), 1.0, 5.0, settings.low_mark, 0.1,
                               key="assess_low_mark")  # fmt: skip
        amount = right.number_input(ui.tr("assess.high_amount"), 0, None,
                                    settings.high_amount_minor // 100, 10_000,
                                    key="assess_high_amount")  # fmt: skip
        by = st.selectbox(ui.tr("assess.assess_by"), list(names), format_func=names.__getitem__,
                          index=list(names).index(settings.assess_by) if settings.assess_by in names
                          else 0, help=ui.tr_text("assess.assess_by_help"), key="assess_by")  # fmt: skip
        if not st.form_submit_button(ui.tr("assess.save_settings"), type="primary"):
            return
    wanted = replace(settings, dimensions=_dimensions(edited, settings.dimensions),
                     high_mark=round(high, 2), low_mark=round(low, 2),
                     high_amount_minor=int(amount) * 100, assess_by=by)  # fmt: skip
    try:
        with ui.writing() as session:
            save_settings(session, viewer, wanted)
    except AssessmentError as exc:
        ui.refuse(exc, f"assess.problem.{exc.field}", **exc.params)
        return
    st.session_state["assess_settings_generation"] = generation + 1
    st.session_state["stages_notice"] = ui.tr_text("assess.settings_saved")
    st.rerun()
