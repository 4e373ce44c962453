"""Streamlit pieces of the scorecard page: one person's score (tiles, waterfall, metric
table), the distribution and trend, the normalisation rules, saving scores, the weight-set
editor and the export."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from salesboard import ui
from salesboard.accounts.access import PermissionDenied, Viewer
from salesboard.evaluation import report, weights
from salesboard.evaluation.scorecard import ScoreCard, may_save_scores, save_scorecards
from salesboard.i18n import format_percent

PERCENT_METRICS = {"key_action_completion", "key_action_on_time", "revenue",
                   "on_time_collection", "new_customers", *weights.CUSTOMER_METRICS}  # fmt: skip


def actual_text(metric: str, actual: float | None, target: float | None) -> str:
    """A metric's actual as the table shows it ("—" without one)."""
    if actual is None or pd.isna(actual):
        return "—"
    if metric in PERCENT_METRICS:
        return format_percent(actual)
    if metric == "effective_visits":
        return f"{actual:,.0f} / {target:,.0f}" if target else f"{actual:,.0f}"
    if metric == "stage_time":
        return f"{actual:.2f}×"
    return f"{actual:.2f}"


def score_tiles(card: ScoreCard) -> None:
    """Total, process and result in points, and which weight set the score used."""
    process_max = sum(line.effective_weight for line in card.lines if line.group == "process")
    left, middle, right = st.columns(3)
    left.metric(ui.tr("score.total"), f"{card.total:.1f}", help=ui.tr("score.points_of", max=100))
    middle.metric(ui.tr("score.process"), f"{card.process:.1f}",
                  help=ui.tr("score.points_of", max=f"{process_max:.0f}"))  # fmt: skip
    right.metric(ui.tr("score.result"), f"{card.result:.1f}",
                 help=ui.tr("score.points_of", max=f"{100 - process_max:.0f}"))  # fmt: skip
    if card.saved_id is not None:
        at = card.computed_at.strftime("%Y-%m-%d %H:%M") if card.computed_at else ""
        st.caption(ui.tr("score.saved_with", at=at, weights=card.weights.label))
    else:
        st.caption(ui.tr("score.live_with", weights=_weights_name(card.weights)))
    missing = sum(line.weight for line in card.lines if line.score is None)
    if missing:
        st.caption(ui.tr("score.redistributed", weight=f"{missing:g}"))


def _weights_name(current: weights.Weights) -> str:
    return current.label if current.id is not None else ui.tr("score.weights_default")


def waterfall(card: ScoreCard) -> None:
    """The contribution of each metric adding up to the total."""
    rated = [line for line in card.lines if line.score is not None]
    names = [ui.tr(f"score.metric.{line.metric}") for line in rated]
    figure = go.Figure(
        go.Waterfall(
            x=[*names, ui.tr("score.total")],
            y=[*(round(line.contribution, 2) for line in rated), round(card.total, 2)],
            measure=["relative"] * len(rated) + ["total"],
            text=[*(f"{line.contribution:.1f}" for line in rated), f"{card.total:.1f}"],
            textposition="outside",
        )
    )
    figure.update_layout(
        height=340, margin={"l": 10, "r": 10, "t": 30, "b": 10}, showlegend=False,
        yaxis={"range": [0, 105]},
    )  # fmt: skip
    st.subheader(ui.tr("score.waterfall"))
    ui.plotly_chart(figure, width="stretch", key="score_waterfall")


def metric_table(card: ScoreCard) -> None:
    """Actual, score, weight, applied weight, contribution and the rule per metric."""
    rows = [
        {
            "group": ui.tr(f"score.group.{line.group}"),
            "metric": ui.tr(f"score.metric.{line.metric}"),
            "actual": actual_text(line.metric, line.actual, line.target),
            "score": "—" if line.score is None else f"{line.score:.1f}",
            "weight": line.weight,
            "effective_weight": line.effective_weight,
            "contribution": line.contribution,
            "rule": ui.tr(f"score.rule.{line.metric}"),
        }
        for line in card.lines
    ]
    columns = {
        key: ui.tr(f"score.col.{key}") for key in ("group", "metric", "actual", "score", "rule")
    }
    columns |= {
        "weight": st.column_config.NumberColumn(ui.tr("score.col.weight"), format="%.0f"),
        "effective_weight": st.column_config.NumberColumn(
            ui.tr("score.col.effective_weight"), format="%.1f"
        ),
        "contribution": st.column_config.NumberColumn(
            ui.tr("score.col.contribution"), format="%.1f"
        ),
    }
    st.dataframe(pd.DataFrame(rows), hide_index=True, column_config=columns,
                 key="score_lines", placeholder="—")  # fmt: skip


def distribution(cards: list[ScoreCard], chosen: ScoreCard, level: str) -> None:
    """Everyone's total as a box with the points, the chosen one marked."""
    totals = [c.total for c in cards]
    figure = go.Figure(
        go.Box(
            x=totals,
            name="",
            boxpoints="all",
            jitter=0.4,
            pointpos=0,
            text=[c.name for c in cards],
            hoverinfo="x+text",
            showlegend=False,
        )  # fmt: skip
    )
    figure.add_trace(
        go.Scatter(
            x=[chosen.total],
            y=[""],
            mode="markers",
            showlegend=False,
            marker={"symbol": "diamond", "size": 16, "color": "#d1242f"},
            text=[chosen.name],
            hoverinfo="x+text",
        )  # fmt: skip
    )
    figure.update_layout(height=200, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         xaxis={"range": [0, 100]})  # fmt: skip
    st.subheader(ui.tr("score.distribution"))
    st.caption(
        ui.tr("score.distribution_caption", level=ui.tr(f"score.level.{level}"), name=chosen.name)
    )
    ui.plotly_chart(figure, width="stretch", key="score_distribution")


