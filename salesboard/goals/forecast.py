"""Where a goal will land at period end, two ways, and how far each way was off before.

- Run-rate: actual so far / working days elapsed × working days in the period.
- Weighted pipeline (revenue): actual so far + Σ open amount × the historical win rate of
  the stage each open deal is in. Open deals count when they are expected to close by the
  period end (or have no expected close date). A stage's win rate is measured over the
  trailing ``WINDOW_DAYS``: of the deals closed in that window that had reached the stage,
  the share that was won.
- Back-test (``backtest``): both methods applied to the last few complete periods of the
  same kind, as of the same share of working days elapsed, against what those periods
  finally reached; the error is the mean absolute percentage error (MAPE).

The pure functions come first (hand-checkable); the queries follow, then ``forecast`` (the
current period and its back-test in one batch of queries), then what the forecast page
shows: ``node_forecast`` (the goal's forecast and monthly trend) and ``node_backtest`` (the
back-test alone, the slow part), both for a ``ForecastNode`` taken from the page's tree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import Date, and_, func, literal, or_, select, true, union_all
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.periods import Period, parse_period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.facts import AVERAGE_METRICS, DIMENSIONS, node_condition
from salesboard.goals import tree
from salesboard.goals.backtest import (
    BACKTEST_PERIODS,
    backtest_periods,
    backtest_table,
    mape,
    same_point,
    working_days_in,
)
from salesboard.goals.queries import node_actual
from salesboard.goals.trend import monthly_trend
from salesboard.goals.view import GoalTreeView
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import (
    PIPELINE_REACH_DAYS,
    GoalMetric,
    OpportunityStatus,
    PipelineKind,
    RollupKind,
    StageKind,
)
from salesboard.store.queries import money_sum
from salesboard.store.tables import HISTORY, OPP, PIPELINE, ROLLUP, STAGE

WINDOW_DAYS = 365  # trailing window of the stage win rates
# An open deal that entered its stage more than this long before an as-of date counts as
# dead for the forecast (it keeps the history lookup to an index range); the open pipeline
# over time (``open_pipeline``) is kept by the same rule.
MAX_STAY_DAYS = PIPELINE_REACH_DAYS


# --- pure ------------------------------------------------------------------------------------


def run_rate_forecast(actual: float, elapsed_days: int, total_days: int) -> float | None:
    """Period-end actual at the pace so far: actual / elapsed × total working days (None
    before the first working day)."""
    if elapsed_days <= 0 or total_days <= 0:
        return None
    return float(actual) / elapsed_days * total_days


def stage_win_rates(closed: pd.DataFrame, positions: Sequence[int]) -> dict[int, float | None]:
    """Win rate of each open stage position from closed deals: ``closed`` has ``status``
    ("won"/"lost"), ``lost_position`` (the stage a lost deal was lost in) and ``deals``.

    A won deal passed every open stage; a lost deal reached the stages up to the one it was
    lost in. Rate = won / (won + lost that reached the stage); None without closed deals."""
    won = float(closed.loc[closed["status"] == OpportunityStatus.WON, "deals"].sum())
    lost = closed[closed["status"] == OpportunityStatus.LOST]
    rates: dict[int, float | None] = {}
    for position in positions:
        reached = float(lost.loc[lost["lost_position"] >= position, "deals"].sum())
        rates[position] = won / (won + reached) if won + reached else None
    return rates


def pipeline_forecast(
    actual: float, open_by_stage: dict[int, float], rates: dict[int, float | None]
) -> float:
    """Actual plus each stage's open amount weighted by its win rate (a stage without a
    rate counts 0)."""
    return float(actual) + sum(
        amount * (rates.get(position) or 0.0) for position, amount in open_by_stage.items()
    )


# --- queries ---------------------------------------------------------------------------------


def open_stages(session: Session) -> list[tuple[int, int]]:
    """(stage id, position) of the open stages, in order."""
    rows = session.execute(
        select(STAGE.c.id, STAGE.c.position)
        .where(STAGE.c.kind == StageKind.OPEN)
        .order_by(STAGE.c.position)
    ).all()
    return [(int(i), int(p)) for i, p in rows]


def win_rates_as_of(
    session: Session, points: Sequence[date], window_days: int = WINDOW_DAYS
) -> list[dict[int, float | None]]:
    """Stage win rates (by position) as of each date in ``points``, over the trailing window,
    company-wide (an aggregate: more deals, steadier rates). Two small grouped reads of the
    per-day rollups (won per day; lost per day and stage); windows summed here."""
    stages = open_stages(session)
    positions = [p for _, p in stages]
    position_of = dict(stages)
    first = min(points) - timedelta(days=window_days - 1)
    last = max(points)

    def per_day(kind: RollupKind, *by):
        return session.execute(
            select(ROLLUP.c.day, *by, func.sum(ROLLUP.c.deals))
            .where(ROLLUP.c.kind == kind, ROLLUP.c.day.between(first, last))
            .group_by(ROLLUP.c.day, *by)
        ).all()

    won = per_day(RollupKind.WON)
    lost = per_day(RollupKind.LOST, ROLLUP.c.stage_id)  # stage 0: lost in an unknown stage
    won_days = pd.DataFrame(won, columns=["day", "deals"])
    lost_days = pd.DataFrame(lost, columns=["day", "stage", "deals"])
    out = []
    for t in points:
        start = t - timedelta(days=window_days - 1)
        won_in = won_days[(won_days["day"] >= start) & (won_days["day"] <= t)]["deals"].sum()
        lost_in = lost_days[(lost_days["day"] >= start) & (lost_days["day"] <= t)]
        closed = pd.DataFrame(
            {
                "status": [OpportunityStatus.WON] + [OpportunityStatus.LOST] * len(lost_in),
                "lost_position": [-1] + [position_of.get(x, -1) for x in lost_in["stage"]],
                "deals": [int(won_in)] + [int(x) for x in lost_in["deals"]],
            }
        )
        out.append(stage_win_rates(closed, positions))
    return out


def open_pipeline_as_of(
    session: Session,
    viewer: Viewer,
    dims: dict[str, int | None],
    points: Sequence[tuple[date, date]],
    today: date | None = None,
) -> list[dict[int, float]]:
    """Open amount (minor units) by stage position at each ``(as_of, period_end)``: deals
    whose stage stay covers ``as_of`` (from the stage history) and that are expected to close
    by ``period_end`` or have no expected close date. Narrowed to ``dims`` and to what
    ``viewer`` may see. A stay that began more than ``MAX_STAY_DAYS`` before ``as_of`` counts
    as a dead deal. Where it can answer (periods ending on a month's last day, narrowed by
    product line, region or team, not by rep) the open pipeline kept over time
    (``open_pipeline``) is read: each point its month's first day and the changes since. A
    rep's deals drive otherwise: their stays read once for every point. Else each point
    reads a covering-index range on the history: the stays begun in the ``MAX_STAY_DAYS``
    before it, or, for a point at most that long before ``today`` (default: the latest
    point), the stays still open plus those that ended after it."""
    stages = open_stages(session)
    position_of = dict(stages)
    expected = OPP.c.expected_close_on
    latest = today or max((t for t, _ in points), default=None)
    scope = scoped_filter(viewer, NO_FILTER)
    if _table_can_answer(scope, dims, points):
        return _pipeline_from_table(session, scope, dims, points, position_of)
    # A rep's or a team's deals are few: they drive, read once for every point (a team's
    # here only for periods not ending on a month's last day).
    if not viewer.sees_everything or any(dims.get(d) for d in ("user_id", "team_id")):
        return _narrow_pipeline(session, viewer, dims, points, position_of)
    out = []
    for t, end in points:
        since = t - timedelta(days=MAX_STAY_DAYS)
        deals = scope.apply(
            select(OPP.c.id, OPP.c.amount_minor)
            .where(or_(expected.is_(None), expected <= end), node_condition(dims))
        )  # fmt: skip
        amounts: dict[int, float] = {}
        for condition in _ranges(t, since, latest):
            query = _stays_first(deals, position_of, condition)
            for stage_id, amount in session.execute(query).all():
                position = position_of[stage_id]
                amounts[position] = amounts.get(position, 0.0) + float(amount or 0)
        out.append(amounts)
    return out


def _table_can_answer(
    scope: OpportunityFilter, dims: dict[str, int | None], points: Sequence[tuple[date, date]]
) -> bool:
    """Whether ``open_pipeline`` holds the answer: it keeps the product line, region and
    team (not the owner, source or customer type) and the expected close month, so every
    period must end on a month's last day."""
    month_ends = all((end + timedelta(days=1)).day == 1 for _, end in points)
    return (
        scope.rollups_can_answer and not scope.owner_ids and dims.get("user_id") is None
        and month_ends
    )  # fmt: skip


