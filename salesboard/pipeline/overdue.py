"""The overdue-opportunities table (the seed's 销售过程跟踪表): every open deal over its
stage standard, past a planned key-action date, or idle longer than the stage allows,
worst first, with what the review meeting needs to talk about it.

The overdue rule is ``metrics.overdue_opportunities`` on the frame
``deals.open_opportunities_for_overdue`` builds; this module adds the display columns
for the rows shown (the screen shows the worst ``limit``; exports ask for all), and which
deals became overdue during the last week (the same rule evaluated a week earlier).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import and_, func, select
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.metrics.durations import OVERDUE_INPUT_COLUMNS
from salesboard.pipeline.deals import (
    in_delivery_with_action,
    open_opportunities_for_overdue,
    overdue_condition,
    with_deal_columns,
)
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import OpportunityEventKind, OpportunityStatus
from salesboard.store.queries import frame_of, greatest_per, id_chunks, total_minor
from salesboard.store.tables import ACTION, EVENT, HISTORY, OPP, STAGE, VISIT, VISIT_DONE

# Ids per IN (...) list: well under SQLite's host-parameter limit, cheap on PostgreSQL.
_CHUNK = 2000
# Event kinds that count as activity on a deal (a note or comment is a touch).
ACTIVITY_EVENTS = (OpportunityEventKind.NOTE, OpportunityEventKind.COMMENT)

OVERDUE_COLUMNS = (
    "opportunity_id", "code", "name", "customer", "stage", "stage_zh", "stage_en",
    "key_action", "planned_on", "done_on", "deliverable", "customer_feedback", "owner_id",
    "owner", "team_id", "team", "risk_flag", "next_step", "severity", "days_over",
    "action_days_late", "idle_working_days", "days_in_stage", "standard_days", "reasons",
    "amount_minor", "last_comment", "version",
)  # fmt: skip


# What the overdue rule adds to each row (``metrics.overdue_opportunities``).
RANKING_COLUMNS = (
    "days_in_stage", "days_over", "idle_working_days", "action_days_late", "reasons", "severity",
)  # fmt: skip


def overdue_ranking(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    as_of: date,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """The overdue open deals ``viewer`` may read, worst first: ``opportunity_id,
    amount_minor, days_in_stage, days_over, idle_working_days, action_days_late, reasons,
    severity`` and the stage clocks (see ``metrics.overdue_opportunities``)."""
    calendar = calendar or load_calendar(session)
    frame = open_opportunities_for_overdue(
        session, viewer, filters, overdue_on=as_of, calendar=calendar
    )
    return metrics.overdue_opportunities(frame, as_of, calendar)


def overdue_count(
    session: Session,
    viewer: Viewer,
    as_of: date,
    calendar: WorkCalendar | None = None,
    filters: OpportunityFilter = NO_FILTER,
) -> int:
    """How many of the deals under control ``viewer`` may read (within ``filters``) are
    overdue on ``as_of``: the figure the Overview tile and the pipeline review both show.
    Counted in the database by the rule's SQL form (``deals.overdue_condition``), no row
    read; the tests keep it equal to the rows ``overdue_ranking`` ranks."""
    condition = overdue_condition(session, as_of, calendar)
    scoped = scoped_filter(viewer, filters)
    under_control = (
        OPP.c.status == OpportunityStatus.OPEN,
        and_(*in_delivery_with_action(session, viewer)),
    )
    # The scope's terms first: SQLite tests a WHERE's terms in order, and the overdue rule
    # is the costliest (a rep's count at 1M deals: 0.031 → 0.011 s).
    return sum(
        int(session.execute(
            scoped.apply(select(func.count()).select_from(OPP)).where(where, condition)
        ).scalar_one())
        for where in under_control
    )  # fmt: skip


@dataclass(frozen=True)
class OverdueReview:
    """The overdue tab in one computation: the rows shown, how many and how much in all
    (money in minor units), and which of them became overdue in the last week."""

    table: pd.DataFrame
    total: int
    amount_minor: int
    newly_overdue: pd.DataFrame


def _with_owners(filters: OpportunityFilter, owner_ids: Sequence[int]) -> OpportunityFilter:
    """``filters`` narrowed to ``owner_ids`` (never widened beyond owners already chosen)."""
    if not owner_ids:
        return filters
    requested = tuple(o for o in owner_ids if not filters.owner_ids or o in filters.owner_ids)
    return replace(filters, owner_ids=requested, nothing=filters.nothing or not requested)


def overdue_review(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    as_of: date,
    owner_ids: Sequence[int] = (),
    limit: int | None = None,
    calendar: WorkCalendar | None = None,
    days: int = 7,
) -> OverdueReview:
    """The overdue deals (optionally only ``owner_ids``'), worst first with their display
    columns (``OVERDUE_COLUMNS``, at most ``limit`` rows), their count and amount, and the
    ones not overdue ``days`` earlier — all from one read of the open deals. Working-day
    columns count up to ``as_of``."""
    calendar = calendar or load_calendar(session)
    since = as_of - timedelta(days=days)
    frame = open_opportunities_for_overdue(
        session, viewer, _with_owners(filters, owner_ids), since=since, overdue_on=as_of,
        calendar=calendar,
    )  # fmt: skip
    ranking = metrics.overdue_opportunities(frame, as_of, calendar)
    newly = _not_overdue_then(session, frame, ranking, since, calendar)
    total = len(ranking)
    amount = total_minor(ranking["amount_minor"]) if total else 0
    shown = ranking if limit is None else ranking.head(limit)
    if shown.empty:
        return OverdueReview(pd.DataFrame(columns=list(OVERDUE_COLUMNS)), total, amount, newly)
    details = opportunity_details(session, viewer, shown["opportunity_id"].tolist())
    clocks = shown[["opportunity_id", *RANKING_COLUMNS]]
    table = clocks.merge(details, on="opportunity_id", how="inner")
    return OverdueReview(table.reindex(columns=list(OVERDUE_COLUMNS)), total, amount, newly)


def overdue_table(*args, **kwargs) -> tuple[pd.DataFrame, int, int]:
    """``overdue_review`` (same arguments) as (rows, how many overdue in all, their total
    amount in minor units)."""
    review = overdue_review(*args, **kwargs)
    return review.table, review.total, review.amount_minor


def opportunity_details(session: Session, viewer: Viewer, ids: Sequence[int]) -> pd.DataFrame:
    """Display columns of the open deals ``ids`` that ``viewer`` may read: who, what stage,
    the current key action (the earliest still undone in the stage, else the last done),
    its dates, deliverable and customer feedback (the latest given on the deal when the
    action has none), the risk flag, next step, last comment and the row ``version``."""
    scope = scoped_filter(viewer, OpportunityFilter())
    parts, actions, comments = [], [], []
    for chunk in id_chunks(ids, _CHUNK):
        query = scope.apply(
            with_deal_columns(
                select(OPP.c.id.label("opportunity_id")),
                STAGE.c.id.label("stage_id"),
                STAGE.c.code.label("stage"),
                STAGE.c.standard_days,
                OPP.c.owner_id,
                OPP.c.team_id,
                OPP.c.risk_flag,
                OPP.c.next_step,
                OPP.c.version,
                team=True,
            ).where(OPP.c.id.in_(chunk))
        )
        parts.append(frame_of(session, query))
        actions.append(
            frame_of(
                session,
                select(
                    ACTION.c.id,
                    ACTION.c.opportunity_id,
                    ACTION.c.stage_id,
                    ACTION.c.action.label("key_action"),
                    ACTION.c.planned_on,
                    ACTION.c.done_on,
                    ACTION.c.deliverable,
                    ACTION.c.customer_feedback,
                ).where(ACTION.c.opportunity_id.in_(chunk)),
            )
        )
        comments.append(latest_comments(session, chunk))
    if not parts:
        return pd.DataFrame(columns=list(OVERDUE_COLUMNS))
    details = pd.concat(parts, ignore_index=True)
    current = current_actions(details, pd.concat(actions, ignore_index=True))
    details = details.merge(current, on="opportunity_id", how="left")
    details = details.merge(pd.concat(comments, ignore_index=True), on="opportunity_id", how="left")
    for column in ("key_action", "deliverable", "customer_feedback", "last_comment"):
        details[column] = details[column].astype(object).where(details[column].notna(), "")
    return details.drop(columns=["stage_id"])


def current_actions(deals: pd.DataFrame, actions: pd.DataFrame) -> pd.DataFrame:
    """Per deal, the key action the review talks about: the current stage's earliest undone
    action, else its last done one: ``opportunity_id, key_action, planned_on, done_on,
    deliverable, customer_feedback`` (feedback falls back to the deal's latest given)."""
    columns = ["opportunity_id", "key_action", "planned_on", "done_on", "deliverable"]
    if actions.empty:
        return pd.DataFrame(columns=[*columns, "customer_feedback"])
    acts = actions.copy()
    acts["planned_on"] = pd.to_datetime(acts["planned_on"])
    acts["done_on"] = pd.to_datetime(acts["done_on"])
    in_stage = acts.merge(deals[["opportunity_id", "stage_id"]], on=["opportunity_id", "stage_id"])
    in_stage["undone"] = in_stage["done_on"].isna()
    # Undone first (earliest planned), then done (latest done).
    in_stage["order_key"] = np.where(
        in_stage["undone"],
        in_stage["planned_on"].to_numpy(dtype="datetime64[D]").astype("int64"),
        10**9 - in_stage["done_on"].to_numpy(dtype="datetime64[D]").astype("int64"),
    )
    chosen = (
        in_stage.sort_values(["opportunity_id", "order_key", "id"], kind="stable")
        .drop_duplicates("opportunity_id")
        .loc[:, [*columns, "customer_feedback"]]
    )
    given = acts[acts["customer_feedback"].fillna("") != ""]
    latest = (
        given.sort_values(["opportunity_id", "planned_on", "id"], kind="stable")
        .drop_duplicates("opportunity_id", keep="last")
        .set_index("opportunity_id")["customer_feedback"]
    )
    empty = chosen["customer_feedback"].fillna("") == ""
    # As objects: with no feedback anywhere the fallback is all-missing floats, which a
    # pandas string column refuses.
    chosen["customer_feedback"] = chosen["customer_feedback"].astype(object)
    chosen.loc[empty, "customer_feedback"] = chosen.loc[empty, "opportunity_id"].map(latest)
    for column in ("planned_on", "done_on"):
        chosen[column] = pd.Series(
            [d.date() if pd.notna(d) else None for d in chosen[column]],
            index=chosen.index,
            dtype=object,
        )
    return chosen.reset_index(drop=True)


def latest_comments(session: Session, ids: Sequence[int]) -> pd.DataFrame:
    """The newest comment on each of ``ids``: ``opportunity_id, last_comment``."""
    comments = (EVENT.c.opportunity_id.in_(list(ids)), EVENT.c.kind == OpportunityEventKind.COMMENT)
    newest = greatest_per(EVENT.c.opportunity_id, EVENT.c.id, *comments, label="id").subquery()
    query = select(EVENT.c.opportunity_id, EVENT.c.note.label("last_comment")).join(
        newest, newest.c.id == EVENT.c.id
    )
    frame = frame_of(session, query)
    return frame.reindex(columns=["opportunity_id", "last_comment"])


# --- a week earlier -----------------------------------------------------------------------


def newly_overdue(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    as_of: date,
    days: int = 7,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """The deals overdue on ``as_of`` that were not overdue ``days`` earlier, worst first
    (same columns as ``overdue_ranking``).

    "Then" is rebuilt from history for the deals overdue now: the stage they were in (stage
    history), the earliest key action of that stage not yet done then, and their last
    activity up to then (visits, finished key actions, notes and comments); the same rule
    (``metrics.overdue_opportunities``) then decides.
    """
    return overdue_review(session, viewer, filters, as_of, (), 0, calendar, days).newly_overdue


def _not_overdue_then(
    session: Session,
    frame: pd.DataFrame,
    now: pd.DataFrame,
    since: date,
    calendar: WorkCalendar,
) -> pd.DataFrame:
    """The rows of ``now`` (overdue today) that the same rule did not flag on ``since``.

    Reading each deal's last activity up to ``since`` is the costly part, so the rule first
    runs as if every deal active since then had been active on ``since`` itself: less idle
    can only flag fewer deals, so whatever it flags was overdue then for certain. Only the
    recently active deals it leaves unflagged need their real last activity.
    """
    if now.empty:
        return now
    day = pd.Timestamp(since)
    staged = _stages_as_of(
        session, frame[frame["opportunity_id"].isin(now["opportunity_id"])], since
    )
    recent = staged["last_activity_on"] > day
    at_best = staged.assign(last_activity_on=staged["last_activity_on"].mask(recent, day))
    surely = metrics.overdue_opportunities(at_best, since, calendar)["opportunity_id"]
    undecided = staged[recent & ~staged["opportunity_id"].isin(surely)]
    exact = metrics.overdue_opportunities(
        _activity_as_of(session, undecided, since), since, calendar
    )
    overdue_then = pd.concat([surely, exact["opportunity_id"]])
    return now[~now["opportunity_id"].isin(overdue_then)].reset_index(drop=True)


def frame_as_of(session: Session, frame: pd.DataFrame, since: date) -> pd.DataFrame:
    """The ``open_opportunities_for_overdue`` rows (built with ``since``) as they stood on
    ``since``: deals that moved stage afterwards get the stage they were in, and deals with
    activity afterwards get their last activity up to ``since``. Deals not yet in any stage
    on ``since`` are left out (they cannot have been overdue)."""
    out = _activity_as_of(session, _stages_as_of(session, frame, since), since)
    return out.reset_index(drop=True)[["amount_minor", *OVERDUE_INPUT_COLUMNS]]


def _stages_as_of(session: Session, frame: pd.DataFrame, since: date) -> pd.DataFrame:
    """``frame`` with each deal's stage clocks and planned date as they stood on ``since``
    (deals not yet in any stage then left out); activity dates untouched."""
    day = pd.Timestamp(since)
    out = frame.copy()
    out["planned_on"] = out["planned_since_on"]
    moved = out["stage_entered_on"] > day
    if moved.any():
        earlier = stays_on(session, out.loc[moved, "opportunity_id"].tolist(), since)
        out = out.merge(earlier, on="opportunity_id", how="left", suffixes=("", "_then"))
        for column in ("stage_entered_on", "standard_days", "idle_days", "planned_on"):
            out[column] = out[column].where(~moved.to_numpy(), out[f"{column}_then"])
        out = out[~(moved.to_numpy() & out["stage_entered_on_then"].isna().to_numpy())]
    return out


def _activity_as_of(session: Session, frame: pd.DataFrame, since: date) -> pd.DataFrame:
    """``frame`` with the last activity of deals active after ``since`` read back to their
    last activity up to ``since``."""
    recent = frame["last_activity_on"] > pd.Timestamp(since)
    if not recent.any():
        return frame
    last = activity_until(session, frame.loc[recent, "opportunity_id"].tolist(), since)
    replaced = pd.Series(
        pd.to_datetime(last.reindex(frame["opportunity_id"]).to_numpy()), index=frame.index
    )
    return frame.assign(last_activity_on=frame["last_activity_on"].where(~recent, replaced))


def stays_on(session: Session, ids: Sequence[int], day: date) -> pd.DataFrame:
    """For each deal in ``ids``, the stage stay that covered ``day`` with its standards and
    the earliest key action of that stage undone on ``day``: ``opportunity_id,
    stage_entered_on_then, standard_days_then, idle_days_then, planned_on_then``."""
    parts = []
    for chunk in id_chunks(ids, _CHUNK):
        action = (
            select(func.min(ACTION.c.planned_on))
            .where(
                ACTION.c.opportunity_id == HISTORY.c.opportunity_id,
                ACTION.c.stage_id == HISTORY.c.stage_id,
                (ACTION.c.done_on.is_(None)) | (ACTION.c.done_on > day),
            )
            .scalar_subquery()
        )
        query = (
            select(
                HISTORY.c.opportunity_id,
                HISTORY.c.entered_on.label("stage_entered_on_then"),
                STAGE.c.standard_days.label("standard_days_then"),
                STAGE.c.idle_days.label("idle_days_then"),
                action.label("planned_on_then"),
            )
            .join(STAGE, STAGE.c.id == HISTORY.c.stage_id)
            .where(
                HISTORY.c.opportunity_id.in_(chunk),
                HISTORY.c.entered_on <= day,
                (HISTORY.c.left_on.is_(None)) | (HISTORY.c.left_on > day),
            )
        )
        parts.append(frame_of(session, query))
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    frame = frame.reindex(
        columns=[
            "opportunity_id", "stage_entered_on_then", "standard_days_then", "idle_days_then",
            "planned_on_then",
        ]
    )  # fmt: skip
    frame = frame.drop_duplicates("opportunity_id", keep="last")
    for column in ("stage_entered_on_then", "planned_on_then"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def activity_until(session: Session, ids: Sequence[int], day: date) -> pd.Series:
    """Each deal's last activity on or before ``day`` (visits, finished key actions, notes
    and comments), indexed by opportunity id; NaT where there was none."""
    # Where activity is recorded: the table, its day, and which rows count.
    sources = (
        (VISIT, VISIT.c.visited_on, (VISIT_DONE,)),
        (ACTION, ACTION.c.done_on, ()),
        (EVENT, EVENT.c.happened_on, (EVENT.c.kind.in_(ACTIVITY_EVENTS),)),
    )
    found = []
    for chunk in id_chunks(ids, _CHUNK):
        for table, on, counted in sources:
            deal = table.c.opportunity_id
            query = greatest_per(deal, on, deal.in_(chunk), on <= day, *counted)
            found.extend(tuple(r) for r in session.execute(query).all())
    if not found:
        return pd.Series(dtype="datetime64[ns]", index=pd.Index([], dtype="int64"))
    frame = pd.DataFrame(found, columns=["opportunity_id", "day"])
    frame["day"] = pd.to_datetime(frame["day"])
    return frame.groupby("opportunity_id")["day"].max()