def trend(frame: pd.DataFrame) -> None:
    """Total, process and result over the last periods."""
    st.subheader(ui.tr("score.trend"))
    if frame.empty:
        return
    figure = go.Figure()
    for column in ("total", "process", "result"):
        figure.add_trace(
            go.Scatter(
                x=frame["period"],
                y=frame[column].round(1),
                mode="lines+markers",
                name=ui.tr(f"score.{column}"),
            )  # fmt: skip
        )
    figure.update_layout(height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10},
                         yaxis={"range": [0, 100]}, xaxis={"type": "category"},
                         legend={"orientation": "h"})  # fmt: skip
    ui.plotly_chart(figure, width="stretch", key="score_trend")
    st.caption(ui.tr("score.trend_caption"))


def everyone_table(cards: list[ScoreCard]) -> None:
    """Every scorecard in sight, best first."""
    frame = report.summary_frame(sorted(cards, key=lambda c: -c.total), ui.lang())
    st.dataframe(frame, hide_index=True, key="score_everyone", placeholder="—")


def normalisation_rules() -> None:
    """Every metric's rule, in words."""
    with st.expander(ui.tr("score.normalisation")):
        st.markdown(ui.tr("score.normalisation_intro"))
        for metric in weights.METRICS:
            st.markdown(f"- **{ui.tr(f'score.metric.{metric}')}**: {ui.tr(f'score.rule.{metric}')}")


def save_buttons(viewer: Viewer, level: str, period, as_of: date, any_saved: bool) -> None:
    """Save (or recompute and save) the scores of everyone shown."""
    if not may_save_scores(viewer):
        return
    label = "score.recompute" if any_saved else "score.save"
    if st.button(ui.tr(label), help=ui.tr("score.save_help"), key="score_save"):
        try:
            with ui.writing() as session:
                saved = save_scorecards(session, viewer, level, period, as_of)
        except PermissionDenied as exc:
            ui.refuse(exc, "access.denied")
            return
        st.success(ui.tr("score.saved_notice", count=len(saved)))


def export_button(cards: list[ScoreCard], period_label: str, as_of: date) -> None:
    """Download the scorecards as XLSX (built when the button is clicked, not on every
    render)."""
    lang = ui.lang()
    title = ui.tr("score.report_title", period=period_label, date=as_of.isoformat())
    st.download_button(
        ui.tr("score.export"),
        data=lambda: report.render(cards, "xlsx", lang, title=title),
        file_name=f"scorecards-{period_label}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="score_export",
    )


def weights_editor(viewer: Viewer, as_of: date) -> None:
    """The current weight set; leaders and admins save a new version (100 % rule, warning
    under 40 % process)."""
    current = ui.cached(weights.current_weights)()
    with st.expander(ui.tr("score.weights")):
        since = current.valid_from.isoformat() if current.valid_from else "—"
        st.caption(ui.tr("score.weights_caption", weights=_weights_name(current), since=since))
        if weights.process_warning(current.weights):
            st.warning(ui.tr("score.weights_warning", process=f"{current.process_percent:g}"))
        if not weights.may_edit_weights(viewer):
            st.dataframe(_weights_frame(current.weights), hide_index=True, key="score_weights_ro")
            return
        with st.form("score_weights_form"):
            values = {}
            for group in ("process", "result"):
                st.markdown(f"**{ui.tr(f'score.group.{group}')}**")
                cols = st.columns(3)
                metrics = [m for m in weights.METRICS if weights.METRIC_GROUPS[m] == group]
                for i, metric in enumerate(metrics):
                    values[metric] = cols[i % 3].number_input(
                        ui.tr(f"score.metric.{metric}"), min_value=0.0, max_value=100.0,
                        value=float(current.weights.get(metric, 0)), step=1.0,
                        key=f"score_w_{metric}",
                    )  # fmt: skip
            valid_from = st.date_input(ui.tr("score.weights_valid_from"), value=as_of,
                                       key="score_w_from")  # fmt: skip
            note = st.text_input(ui.tr("score.weights_note"), key="score_w_note", max_chars=500)
            submitted = st.form_submit_button(ui.tr("score.weights_save"), type="primary")
        total = sum(values.values())
        st.caption(ui.tr("score.weights_sum", total=f"{total:g}"))
        if weights.process_warning(values):
            st.warning(
                ui.tr("score.weights_warning", process=f"{weights.process_percent(values):g}")
            )
        if submitted:
            _save_weights(viewer, values, valid_from, note)


def _save_weights(viewer: Viewer, values: dict, valid_from: date, note: str) -> None:
    try:
        with ui.writing() as session:
            saved = weights.save_weights(session, viewer, values, valid_from, note=note)
    except weights.WeightError as exc:
        if exc.field == "total":
            ui.refuse(exc, "score.weights_error_total", total=f"{sum(values.values()):g}")
        else:
            ui.refuse(exc, "score.weights_error_metric", metric=ui.tr(f"score.metric.{exc.field}"))
        return
    except PermissionDenied as exc:
        ui.refuse(exc, "access.denied")
        return
    st.success(ui.tr("score.weights_saved", weights=saved.label))


def _weights_frame(values: dict) -> pd.DataFrame:
    return pd.DataFrame(
        {
            ui.tr("score.col.group"): [
                ui.tr(f"score.group.{weights.METRIC_GROUPS[m]}") for m in weights.METRICS
            ],  # fmt: skip
            ui.tr("score.col.metric"): [ui.tr(f"score.metric.{m}") for m in weights.METRICS],
            ui.tr("score.col.weight"): [values.get(m, 0) for m in weights.METRICS],
        }
    )