def _points(points: Sequence[tuple[date, date]]):
    """The points as a table: ``n`` (their order), ``since`` (the reach's first day),
    ``month`` (the first day of the as-of day's month), ``t`` (the as-of day) and ``until``
    (the period's end)."""
    numbered = [
        select(literal(i).label("n"), literal(t - timedelta(days=MAX_STAY_DAYS), Date).label("since"),
               literal(t.replace(day=1), Date).label("month"), literal(t, Date).label("t"),
               literal(end, Date).label("until"))
        for i, (t, end) in enumerate(points)
    ]  # fmt: skip
    return (numbered[0] if len(numbered) == 1 else union_all(*numbered)).subquery("points")


def _by_position(rows, count: int, position_of: dict[int, int]) -> list[dict[int, float]]:
    """Rows of (point number, stage id, amount) as each point's amount by stage position."""
    out: list[dict[int, float]] = [{} for _ in range(count)]
    for n, stage_id, amount in rows:
        position = position_of[stage_id]
        out[n][position] = out[n].get(position, 0.0) + float(amount or 0)
    return out


def _pipeline_from_table(
    session: Session,
    scope: OpportunityFilter,
    dims: dict[str, int | None],
    points: Sequence[tuple[date, date]],
    position_of: dict[int, int],
) -> list[dict[int, float]]:
    """``open_pipeline_as_of`` from ``open_pipeline``: each point's month-start rows and the
    changes since, of the months closing by the period's end (undated deals are in month
    0001-01)."""
    if not points:
        return []
    at = _points(points)
    closing = PIPELINE.c.close_month <= at.c.until
    on_month = and_(PIPELINE.c.kind == PipelineKind.OPEN, PIPELINE.c.day == at.c.month)
    since_month = and_(PIPELINE.c.kind == PipelineKind.CHANGE, PIPELINE.c.day > at.c.month,
                       PIPELINE.c.day <= at.c.t)  # fmt: skip

    def part(rows):
        query = (
            select(at.c.n, PIPELINE.c.stage_id, PIPELINE.c.deals, PIPELINE.c.amount_minor)
            .select_from(PIPELINE.join(at, and_(rows, closing)))
            .where(PIPELINE.c.stage_id.in_(list(position_of)), node_condition(dims, PIPELINE))
        )
        return scope.apply_to_rollups(query, PIPELINE)

    both = union_all(part(on_month), part(since_month)).subquery("both")
    # A stage with no deal on the day is left out (rows that cancel, zero rows left by
    # writes), as the stays leave it out.
    query = (
        select(both.c.n, both.c.stage_id, money_sum(both.c.amount_minor))
        .group_by(both.c.n, both.c.stage_id)
        .having(func.sum(both.c.deals) != 0)
    )
    return _by_position(session.execute(query).all(), len(points), position_of)


