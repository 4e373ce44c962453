"""Streamlit pieces of the trend & forecast page: the goal to forecast (in the URL), the
monthly trend, the forecast tiles and comparison, the back-test table, and the hour-long
cache of the slow back-test."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from salesboard import ui
from salesboard.goals import present
from salesboard.goals.charts import attainment_trend_chart, forecast_chart
from salesboard.goals.forecast import Forecast, forecastable
from salesboard.goals.format import decimals, format_goal_value, to_display, unit_label
from salesboard.goals.view import GoalTreeView
from salesboard.i18n import format_percent


def node_picker(view: GoalTreeView) -> int | None:
    """The goal to forecast (those whose results the viewer may see), kept in ``?node=``."""
    allowed = forecastable(view) if not view.empty else []
    if not allowed:
        return None
    lang = ui.lang()
    rows = view.nodes.set_index("id")
    # Plain dicts: a lookup per ancestor through .loc cost 0.3 s on a 1,900-goal tree.
    names = rows[f"name_{lang}"].astype(str).to_dict()
    depth, scope, path = (rows[c].to_dict() for c in ("depth", "scope", "path"))
    labels = {str(i): "　" * int(depth[i]) + names[i] for i in allowed}
    # One team or rep can sit under several branches (a team's goal per product line): the
    # same name then says where it sits, or picking one would pick another.
    seen = pd.Series(list(labels.values())).value_counts()
    for i in allowed:
        if seen[labels[str(i)]] > 1:
            above = [names[a] for a in path[i][:-1] if a in names and scope[a] != "company"]
            labels[str(i)] += (
                f"（{' / '.join(above)}）" if lang == "zh" else f" ({' / '.join(above)})"
            )
    chosen = ui.url_select(
        "node", ui.tr("goals.forecast.goal"), list(labels), str(allowed[0]), labels.get
    )
    return int(chosen)


def trend(frame: pd.DataFrame, year: int, metric: str) -> None:
    """Attainment by month across ``year``, with the year-to-date line."""
    st.subheader(ui.tr("goals.trend.title", year=year))
    if frame["target"].isna().all():
        st.info(ui.tr("goals.trend.no_month_goals"))
    as_of = ui.as_of()
    current = f"{as_of:%Y-%m}"
    partial = current if current in set(frame["month"]) else None
    ui.plotly_chart(attainment_trend_chart(frame, metric, ui.lang(), partial), key="goal_trend")
    if partial:
        st.caption(ui.tr("goals.trend.partial", date=as_of.isoformat()))


def tiles(forecast: Forecast) -> None:
    """Target, actual so far and the two forecasts with the attainment each would mean."""
    lang, metric = ui.lang(), forecast.metric

    def value(v) -> str:
        return format_goal_value(v, metric, lang)

    def landing(v) -> str | None:
        if v is None or not forecast.target:
            return None
        return ui.tr("goals.forecast.would_be", share=format_percent(v / forecast.target))

    target, actual, run_rate, pipeline = st.columns(4)
    target.metric(ui.tr("goals.col.target"), value(forecast.target))
    actual.metric(
        ui.tr("goals.forecast.actual_so_far"),
        value(forecast.actual),
        help=ui.tr("goals.forecast.days", elapsed=forecast.elapsed_days, total=forecast.total_days),
    )
    run_rate.metric(
        ui.tr("goals.forecast.run_rate"),
        value(forecast.run_rate),
        delta=landing(forecast.run_rate),
        delta_color="off",
        delta_arrow="off",
        help=ui.tr("goals.forecast.run_rate_help"),
    )
    pipeline.metric(
        ui.tr("goals.forecast.pipeline"),
        value(forecast.pipeline) if forecast.supports_pipeline else "—",
        delta=landing(forecast.pipeline),
        delta_color="off",
        delta_arrow="off",
        help=ui.tr("goals.forecast.pipeline_help"),
    )


def comparison(forecast: Forecast) -> None:
    """The bar chart of actual and forecasts against the target, and the pipeline by stage."""
    lang, metric = ui.lang(), forecast.metric
    left, right = st.columns(2)
    ui.plotly_chart(where=left, figure=forecast_chart(forecast, lang), key="goal_forecast_chart")
    if not forecast.supports_pipeline:
        right.info(ui.tr("goals.forecast.no_pipeline"))
        return
    stages = forecast.pipeline_by_stage
    right.dataframe(
        pd.DataFrame(
            {
                "stage": stages[f"name_{lang}"],
                "open": [to_display(v, metric, lang) for v in stages["open_amount"]],
                "rate": stages["win_rate"].astype("float64") * 100,
                "weighted": [to_display(v, metric, lang) for v in stages["weighted"]],
            }
        ),
        hide_index=True,
        column_config={
            "stage": ui.tr("goals.forecast.stage"),
            "open": _value_column("goals.forecast.open", metric, lang),
            "rate": st.column_config.NumberColumn(
                ui.tr("goals.forecast.win_rate"), format="%.1f%%"
            ),
            "weighted": _value_column("goals.forecast.weighted", metric, lang),
        },
        placeholder="—",
    )


def _value_column(label_key: str, metric: str, lang: str):
    """A table column of ``metric`` values headed by ``label_key`` with the metric's unit."""
    return st.column_config.NumberColumn(
        present.with_unit(ui.tr(label_key), unit_label(metric, lang), lang),
        format=f"%,.{decimals(metric, lang)}f",
    )


def backtest(forecast: Forecast) -> None:
    """How far each method was off at the same point of earlier periods (MAPE)."""
    lang, metric = ui.lang(), forecast.metric
    st.subheader(ui.tr("goals.backtest.title"))
    table = forecast.backtest
    if table.empty or (forecast.run_rate_mape is None and forecast.pipeline_mape is None):
        st.info(ui.tr("goals.backtest.none"))
        return
    share = forecast.elapsed_days / forecast.total_days if forecast.total_days else 0
    st.markdown(
        ui.tr(
            "goals.backtest.statement",
            count=len(table),
            share=format_percent(share, 0),
            run_rate=format_percent(forecast.run_rate_mape),
            pipeline=format_percent(forecast.pipeline_mape) if forecast.supports_pipeline else "—",
        )
    )
    shown = pd.DataFrame(
        {
            "period": table["period"],
            "as_of": table["as_of"].astype(str),
            "then": [to_display(v, metric, lang) for v in table["actual_then"]],
            "final": [to_display(v, metric, lang) for v in table["final"]],
            "run_rate": [to_display(v, metric, lang) for v in table["run_rate"]],
            "run_rate_error": table["run_rate_error"] * 100,
            "pipeline": [to_display(v, metric, lang) for v in table["pipeline"]],
            "pipeline_error": table["pipeline_error"] * 100,
        }
    )
    error = st.column_config.NumberColumn(ui.tr("goals.backtest.error"), format="%+.1f%%")
    columns = {
        "period": ui.tr("period.label"),
        "as_of": ui.tr("goals.backtest.as_of"),
        "then": _value_column("goals.backtest.then", metric, lang),
        "final": _value_column("goals.backtest.final", metric, lang),
        "run_rate": _value_column("goals.forecast.run_rate", metric, lang),
        "run_rate_error": error,
        "pipeline": _value_column("goals.forecast.pipeline", metric, lang),
        "pipeline_error": error,
    }
    order = list(columns)
    if not forecast.supports_pipeline:
        order = [c for c in order if not c.startswith("pipeline")]
    st.dataframe(shown, hide_index=True, column_order=order, column_config=columns, placeholder="—")
    with st.expander(ui.tr("goals.forecast.method_title")):
        st.markdown(ui.tr("goals.forecast.method"))
