"""Reps and teams ranked by attainment, with the process metrics beside the rank so the
reason behind it shows: visits (and the effective share), key-action completion (done /
due) and on-time rate, and win rate in the period. Every number is a ``salesboard.figures``
figure: a rep's row reads what the rep sees as their own attainment on the Overview, a
team's what its manager sees."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import parse_period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.attainment import owner_attainments
from salesboard.figures.facts import user_scope
from salesboard.figures.sales import (
    ClosedDeals,
    KeyActionRates,
    VisitCounts,
    closed_deals,
    days_counted,
    key_action_rates,
    visit_counts,
)
from salesboard.store.models import Role
from salesboard.store.queries import frame_of
from salesboard.store.tables import TEAM, USER

LEVELS = ("rep", "team")
COLUMNS = (
    "rank", "id", "name", "team", "target", "actual", "attainment", "vs_pace", "pace",
    "visits", "effective_share", "actions_due", "action_completion", "action_on_time",
    "won", "lost", "win_rate",
)  # fmt: skip
COUNTS = ("visits", "effective", "actions_due", "actions_done", "actions_on_time", "won", "lost")


def people_in_sight(session: Session, viewer: Viewer) -> pd.DataFrame:
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
            user_scope(viewer, USER.c.id, USER.c.team_id),
        )
        .order_by(USER.c.id)
    )
    return frame_of(session, query)


def _process(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    as_of: date,
    level: str,
    ids: list[int],
) -> pd.DataFrame:
    """Per rep (``level`` "rep") or team in ``ids``: visits and effective visits, key actions
    due, done and done on time, deals won and lost, in the days counted (each a
    ``figures.sales`` figure, grouped by rep or by team)."""
    by = "owner" if level == "rep" else "team"
    visits = visit_counts(session, viewer, start, end, by=by)
    actions = key_action_rates(session, viewer, start, end, as_of, by=by)
    closed = closed_deals(session, viewer, start, end, by=by)
    empty = (VisitCounts(), KeyActionRates(), ClosedDeals())
    rows = []
    for i in ids:
        v, a, c = visits.get(i, empty[0]), actions.get(i, empty[1]), closed.get(i, empty[2])
        rows.append((i, v.visits, v.effective, a.due, a.done, a.on_time, c.won, c.lost))
    return pd.DataFrame(rows, columns=["id", *COUNTS]).astype("int64")


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
    start, end = days_counted(period.start, period.end, as_of)
    calendar = calendar or load_calendar(session)
    people = people_in_sight(session, viewer)
    if viewer.role == Role.REP:
        people = people[people["user_id"] == viewer.user_id]
    if level == "rep":
        table = people.rename(columns={"user_id": "id"})
    else:
        teams = people.dropna(subset=["team_id"]).drop_duplicates("team_id")
        table = teams.rename(columns={"team_id": "id"})[["id", "team"]].assign(
            name=lambda f: f["team"]
        )
    table = table.astype({"id": "int64"}).reset_index(drop=True)
    owners = table["id"].tolist()
    table = table.merge(
        _process(session, viewer, start, end, as_of, level, owners), on="id", how="left"
    )
    results = owner_attainments(
        session, viewer, period, metric, as_of, level, owners, calendar=calendar
    )
    table["target"] = [results[i].target for i in owners]
    table["actual"] = [results[i].actual for i in owners]
    table["attainment"] = [results[i].ratio for i in owners]
    table["vs_pace"] = [results[i].vs_pace for i in owners]
    table["pace"] = [results[i].pace for i in owners]
    for column in ("target", "actual", "attainment", "vs_pace"):
        table[column] = table[column].astype("float64")
    with np.errstate(divide="ignore", invalid="ignore"):
        table["effective_share"] = (table["effective"] / table["visits"]).where(table["visits"] > 0)
        due = table["actions_due"]
        table["action_completion"] = (table["actions_done"] / due).where(due > 0)
        table["action_on_time"] = (table["actions_on_time"] / due).where(due > 0)
        closed = table["won"] + table["lost"]
        table["win_rate"] = (table["won"] / closed).where(closed > 0)
    table = table.sort_values(
        ["attainment", "actual"], ascending=[False, False], na_position="last"
    )
    table["rank"] = table["attainment"].rank(method="min", ascending=False).astype("Int64")
    for column in ("visits", "actions_due", "won", "lost"):
        table[column] = table[column].astype("int64")
    if "team" not in table:
        table["team"] = ""
    return table[list(COLUMNS)].reset_index(drop=True)