def _narrow_pipeline(
    session: Session,
    viewer: Viewer,
    dims: dict[str, int | None],
    points: Sequence[tuple[date, date]],
    position_of: dict[int, int],
) -> list[dict[int, float]]:
    """``open_pipeline_as_of`` for a rep's or a team's deals, in one statement: their deals
    and the stays of those deals begun within the points' reach are read once and matched
    against every point (a team at 10M deals: one read of its 400k deals instead of one per
    point, 2 s each)."""
    if not points:
        return []
    at = _points(points)
    reach = (min(t for t, _ in points) - timedelta(days=MAX_STAY_DAYS), max(t for t, _ in points))
    mine = (
        scoped_filter(viewer, NO_FILTER)
        .apply(select(OPP.c.id, OPP.c.amount_minor, OPP.c.expected_close_on)
               .where(node_condition(dims)))
        .cte("deals")
        .prefix_with("MATERIALIZED")
    )  # fmt: skip
    of_deal = (
        select(HISTORY.c.stage_id, HISTORY.c.entered_on, HISTORY.c.left_on)
        .where(HISTORY.c.opportunity_id == mine.c.id, HISTORY.c.stage_id.in_(list(position_of)),
               HISTORY.c.entered_on.between(*reach))
    )  # fmt: skip
    # Each deal's own stays, one seek of the (deal, stage, days) index: PostgreSQL otherwise
    # hashed the deals against every stay of the company begun in each point's window (a
    # team at 10M deals: 8M index entries a point, 25 s for five). LATERAL forces the seek;
    # SQLite seeks per deal anyway (and has no LATERAL).
    if session.get_bind().dialect.name == "postgresql":
        stay = of_deal.lateral("stay")
        source, picked = mine.join(stay, true()), stay.c
    else:
        source, picked = mine.join(HISTORY, of_deal.whereclause), HISTORY.c
    stays = (
        select(picked.stage_id, picked.entered_on, picked.left_on, mine.c.amount_minor,
               mine.c.expected_close_on)
        .select_from(source)
        .cte("stays")
        .prefix_with("MATERIALIZED")
    )  # fmt: skip
    covered = and_(
        stays.c.entered_on.between(at.c.since, at.c.t),
        or_(stays.c.left_on.is_(None), stays.c.left_on > at.c.t),
        or_(stays.c.expected_close_on.is_(None), stays.c.expected_close_on <= at.c.until),
    )
    query = (
        select(at.c.n, stays.c.stage_id, money_sum(stays.c.amount_minor))
        .select_from(stays.join(at, covered))
        .group_by(at.c.n, stays.c.stage_id)
    )
    return _by_position(session.execute(query).all(), len(points), position_of)


