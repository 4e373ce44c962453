"""The admins' settings of the feedback form (the team page's last tab): which KPIs the form
shows, their category, direction, weight, order and default target, and the completion below
which a KPI needs a reason; a warning when process metrics weigh less than 40 %."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.feedback import config as form_config
from salesboard.feedback.form import from_display, to_display
from salesboard.i18n import format_percent


def config_editor(viewer: Viewer) -> None:
    """Admins choose the form's KPIs, their category, direction, weight, order and default
    target; a warning when process metrics weigh less than 40 %."""
    config = ui.cached(form_config.load_config)()
    for key, values in form_config.weight_warnings(config.metrics):
        st.warning(ui.tr(key, **values))
    share = form_config.process_share(config.metrics)
    st.caption(ui.tr("feedback_config.share", share=format_percent(share)))
    frame = pd.DataFrame(
        {
            "code": [m.code for m in config.metrics],
            "metric": [ui.tr(f"feedback.metric.{m.code}") for m in config.metrics],
            "category": [m.category for m in config.metrics],
            "direction": [m.direction for m in config.metrics],
            "weight": [float(m.weight) for m in config.metrics],
            "shown": [m.shown for m in config.metrics],
            "order": [m.order for m in config.metrics],
            "default_target": pd.array(
                [to_display(m.kind, m.default_target) for m in config.metrics], dtype="Float64"
            ),
            "unit": [ui.tr(f"feedback.unit.{m.kind}") for m in config.metrics],
        }
    )
    col = st.column_config
    with st.form("fb_config"):
        edited = st.data_editor(
            frame,
            hide_index=True,
            width="stretch",
            disabled=["code", "metric", "unit"],
            column_order=[
                "metric",
                "category",
                "direction",
                "weight",
                "shown",
                "order",
                "default_target",
                "unit",
            ],
            column_config={
                "metric": col.TextColumn(ui.tr("feedback.col.metric")),
                "category": col.SelectboxColumn(
                    ui.tr("feedback.col.category"),
                    options=list(form_config.CATEGORIES),
                    format_func=lambda c: ui.tr(f"feedback.category.{c}"),
                    required=True,
                ),
                "direction": col.SelectboxColumn(
                    ui.tr("feedback_config.direction"),
                    options=list(form_config.DIRECTIONS),
                    format_func=lambda d: ui.tr(f"feedback_config.direction_{d}"),
                    required=True,
                ),
                "weight": col.NumberColumn(
                    ui.tr("feedback_config.weight"), min_value=0, max_value=100, step=1
                ),
                "shown": col.CheckboxColumn(ui.tr("feedback_config.shown")),
                "order": col.NumberColumn(ui.tr("feedback_config.order"), min_value=0, step=1),
                "default_target": col.NumberColumn(
                    ui.tr("feedback_config.default_target"),
                    help=ui.tr("feedback_config.default_target_help"),
                ),
                "unit": col.TextColumn(ui.tr("feedback.col.unit")),
            },  # fmt: skip
            key="fb_config_editor",
            placeholder="—",
        )
        threshold = st.number_input(
            ui.tr("feedback_config.threshold"), min_value=1.0, max_value=200.0,
            value=round(config.threshold * 100, 1), step=1.0,
        )  # fmt: skip
        saved = st.form_submit_button(ui.tr("feedback_config.save"), type="primary")
    if not saved:
        return
    metrics = []
    for base, row in zip(config.metrics, edited.itertuples(index=False), strict=True):
        target = (
            None
            if pd.isna(row.default_target)
            else from_display(base.kind, float(row.default_target))
        )
        metrics.append(
            replace(base, category=row.category, direction=row.direction, weight=float(row.weight or 0),
                    shown=bool(row.shown), order=int(row.order or 0), default_target=target)
        )  # fmt: skip
    try:
        with ui.writing() as session:
            form_config.save_config(
                session, viewer, form_config.FormConfig(tuple(metrics), threshold / 100)
            )
    except PermissionDenied:
        st.error(ui.tr("access.denied"))
        return
    except ValueError as error:
        ui.refuse(error, "feedback_config.not_saved")
        return
    st.success(ui.tr("feedback_config.saved"))
    st.rerun()
