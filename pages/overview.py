"""Overview: won vs goal, pipeline, overdue deals and win rate for the chosen period."""

import streamlit as st

from salesboard import ui
from salesboard.i18n import format_count, format_money, format_percent, format_points
from salesboard.metrics import period_change
from salesboard.outputs import charts
from salesboard.overview.figures import (
    figures_scope,
    monthly_won_vs_goal,
    overview_kpis,
    pipeline_by_stage,
)
from salesboard.store.queries import has_opportunities
from salesboard.ui import deal_list, setup_checklist

lang = ui.lang()
viewer = ui.page_viewer(__file__)
st.title(ui.tr("overview.title"))
period = ui.period_picker()
as_of = ui.as_of()
scope = ui.cached(figures_scope)(viewer)
whose = ui.tr(f"overview.scope_{scope.kind}", teams="、".join(scope.teams), owner=scope.owner)
st.caption(
    " · ".join(
        [whose, ui.tr("overview.caption", period=period.label), ui.tr("period.as_of", date=as_of)]
    )
)

ui.calendar_notice(as_of, period.end)

empty = not ui.cached(has_opportunities)()
setup_checklist.show_checklist(viewer, empty)
if empty:
    st.stop()

kpis = ui.cached(overview_kpis)(viewer, period, as_of)
won_change = period_change(kpis.won_amount_minor, kpis.previous_won_amount_minor, kind="amount")
win_rate_change = period_change(kpis.win_rate, kpis.previous_win_rate, kind="rate")
goal_text = (
    ui.tr("overview.goal", goal=format_money(kpis.revenue_goal_minor, lang))
    if kpis.revenue_goal_minor
    else ui.tr("overview.no_goal")
)
pace_points = kpis.goal.vs_pace
previous = kpis.previous
if previous.whole:
    vs_previous = ui.tr("figures.vs_previous_whole", previous=previous.previous.label)
elif previous.working_days:
    vs_previous = ui.tr(
        "figures.vs_previous_part", previous=previous.previous.label,
        days=previous.working_days, start=previous.start, end=previous.end,
    )  # fmt: skip
else:
    vs_previous = ui.tr("figures.vs_previous_none")

won, attained, pipeline, overdue, win_rate = st.columns(5)
won.metric(
    ui.tr("overview.won_amount"),
    format_money(kpis.won_amount_minor, lang, compact=True),
    delta=None
    if won_change is None
    else f"{format_percent(won_change)} {ui.tr('overview.vs_previous')}",
    help=f"{goal_text} · {vs_previous}",
)
attained.metric(
    ui.tr("overview.attainment"),
    format_percent(kpis.attainment),
    delta=None
    if pace_points is None
    else f"{format_points(pace_points)} {ui.tr('overview.vs_pace')}",
    help=ui.tr(
        "figures.attainment_help",
        actual=format_money(int(kpis.goal.actual or 0), lang),
        target=format_money(kpis.revenue_goal_minor, lang),
        goals=len(kpis.goal.goal_ids),
        elapsed=format_percent(kpis.elapsed),
    )
    if kpis.goal.goal_ids
    else ui.tr("overview.elapsed", elapsed=format_percent(kpis.elapsed)),
)
pipeline.metric(
    ui.tr("overview.open_pipeline"),
    format_money(kpis.open_pipeline_minor, lang, compact=True),
    help=ui.tr("overview.open_count", count=format_count(kpis.open_count)),
)
overdue.metric(
    ui.tr("overview.overdue"),
    format_count(kpis.overdue_count),
    help=ui.tr("figures.overdue_help"),
)
win_rate.metric(
    ui.tr("overview.win_rate"),
    format_percent(kpis.win_rate),
    delta=None if win_rate_change is None else format_points(win_rate_change),
    help=f"{ui.tr('overview.win_rate_help')} {vs_previous}",
)
# Each tile opens the deals (or goals) behind it.
deal_list.deals_link(won, "won", period)
deal_list.goals_link(attained, period)
deal_list.deals_link(pipeline, "open", period)
deal_list.overdue_link(overdue)
deal_list.deals_link(win_rate, "closed", period)
st.caption(
    " · ".join(
        [
            goal_text,
            ui.tr("overview.elapsed", elapsed=format_percent(kpis.elapsed)),
            ui.tr("overview.open_count", count=format_count(kpis.open_count)),
        ]
    )
)

left, right = st.columns([3, 2])
ui.plotly_chart(
    where=left, figure=charts.won_vs_goal_chart(ui.cached(monthly_won_vs_goal)(viewer, as_of), lang)
)
ui.plotly_chart(
    where=right, figure=charts.pipeline_by_stage_chart(ui.cached(pipeline_by_stage)(viewer), lang)
)
