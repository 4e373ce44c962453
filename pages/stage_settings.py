"""Stage settings (admin): the sales stages — order, names (zh/en), kind, time standards,
key actions, deliverables, active — and the stage KPI thresholds. Every view uses them."""

import streamlit as st

from salesboard import ui
from salesboard.pipeline.kpis import KPI_CODES, SCORE_KPIS
from salesboard.pipeline.stage_settings import StageSettingsError, stage_table
from salesboard.store.models import StageKind
from salesboard.ui.assessment_settings import assessment_settings_section
from salesboard.ui.stage_settings import save_stage_table, save_threshold_table, threshold_frame

viewer = ui.page_viewer(__file__)
st.title(ui.tr("stages.title"))
st.caption(ui.tr("stages.caption"))
notice = st.session_state.pop("stages_notice", None)
if notice:
    st.success(ui.escape_markdown(notice))

stages = ui.cached(stage_table)()
generation = st.session_state.setdefault("stages_generation", 0)
text = st.column_config.TextColumn
kinds = {k.value: ui.tr(f"stages.kind_{k.value}") for k in StageKind}
with st.form("stages_form", border=False):
    edited = st.data_editor(
        stages,
        key=f"stages_editor_{generation}",
        num_rows="dynamic",
        hide_index=True,
        disabled=["id", "usage"],
        column_order=[
            "position",
            "code",
            "name_zh",
            "name_en",
            "kind",
            "standard_days",
            "idle_days",
            "key_actions_zh",
            "key_actions_en",
            "deliverable_zh",
            "deliverable_en",
            "key_actions_required",
            "active",
            "usage",
        ],  # fmt: skip
        column_config={
            "position": st.column_config.NumberColumn(
                ui.tr("stages.position"), step=1, width="small"
            ),
            "code": text(ui.tr("stages.code"), help=ui.tr("stages.code_help"), width="small"),
            "name_zh": text(ui.tr("stages.name_zh")),
            "name_en": text(ui.tr("stages.name_en")),
            "kind": st.column_config.SelectboxColumn(
                ui.tr("stages.kind"),
                options=list(kinds),
                format_func=kinds.__getitem__,
                required=True,
            ),  # fmt: skip
            "standard_days": st.column_config.NumberColumn(
                ui.tr("stages.standard_days"), min_value=1, step=1, help=ui.tr("stages.days_help")
            ),
            "idle_days": st.column_config.NumberColumn(
                ui.tr("stages.idle_days"), min_value=1, step=1, help=ui.tr("stages.idle_help")
            ),
            "key_actions_zh": text(ui.tr("stages.key_actions_zh"), help=ui.tr("stages.list_help")),
            "key_actions_en": text(ui.tr("stages.key_actions_en"), help=ui.tr("stages.list_help")),
            "deliverable_zh": text(ui.tr("stages.deliverable_zh")),
            "deliverable_en": text(ui.tr("stages.deliverable_en")),
            "key_actions_required": st.column_config.CheckboxColumn(
                ui.tr("stages.key_actions_required"),
                default=True,
                help=ui.tr_text("stages.key_actions_required_help"),
            ),
            "active": st.column_config.CheckboxColumn(ui.tr("stages.active"), default=True),
            "usage": st.column_config.CheckboxColumn(
                ui.tr("stages.usage"), help=ui.tr("stages.usage_help")
            ),
        },
        placeholder="—",
    )
    if st.form_submit_button(ui.tr("stages.save"), type="primary"):
        try:
            if save_stage_table(stages, edited, viewer):
                st.session_state["stages_generation"] = generation + 1
                st.rerun()
        except StageSettingsError as exc:
            for reason, stage in exc.problems:
                st.error(ui.tr(f"stages.problem_{reason}", stage=stage))

st.subheader(ui.tr("stages.thresholds"))
st.caption(ui.tr("stages.thresholds_caption"))
frame = threshold_frame(stages)
with st.form("thresholds_form", border=False):
    thresholds = st.data_editor(
        frame,
        key=f"thresholds_editor_{generation}",
        hide_index=True,
        disabled=["stage", "name"],
        column_config={
            "stage": None,
            "name": text(ui.tr("pipeline.stage")),
            **{
                kpi: st.column_config.NumberColumn(
                    ui.tr(f"kpi.{kpi}") + (" (1–5)" if kpi in SCORE_KPIS else " (%)"),
                    min_value=1 if kpi in SCORE_KPIS else 0,
                    max_value=5 if kpi in SCORE_KPIS else 100,
                    step=0.1 if kpi in SCORE_KPIS else 1,
                    help=ui.tr(f"kpi.{kpi}_help"),
                )  # fmt: skip
                for kpi in KPI_CODES
            },
        },
        placeholder="—",
    )
    if st.form_submit_button(ui.tr("stages.save_thresholds"), type="primary"):
        try:
            save_threshold_table(thresholds, viewer)
            st.session_state["stages_generation"] = generation + 1
            st.rerun()
        except ValueError as exc:
            ui.refuse(exc, "stages.thresholds_not_saved")

assessment_settings_section(viewer)  # 机会评估五维度 (issue 17)