def _covering(t: date, since: date):
    """SQL condition on a stay: open on ``t``, begun since ``since``."""
    return and_(
        HISTORY.c.entered_on.between(since, t),
        or_(HISTORY.c.left_on.is_(None), HISTORY.c.left_on > t),
    )


def _ranges(t: date, since: date, latest: date | None) -> list:
    """The history index ranges holding the stays open on ``t`` begun since ``since``."""
    if latest is not None and (latest - t).days <= MAX_STAY_DAYS:
        # By the (stage, left, entered) index: the stays open now, then those that ended
        # after ``t`` (the start day in a function, so that index is the one used).
        return [
            and_(HISTORY.c.left_on.is_(None), HISTORY.c.entered_on.between(since, t)),
            and_(HISTORY.c.left_on > t, func.coalesce(HISTORY.c.entered_on, None).between(since, t)),
        ]  # fmt: skip
    return [_covering(t, since)]


def _stays_first(deals, position_of: dict[int, int], condition):
    """Open amount by stage of ``deals`` (a select of id, amount) over the stays meeting
    ``condition``: the stays first, materialised in deal order, so that their deals are read
    in the order they are stored, not one random page per stay."""
    stays = (
        select(HISTORY.c.stage_id, HISTORY.c.opportunity_id)
        .where(HISTORY.c.stage_id.in_(list(position_of)), condition)
        .order_by(HISTORY.c.opportunity_id)
        .cte("stays")
        .prefix_with("MATERIALIZED")
    )
    picked = deals.subquery("picked")
    return (
        select(stays.c.stage_id, money_sum(picked.c.amount_minor))
        .select_from(stays.join(picked, picked.c.id == stays.c.opportunity_id))
        .group_by(stays.c.stage_id)
    )


