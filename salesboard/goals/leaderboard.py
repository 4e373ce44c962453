"""Reps and teams ranked by attainment, with the process metrics beside the rank so the
reason behind it shows: visits (and the effective share), key-action completion on time,
and win rate in the period."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import parse_period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.goals import tree
from salesboard.goals.queries import _user_scope, metric_facts
from salesboard.goals.tree import AVERAGE_METRICS
from salesboard.store.models import (
    Goal,
    GoalScope,
    KeyAction,
    Opportunity,
    OpportunityStatus,
    Role,
    Team,
    User,
    Visit,
)
from salesboard.store.queries import frame_of

GOAL = Goal.__table__
USER = User.__table__
TEAM = Team.__table__
VISIT = Visit.__table__
ACTION = KeyAction.__table__
OPP = Opportunity.__table__
LEVELS = ("rep", "team")
COLUMNS = (
    "rank", "id", "name", "team", "target", "actual", "attainment", "vs_pace", "pace",
    "visits", "effective_share", "actions_due", "action_completion", "won", "lost", "win_rate",
)  # fmt: skip


def _people(session: Session, viewer: Viewer) -> pd.DataFrame:
    """Active reps the viewer may see, with their team: ``user_id, name, team_id, team``."""
    query = (
        select(
            USER.c.id.label("user_id"),
            USER.c.display_name.label("name"),
            USER.c.team_id,
            TEAM.c.name.label("team"),
        )
        .select_from(USER.outerjoin(TEAM, TEAM.c.id == USER.c.team_id))
        .where(
            USER.c.role == Role.REP,
            USER.c.active.is_(True),
            _user_scope(viewer, USER.c.id, USER.c.team_id),
        )
        .order_by(USER.c.id)
    )
    return frame_of(session, query)


def _targets(session: Session, period: str, metric: str, scope: str, key) -> dict[int, float]:
    """Target per rep (or team): the sum of their goals of the period (mean for averages)."""
    combine = func.avg if metric in AVERAGE_METRICS else func.sum
    rows = session.execute(
        select(key, combine(GOAL.c.target))
        .where(
            GOAL.c.period == period, GOAL.c.metric == metric, GOAL.c.scope == scope, key.isnot(None)
        )
        .group_by(key)
    ).all()
    return {int(k): float(v) for k, v in rows}


def _per_owner(session: Session, query, owner_column, owners: list[int] | None) -> pd.DataFrame:
    """``query`` grouped by ``owner_column``, narrowed to ``owners`` (None: everyone)."""
    if owners is not None:
        query = query.where(owner_column.in_(owners))
    return frame_of(session, query.group_by(owner_column))


def _process(session: Session, start: date, end: date, owners: list[int] | None) -> pd.DataFrame:
    """Per rep (``owners``: the reps the viewer may see, None = all): visits and effective
    visits, key actions due and done on time, deals won and lost, between ``start`` and
    ``end``. Each read from a covering index, without a join."""
    visits = _per_owner(
        session,
        select(
            VISIT.c.rep_id.label("user_id"),
            func.count().label("visits"),
            func.sum(case((VISIT.c.effective.is_(True), 1), else_=0)).label("effective"),
        ).where(VISIT.c.visited_on.between(start, end)),
        VISIT.c.rep_id,
        owners,
    )
    on_time = and_(ACTION.c.done_on.isnot(None), ACTION.c.done_on <= ACTION.c.planned_on)
    actions = _per_owner(
        session,
        select(
            ACTION.c.owner_id.label("user_id"),
            func.count().label("actions_due"),
            func.sum(case((on_time, 1), else_=0)).label("actions_on_time"),
        ).where(ACTION.c.planned_on.between(start, end)),
        ACTION.c.owner_id,
        owners,
    )
    closed = [
        _per_owner(
            session,
            select(OPP.c.owner_id.label("user_id"), func.count().label(label)).where(
                OPP.c.status == status, day.between(start, end)
            ),
            OPP.c.owner_id,
            owners,
        )
        for status, day, label in (
            (OpportunityStatus.WON, OPP.c.won_on, "won"),
            (OpportunityStatus.LOST, OPP.c.lost_on, "lost"),
        )
    ]
    out = pd.DataFrame({"user_id": pd.Series(dtype="int64")})
    for part in (visits, actions, *closed):
        if not part.empty:
            out = out.merge(part, on="user_id", how="outer")
    for column in ("visits", "effective", "actions_due", "actions_on_time", "won", "lost"):
        out[column] = out[column].fillna(0).astype("int64") if column in out else 0
    return out


def leaderboard(
    session: Session,
    viewer: Viewer,
    period_label: str,
    metric: str,
    as_of: date,
    level: str = "rep",
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """Reps (``level`` "rep") or teams ("team") ranked by attainment of ``metric`` in the
    period, as ``viewer`` may see them (a rep sees their own row only, a manager their
    teams), with the process metrics. Columns ``COLUMNS``; ratios as 0–1; money in minor
    units; rank 1 = best; those without a target rank last."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}")
    period = parse_period(period_label)
    end = min(period.end, as_of)
    calendar = calendar or load_calendar(session)
    people = _people(session, viewer)
    if viewer.role == Role.REP:
        people = people[people["user_id"] == viewer.user_id]
    facts = metric_facts(session, viewer, metric, period.start, end, calendar)
    owners = None if viewer.sees_everything else [int(u) for u in people["user_id"]]
    process = _process(session, period.start, end, owners)
    reps = people.merge(process, on="user_id", how="left").fillna(
        dict.fromkeys(("visits", "effective", "actions_due", "actions_on_time", "won", "lost"), 0)
    )
    if level == "rep":
        targets = _targets(session, period.label, metric, GoalScope.REP, GOAL.c.user_id)
        grouped = (
            facts.dropna(subset=["user_id"]).groupby("user_id")[["value_sum", "value_count"]].sum()
        )
        table = reps.rename(columns={"user_id": "id"})
    else:
        targets = _targets(session, period.label, metric, GoalScope.TEAM, GOAL.c.team_id)
        grouped = (
            facts.dropna(subset=["team_id"]).groupby("team_id")[["value_sum", "value_count"]].sum()
        )
        sums = (
            reps.dropna(subset=["team_id"])
            .groupby(["team_id", "team"], as_index=False)[
                ["visits", "effective", "actions_due", "actions_on_time", "won", "lost"]
            ]
            .sum()
        )
        table = sums.rename(columns={"team_id": "id"}).assign(name=lambda f: f["team"])
    table = table.copy()
    table["id"] = table["id"].astype("int64")
    grouped.index = grouped.index.astype("int64")
    table["target"] = table["id"].map(targets).astype("float64")
    sums = grouped.to_dict("index")
    empty = None if metric in AVERAGE_METRICS else 0.0
    table["actual"] = [
        tree.actual_value(sums[i]["value_sum"], sums[i]["value_count"], metric)
        if i in sums
        else empty
        for i in table["id"].tolist()
    ]
    table["actual"] = table["actual"].astype("float64")
    lower = tree.is_lower_better(metric)
    table["attainment"] = [
        metrics.attainment(
            None if pd.isna(a) else a, None if pd.isna(t) else t, lower_is_better=lower
        )
        for a, t in zip(table["actual"], table["target"], strict=True)
    ]
    table["attainment"] = table["attainment"].astype("float64")
    elapsed = metrics.time_elapsed_share(period.start, period.end, as_of)
    reference = tree.pace_reference(metric, elapsed)
    table["vs_pace"] = (table["attainment"] - reference) * 100
    table["pace"] = [
        metrics.pace(None if pd.isna(a) else a, reference) for a in table["attainment"]
    ]
    with np.errstate(divide="ignore", invalid="ignore"):
        table["effective_share"] = (table["effective"] / table["visits"]).where(table["visits"] > 0)
        table["action_completion"] = (table["actions_on_time"] / table["actions_due"]).where(
            table["actions_due"] > 0
        )
    table["win_rate"] = [
        metrics.win_rate(int(w), int(lo)) for w, lo in zip(table["won"], table["lost"], strict=True)
    ]
    table["win_rate"] = table["win_rate"].astype("float64")
    table = table.sort_values(
        ["attainment", "actual"], ascending=[False, False], na_position="last"
    )
    table["rank"] = table["attainment"].rank(method="min", ascending=False).astype("Int64")
    for column in ("visits", "actions_due", "won", "lost"):
        table[column] = table[column].astype("int64")
    if "team" not in table:
        table["team"] = ""
    return table[list(COLUMNS)].reset_index(drop=True)
