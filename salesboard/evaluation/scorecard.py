"""The scorecard (绩效评估) of a rep or a team for a month, quarter or year: each metric's
actual from the shared figures, its 0–100 score (``normalise``), its weight from the weight
set (``weights``) and its contribution; saved with the weight set it used.

Whose figures: a rep's are what the rep sees as their own (their Overview, their feedback
form: ``figures`` with the rep as the viewer); a team's are what a manager of that team alone
sees (its team goals, the deals credited to it, its reps' visits). Which days: the period's
start through the "as of" day (``figures.sales.days_counted``); stage stays that ended in
the period (``pipeline.durations.stage_pace``); instalments due in
the period (``feedback.actuals.collections_by``). Every figure is read in its grouped form
(per rep or per team, as the leaderboard reads them) for all subjects of a page at once; one
subject's scorecard is the same call with one id.

Who sees which scorecards: the reps and teams of the leaderboard (``people_in_sight``): a rep
their own, a manager their teams and their reps, leaders and admins everyone. Managers,
leaders and admins save scores; a saved score is never rewritten — recomputing adds a row.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime

import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import SYSTEM, Viewer, require, viewer_for
from salesboard.calendar.periods import Period, parse_period, previous_period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.evaluation import normalise
from salesboard.evaluation.weights import (
    CUSTOMER_METRICS,
    METRIC_GROUPS,
    Weights,
    current_weights,
    stored_weights,
    weights_by_id,
)
from salesboard.feedback.actuals import collections_by
from salesboard.figures.attainment import period_attainments
from salesboard.figures.customers import CustomerValue, customer_values, repurchase_months, share
from salesboard.figures.customers import retention as customer_retention
from salesboard.figures.sales import (
    KeyActionRates,
    VisitCounts,
    days_counted,
    key_action_rates,
    visit_counts,
)
from salesboard.goals.leaderboard import people_in_sight
from salesboard.pipeline.durations import stage_pace
from salesboard.pipeline.ratings import rating_means
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import GoalMetric, Role, Scorecard, User
from salesboard.store.tables import ACTION, SCORECARD, USER

LEVELS = ("rep", "team")


@dataclass(frozen=True)
class MetricLine:
    """One metric on a scorecard: ``actual`` (a ratio for rates and attainment, a count of
    effective visits, mean ÷ standard for stage time, a 1–5 mean for satisfaction),
    ``target`` (visits only), score 0–100 (None: not rated), weight and effective weight in
    percent, contribution in points."""

    metric: str
    group: str
    actual: float | None
    target: float | None
    score: float | None
    weight: float
    effective_weight: float
    contribution: float


@dataclass(frozen=True)
class ScoreCard:
    """A rep's or team's score for a period; ``saved_id`` None: computed now, not saved."""

    level: str
    subject_id: int
    name: str
    team: str
    period: str
    as_of: date
    weights: Weights
    lines: tuple[MetricLine, ...]
    total: float
    process: float
    result: float
    saved_id: int | None = None
    computed_at: datetime | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def line(self, metric: str) -> MetricLine:
        """The line of ``metric``."""
        return next(line for line in self.lines if line.metric == metric)


def _team_rep_counts(session: Session, team_ids: Sequence[int]) -> dict[int, int]:
    """How many reps each team has (the visits target's people)."""
    query = (
        select(USER.c.team_id, func.count())
        .where(USER.c.team_id.in_(list(team_ids)), USER.c.role == Role.REP)
        .group_by(USER.c.team_id)
    )
    return {int(t): int(n) for t, n in session.execute(query)}


# Up to this many subjects their deals are read through the owner (team) index; more read
# the whole period, which the grouped queries answer faster than a long IN list.
NARROW_REPS = 12
NARROW_TEAMS = 2
# Key actions are counted per their own owner: up to this many reps, their own ranges.
NARROW_OWNERS = 100


def _scope(session: Session, level: str, ids: Sequence[int]) -> tuple[Viewer, OpportunityFilter]:
    """A viewer and filter whose sight holds every row of the subjects ``ids`` — each
    figure is grouped per rep or team, so a subject's numbers are their own whatever else
    is in sight: one rep sees their own rows; a manager of exactly the teams ``ids`` (a
    few) theirs; a few reps are read as the system narrowed to their deals; more subjects
    as the system."""
    if level == "team":
        if len(ids) <= NARROW_TEAMS:
            return Viewer(None, "scorecard", "", Role.MANAGER, tuple(sorted(ids))), NO_FILTER
        return SYSTEM, NO_FILTER
    if len(ids) == 1:
        user = session.get(User, ids[0])
        if user is None:
            raise ValueError(f"no user with id {ids[0]}")
        return viewer_for(session, user), NO_FILTER
    narrow = len(ids) <= NARROW_REPS
    return SYSTEM, OpportunityFilter(owner_ids=tuple(ids)) if narrow else NO_FILTER


def metric_actuals(
    session: Session,
    level: str,
    ids: Sequence[int],
    periods: Sequence[Period],
    as_of: date,
    calendar: WorkCalendar,
    customer_metrics: Sequence[str] = (),
) -> dict[tuple[int, str], dict[str, tuple[float | None, float | None]]]:
    """Per (rep or team in ``ids``, period label), per metric (actual, target) through
    ``as_of``: each the grouped form of the function the other pages use (module
    docstring), one read per figure for all subjects and periods (each period's
    attainments against its own goals). The customer value metrics are read only when
    asked (``customer_metrics``: those the weights give a share; the others stay not
    rated), over each period's days counted (``figures.customers``)."""
    ids = [int(i) for i in ids]
    out = {(i, p.label): dict.fromkeys(METRIC_GROUPS, (None, None)) for i in ids for p in periods}
    counted = [(p, days_counted(p.start, p.end, as_of)) for p in periods]
    live = [(p, span) for p, span in counted if span[1] >= span[0]]
    if not ids or not live:
        return out
    viewer, filters = _scope(session, level, ids)
    by = "owner" if level == "rep" else "team"
    spans = [span for _, span in live]  # the days counted of each period
    whole = [(p.start, p.end) for p, _ in live]  # stays ended, instalments due in it
    first, last = min(s for s, _ in spans), max(e for _, e in spans)
    # Key actions grouped by their own owner: a manager's reps' own ranges of the (owner,
    # planned day) index, not every action of the period (the deal scope stays as it is).
    mine = ACTION.c.owner_id.in_(ids) if by == "owner" and len(ids) <= NARROW_OWNERS else None
    actions = key_action_rates(session, viewer, first, last, as_of, by=by, buckets=spans,
                               only=mine)  # fmt: skip
    visits = visit_counts(session, viewer, first, last, by=by, buckets=spans)
    ratings = rating_means(session, viewer, first, last, filters=filters, by=by, buckets=spans)
    pace = stage_pace(session, viewer, whole[0][0], whole[-1][1], calendar, by=by,
                      filters=filters, buckets=whole)  # fmt: skip
    paces = {(int(b), int(i)): float(v) for b, i, v in
             pace[["bucket", f"{by}_id", "pace"]].dropna().itertuples(index=False)}  # fmt: skip
    money = collections_by(session, ids, [p for p, _ in live], by=by)
    reps = dict.fromkeys(ids, 1) if level == "rep" else _team_rep_counts(session, ids)
    goals = {
        metric: period_attainments(
            session, viewer, [p for p, _ in live], metric, as_of, level, ids, calendar=calendar
        )  # fmt: skip
        for metric in (GoalMetric.REVENUE, GoalMetric.NEW_CUSTOMERS, GoalMetric.VISITS)
    }
    value = _customer_values(session, viewer, filters, by, ids, spans, customer_metrics)
    for b, (period, (start, end)) in enumerate(live):
        goal = {metric: by_period[period.label] for metric, by_period in goals.items()}
        for i in ids:
            done = actions.get((b, i), KeyActionRates())
            total, count = ratings.get((b, i), (0, 0))
            due, _collected, on_time = money[i][b]
            visits_target = normalise.visits_target(
                (end - start).days + 1, goal[GoalMetric.VISITS][i].target, reps.get(i, 0)
            )
            effective = visits.get((b, i), VisitCounts()).effective
            out[i, period.label] |= {
                "key_action_completion": (done.completion, None),
                "key_action_on_time": (done.on_time_rate, None),
                "effective_visits": (float(effective), visits_target),
                "stage_time": (paces.get((b, i)), None),
                "satisfaction": (total / count if count else None, None),
                "revenue": (goal[GoalMetric.REVENUE][i].ratio, None),
                "on_time_collection": (on_time / due if due else None, None),
                "new_customers": (goal[GoalMetric.NEW_CUSTOMERS][i].ratio, None),
                **{m: (read(b, i), None) for m, read in value.items()},
            }
    return out


def _customer_values(session, viewer, filters, by, ids, spans, wanted) -> dict:
    """The customer value metrics asked for: metric → read(bucket, subject id) → ratio."""
    wanted = [m for m in wanted if m in CUSTOMER_METRICS]
    if not wanted:
        return {}
    months = repurchase_months(session)
    sold, kept = [], []
    for start, end in spans:
        if {"repurchase_rate", "collection_rate"} & set(wanted):
            sold.append(customer_values(session, viewer, start, end, filters=filters, by=by,
                                        ids=ids, months=months))  # fmt: skip
        if "retention" in wanted:
            kept.append(customer_retention(session, viewer, start, end, filters=filters, by=by,
                                           months=months))  # fmt: skip
    readers = {
        "repurchase_rate": lambda b, i: sold[b].get(i, CustomerValue()).repurchase_rate,
        "collection_rate": lambda b, i: sold[b].get(i, CustomerValue()).collection_rate,
        "retention": lambda b, i: share(*reversed(kept[b].get(i, (0, 0)))),
    }
    return {m: readers[m] for m in wanted}


def customer_metrics_of(weights: Weights) -> tuple[str, ...]:
    """The customer value metrics ``weights`` gives a share (the ones a scorecard reads)."""
    return tuple(m for m in CUSTOMER_METRICS if float(weights.weights.get(m, 0) or 0) > 0)


def metric_score(metric: str, actual: float | None, target: float | None) -> float | None:
    """The 0–100 score of one metric's actual (``normalise``)."""
    if metric in ("revenue", "new_customers"):
        return normalise.attainment_score(actual)
    if metric == "effective_visits":
        return normalise.visits_score(None if actual is None else int(actual), target)
    if metric == "stage_time":
        return normalise.stage_time_score(actual)
    if metric == "satisfaction":
        return normalise.rating_score(actual)
    return normalise.rate_score(actual)


def score_lines(
    weights: Weights, actuals: dict[str, tuple[float | None, float | None]]
) -> tuple[tuple[MetricLine, ...], tuple[float, float, float]]:
    """The scorecard's lines and (total, process, result) from the actuals (pure)."""
    scores = {m: metric_score(m, *actuals.get(m, (None, None))) for m in METRIC_GROUPS}
    ordered = {m: float(weights.weights.get(m, 0)) for m in METRIC_GROUPS}
    parts = normalise.contributions(ordered, METRIC_GROUPS, scores)
    lines = tuple(
        MetricLine(
            c.metric,
            c.group,
            *actuals.get(c.metric, (None, None)),
            c.score,
            c.weight,
            c.effective_weight,
            c.contribution,
        )  # fmt: skip
        for c in parts
    )
    return lines, normalise.totals(parts)


def subjects(session: Session, viewer: Viewer, level: str) -> pd.DataFrame:
    """The reps (``level`` "rep") or teams whose scorecards ``viewer`` may see: ``id, name,
    team_id, team`` (a team's name twice), ordered by name."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    people = people_in_sight(session, viewer)
    if level == "rep":
        frame = people.rename(columns={"user_id": "id"})
    else:
        teams = people.dropna(subset=["team_id"]).drop_duplicates("team_id")
        frame = teams.assign(id=teams["team_id"], name=teams["team"])
    frame = frame[["id", "name", "team_id", "team"]].astype({"id": "int64"})
    return frame.sort_values(["team", "name"], na_position="last").reset_index(drop=True)


def compute_scorecard(
    session: Session,
    level: str,
    subject_id: int,
    period: Period | str,
    as_of: date,
    *,
    weights: Weights | None = None,
    calendar: WorkCalendar | None = None,
    names: tuple[str, str] = ("", ""),
) -> ScoreCard:
    """The scorecard of one rep or team computed now with ``weights`` (default: the
    set valid on ``as_of``, the day of computing). No scope check: callers pass subjects from
    ``subjects``."""
    period = parse_period(period) if isinstance(period, str) else period
    weights = weights or current_weights(session, as_of)
    calendar = calendar or load_calendar(session)
    actuals = metric_actuals(session, level, [subject_id], [period], as_of, calendar,
                             customer_metrics_of(weights))  # fmt: skip
    actual = actuals[int(subject_id), period.label]
    return card_of(level, subject_id, period, as_of, weights, actual, names)


def card_of(
    level: str,
    subject_id: int,
    period: Period,
    as_of: date,
    weights: Weights,
    actuals: dict[str, tuple[float | None, float | None]],
    names: tuple[str, str] = ("", ""),
) -> ScoreCard:
    """The scorecard of a subject from its metric actuals (pure)."""
    lines, (total, process, result) = score_lines(weights, actuals)
    return ScoreCard(level, int(subject_id), names[0], names[1], period.label, as_of, weights,
                     lines, total, process, result)  # fmt: skip


def _from_row(row, weights: Weights, names: tuple[str, str]) -> ScoreCard:
    lines = tuple(MetricLine(**line) for line in json.loads(row.body))
    return ScoreCard(
        row.level, row.subject_id, names[0], names[1], row.period, row.as_of, weights, lines,
        row.total, row.process, row.result, saved_id=row.id, computed_at=row.computed_at,
    )  # fmt: skip


def saved_scorecards(
    session: Session, level: str, subject_ids: Sequence[int], periods: Sequence[str]
) -> dict[tuple[int, str], ScoreCard]:
    """The newest saved score per (subject, period label) among ``subject_ids`` and
    ``periods``, with the weight set version it used."""
    if not subject_ids or not periods:
        return {}
    rows = session.execute(
        select(SCORECARD)
        .where(
            SCORECARD.c.level == level,
            SCORECARD.c.subject_id.in_([int(i) for i in subject_ids]),
            SCORECARD.c.period.in_(list(periods)),
        )
        .order_by(SCORECARD.c.id)
    ).all()
    out, sets = {}, {}
    for row in rows:
        if row.weight_set_id not in sets:
            sets[row.weight_set_id] = weights_by_id(session, row.weight_set_id)
        out[int(row.subject_id), row.period] = _from_row(row, sets[row.weight_set_id], ("", ""))
    return out


def scorecards(
    session: Session,
    viewer: Viewer,
    level: str,
    period: Period | str,
    as_of: date,
    *,
    team_id: int | None = None,
    live: bool = False,
) -> list[ScoreCard]:
    """The scorecards of every rep or team ``viewer`` may see (of ``team_id`` only when
    given): the newest saved one, else computed now with the current weights (``live``:
    always computed now)."""
    period = parse_period(period) if isinstance(period, str) else period
    people = subjects(session, viewer, level)
    if team_id is not None:
        people = people[people["team_id"] == team_id]
    ids = people["id"].tolist()
    saved = {} if live else saved_scorecards(session, level, ids, [period.label])
    weights = current_weights(session, as_of)
    missing = [i for i in ids if (int(i), period.label) not in saved]
    actuals = metric_actuals(session, level, missing, [period], as_of, load_calendar(session),
                             customer_metrics_of(weights))  # fmt: skip
    out = []
    for row in people.itertuples(index=False):
        names = (str(row.name), "" if pd.isna(row.team) else str(row.team))
        card = saved.get((int(row.id), period.label))
        if card is None:
            actual = actuals[int(row.id), period.label]
            card = card_of(level, int(row.id), period, as_of, weights, actual, names)
        else:
            card = replace(card, name=names[0], team=names[1])
        out.append(card)
    return out


def score_trend(
    session: Session,
    viewer: Viewer,
    level: str,
    subject_id: int,
    period: Period | str,
    as_of: date,
    count: int = 6,
    current: ScoreCard | None = None,
) -> pd.DataFrame:
    """The subject's total, process and result over the ``count`` periods ending with
    ``period`` (oldest first): ``period, total, process, result, saved`` — saved scores
    where there are, else computed now (``current``: the subject's card of ``period`` as
    ``scorecards`` gave it, not computed again). Empty for a subject ``viewer`` may not
    see."""
    period = parse_period(period) if isinstance(period, str) else period
    if subject_id not in set(subjects(session, viewer, level)["id"].tolist()):
        return pd.DataFrame(columns=["period", "total", "process", "result", "saved"])
    periods = [period]
    while len(periods) < count:
        periods.append(previous_period(periods[-1]))
    periods.reverse()
    cards = {label: card for (_, label), card in
             saved_scorecards(session, level, [subject_id], [p.label for p in periods]).items()}  # fmt: skip
    if current is not None and (current.level, current.subject_id) == (level, subject_id):
        cards.setdefault(current.period, current)
    todo = [p for p in periods if p.label not in cards]
    if todo:  # every period not saved, read at once
        weights = current_weights(session, as_of)
        actuals = metric_actuals(session, level, [subject_id], todo, as_of,
                                 load_calendar(session), customer_metrics_of(weights))  # fmt: skip
        for p in todo:
            cards[p.label] = card_of(level, subject_id, p, as_of, weights,
                                     actuals[subject_id, p.label])  # fmt: skip
    rows = []
    for p in periods:
        card = cards[p.label]
        rows.append((p.label, card.total, card.process, card.result, card.saved_id is not None))
    return pd.DataFrame(rows, columns=["period", "total", "process", "result", "saved"])


def may_save_scores(viewer: Viewer) -> bool:
    """Managers (their teams), leaders and admins save scorecards."""
    return viewer.role in (Role.MANAGER, Role.LEADER, Role.ADMIN)


def save_scorecards(
    session: Session,
    actor: Viewer,
    level: str,
    period: Period | str,
    as_of: date,
    *,
    team_id: int | None = None,
) -> list[ScoreCard]:
    """Compute with the current weights and save the scorecards of every rep or team the
    actor may see (of ``team_id`` when given): one new row each, never rewriting a saved
    one. Returns the saved cards."""
    require(may_save_scores(actor), "scores_managers", "managers and leaders save scores")
    period = parse_period(period) if isinstance(period, str) else period
    weights = stored_weights(session, current_weights(session, as_of), actor)
    people = subjects(session, actor, level)
    if team_id is not None:
        people = people[people["team_id"] == team_id]
    ids = [int(i) for i in people["id"]]
    actuals = metric_actuals(session, level, ids, [period], as_of, load_calendar(session),
                             customer_metrics_of(weights))  # fmt: skip
    out = []
    for row in people.itertuples(index=False):
        card = card_of(level, int(row.id), period, as_of, weights,
                       actuals[int(row.id), period.label])  # fmt: skip
        stored = Scorecard(
            period=period.label, level=level, subject_id=int(row.id), weight_set_id=weights.id,
            weight_set_version=weights.version, total=card.total, process=card.process,
            result=card.result, as_of=as_of, computed_by=actor.user_id,
            body=json.dumps([line.__dict__ for line in card.lines]),
        )  # fmt: skip
        session.add(stored)
        session.flush()
        out.append(replace(card, saved_id=stored.id, computed_at=stored.computed_at))
    audit.record(
        session, actor, action="create", entity="scorecard", entity_id=period.label,
        summary=f"{len(out)} {level} scorecards for {period.label} with weights {weights.label}",
        new={"weight_set_id": weights.id, "ids": [c.saved_id for c in out]},
    )  # fmt: skip
    return out