@dataclass(frozen=True)
class Forecast:
    """One node's forecast for a period, and its back-test. Money in minor units."""

    period: Period
    metric: str
    as_of: date
    dims: dict
    target: float | None
    actual: float | None
    elapsed_days: int
    total_days: int
    run_rate: float | None
    pipeline: float | None
    pipeline_by_stage: pd.DataFrame  # position, name_zh/en, open_amount, win_rate, weighted
    backtest: pd.DataFrame  # period, as_of, actual_then, final, run_rate, pipeline, errors
    run_rate_mape: float | None
    pipeline_mape: float | None
    supports_pipeline: bool
    supports_forecast: bool


def _stage_rows(
    session: Session, opens: dict[int, float], rates: dict[int, float | None]
) -> pd.DataFrame:
    """The open stages with their open amount, win rate and weighted amount."""
    stages = session.execute(
        select(STAGE.c.position, STAGE.c.name_zh, STAGE.c.name_en)
        .where(STAGE.c.kind == StageKind.OPEN)
        .order_by(STAGE.c.position)
    ).all()
    rows = pd.DataFrame(stages, columns=["position", "name_zh", "name_en"]).astype(
        {"position": "int64"}
    )
    rows["open_amount"] = [opens.get(p, 0.0) for p in rows["position"]]
    rows["win_rate"] = [rates.get(p) for p in rows["position"]]
    rows["weighted"] = rows["open_amount"] * rows["win_rate"].astype("float64").fillna(0.0)
    return rows


def forecast(
    session: Session,
    viewer: Viewer,
    period_label: str,
    metric: str,
    as_of: date,
    dims: dict[str, int | None],
    target: float | None = None,
    calendar: WorkCalendar | None = None,
    backtest_count: int | None = None,
    current: bool = True,
) -> Forecast:
    """Run-rate and weighted-pipeline forecasts of the node with ``dims`` for the period, as
    ``viewer`` may see it, and the back-test of both over the ``backtest_count`` (default
    ``BACKTEST_PERIODS``; 0 = none) earlier periods of the same kind. ``current=False``
    leaves the period's own figures out (None; no stage rows): the back-test alone."""
    calendar = calendar or load_calendar(session)
    period = parse_period(period_label)
    dims = {d: dims.get(d) for d in DIMENSIONS}
    cumulative = metric not in AVERAGE_METRICS
    with_pipeline = metric == GoalMetric.REVENUE
    end = min(as_of, period.end)
    total = working_days_in(calendar, period.start, period.end)
    elapsed = working_days_in(calendar, period.start, end)
    share = elapsed / total if total else 0.0
    count = BACKTEST_PERIODS[period.kind] if backtest_count is None else backtest_count
    history = backtest_periods(period, count, as_of)
    points = [same_point(calendar, p, share) for p in history]
    # The as-of points, read together: the period's own (``current``), then the history's.
    spans = ([(period, end)] if current else []) + list(zip(history, points, strict=True))
    ranges = [(p.start, t) for p, t in spans] + [(p.start, p.end) for p in history]
    actuals = node_actual(session, viewer, metric, dims, ranges, calendar) if ranges else []
    at_point, final = actuals[: len(spans)], actuals[len(spans) :]
    run_rates = [
        run_rate_forecast(a or 0.0, working_days_in(calendar, p.start, t), working_days_in(calendar, p.start, p.end))
        if cumulative else None
        for a, (p, t) in zip(at_point, spans, strict=True)
    ]  # fmt: skip
    pipelines: list[float | None] = [None] * len(spans)
    stage_rows = pd.DataFrame(
        columns=["position", "name_zh", "name_en", "open_amount", "win_rate", "weighted"]
    )
    if with_pipeline and spans:
        rates = win_rates_as_of(session, [t for _, t in spans])
        opens = open_pipeline_as_of(session, viewer, dims, [(t, p.end) for p, t in spans], as_of)
        pipelines = [
            pipeline_forecast(a or 0.0, o, r)
            for a, o, r in zip(at_point, opens, rates, strict=True)
        ]  # fmt: skip
        if current:
            stage_rows = _stage_rows(session, opens[0], rates[0])
    now = 1 if current else 0
    actual_now, rr_now, pl_now = (
        (at_point[0], run_rates[0], pipelines[0]) if current else (None,) * 3
    )
    then, rr_past, pl_past = at_point[now:], run_rates[now:], pipelines[now:]
    backtest = backtest_table(history, points, then, final, rr_past, pl_past)
    return Forecast(
        period=period,
        metric=metric,
        as_of=as_of,
        dims=dims,
        target=target,
        actual=actual_now,
        elapsed_days=elapsed,
        total_days=total,
        run_rate=rr_now,
        pipeline=pl_now,
        pipeline_by_stage=stage_rows,
        backtest=backtest,
        run_rate_mape=mape(rr_past, final) if cumulative else None,
        pipeline_mape=mape(pl_past, final) if with_pipeline else None,
        supports_pipeline=with_pipeline,
        supports_forecast=cumulative,
    )


@dataclass(frozen=True)
class ForecastNode:
    """The goal a forecast is for, as the tree gave it: id, scope, target and dimensions
    (plain values: the key the page caches the forecast and its back-test under, so the
    tree is computed once)."""

    node_id: int
    scope: str
    target: float
    dims: tuple[tuple[str, int | None], ...]


@dataclass(frozen=True)
class NodeForecast:
    """The forecast page's upper half: the chosen goal's forecast for its period (no
    back-test) and its monthly trend across the period's year."""

    forecast: Forecast
    trend: pd.DataFrame


def forecastable(view: GoalTreeView) -> list[int]:
    """Goals of the tree a viewer may forecast: those whose results they may see."""
    nodes = view.nodes
    return [int(i) for i in nodes.loc[~nodes["context"] & ~nodes["virtual"], "id"]]


def forecast_node(view: GoalTreeView, node_id: int | None) -> ForecastNode | None:
    """The goal ``node_id`` of the tree ``view`` (or the first one the viewer may forecast
    when it is not one of those); None when there is none."""
    allowed = forecastable(view) if not view.empty else []
    if node_id not in allowed:
        node_id = allowed[0] if allowed else None
    if node_id is None:
        return None
    row = view.node(node_id)
    dims = tuple((d, None if tree._missing(row[d]) else int(row[d])) for d in DIMENSIONS)
    return ForecastNode(int(node_id), str(row["scope"]), float(row["target"]), dims)


def node_forecast(
    session: Session,
    viewer: Viewer,
    period_label: str,
    metric: str,
    as_of: date,
    node: ForecastNode,
    calendar: WorkCalendar | None = None,
) -> NodeForecast:
    """Forecast (without back-test) and monthly trend of the goal ``node`` as ``viewer`` may
    see it."""
    calendar = calendar or load_calendar(session)
    dims = dict(node.dims)
    result = forecast(session, viewer, period_label, metric, as_of, dims, node.target, calendar, 0)
    year = parse_period(period_label).start.year
    trend = monthly_trend(session, viewer, metric, year, as_of, node.scope, dims, calendar)
    return NodeForecast(result, trend)


def node_backtest(
    session: Session,
    viewer: Viewer,
    period_label: str,
    metric: str,
    as_of: date,
    node: ForecastNode,
    calendar: WorkCalendar | None = None,
) -> Forecast:
    """The back-test alone (``BACKTEST_PERIODS`` earlier periods) of the goal ``node``: the
    slow part of the page, cached longer and computed without the current figures."""
    return forecast(
        session, viewer, period_label, metric, as_of, dict(node.dims), node.target, calendar,
        current=False,
    )  # fmt: skip


__all__ = [
    "Forecast",
    "ForecastNode",
    "NodeForecast",
    "forecast",
    "forecast_node",
    "node_backtest",
    "node_forecast",
    "pipeline_forecast",
    "run_rate_forecast",
    "stage_win_rates",
]
