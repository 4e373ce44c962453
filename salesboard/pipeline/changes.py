"""What changed since last week: new, advanced, moved back, slipped, won, lost and newly
overdue opportunities, with amounts (a pipeline inspection's week-over-week view).

The week is the ``days`` calendar days up to and including ``as_of``. Stage moves compare
the stage a deal was in the day before the week started with the stage it is in at the end
(stage history), so a deal that went forward and back again counts as neither. Slips are
``expected_close`` and ``planned_date`` events in the week whose new date is later than
the old. Newly overdue deals are overdue on ``as_of`` and were not ``days`` earlier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.pipeline.deals import with_deal_columns
from salesboard.pipeline.overdue import newly_overdue
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import OpportunityEventKind, OpportunityStatus
from salesboard.store.queries import frame_of, id_chunks, money_sum, total_minor
from salesboard.store.tables import EVENT, HISTORY, OPP, STAGE

CHANGE_KINDS = ("new", "advanced", "moved_back", "slipped", "won", "lost", "newly_overdue")
CHANGE_COLUMNS = (
    "kind", "opportunity_id", "code", "name", "customer", "owner", "stage_zh", "stage_en",
    "amount_minor", "from_value", "to_value", "happened_on", "reason",
)  # fmt: skip
SLIP_KINDS = (OpportunityEventKind.EXPECTED_CLOSE, OpportunityEventKind.PLANNED_DATE)


def week_window(as_of: date, days: int = 7) -> tuple[date, date]:
    """(first day, last day) of the ``days`` days ending on ``as_of``."""
    return as_of - timedelta(days=days - 1), as_of


@dataclass(frozen=True)
class WeekChanges:
    """The week's changes: per kind the count and amount of every change (``summary``:
    ``kind, count, amount_minor``, all kinds in order) and the rows behind them
    (``rows``: ``CHANGE_COLUMNS``), each kind's biggest ``limit`` by amount when limited."""

    summary: pd.DataFrame
    rows: pd.DataFrame


def week_changes(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    as_of: date,
    days: int = 7,
    calendar: WorkCalendar | None = None,
    limit: int | None = None,
) -> WeekChanges:
    """The changes in the week ending ``as_of`` to the deals ``viewer`` may read.

    One row per (change kind, opportunity); ``from_value``/``to_value`` hold the stage codes
    of a move or the old and new date of a slip; ``happened_on`` the day it happened (for
    stage moves and newly overdue deals: the end of the week). With ``limit`` the summary
    still counts every change, but display columns are read only for the rows kept: the
    screen shows the biggest deals, the export asks for all.
    """
    filters = scoped_filter(viewer, filters)
    start, end = week_window(as_of, days)
    calendar = calendar or load_calendar(session)
    moves = _stage_moves(session, filters, start, end)
    newly = _newly_overdue(session, viewer, filters, as_of, days, calendar, end)
    parts = [  # in CHANGE_KINDS order
        _simple(session, filters, "new", OPP.c.created_on, start, end, None, limit),
        *(_counted(kind, moves[moves["kind"] == kind], limit) for kind in MOVE_KINDS),
        _counted("slipped", _slips(session, filters, start, end), limit),
        _simple(session, filters, "won", OPP.c.won_on, start, end, OpportunityStatus.WON, limit),
        _simple(session, filters, "lost", OPP.c.lost_on, start, end, OpportunityStatus.LOST, limit),
        _counted("newly_overdue", newly, limit),
    ]
    summary = pd.DataFrame(
        {
            "kind": [p.kind for p in parts],
            "count": pd.array([p.count for p in parts], dtype="int64"),
            "amount_minor": pd.array([p.amount_minor for p in parts], dtype="int64"),
        }
    )
    kept = [p.rows for p in parts if not p.rows.empty]
    if not kept:
        return WeekChanges(summary, pd.DataFrame(columns=list(CHANGE_COLUMNS)))
    rows = pd.concat(kept, ignore_index=True).reindex(columns=list(PART_COLUMNS))
    details = _details(session, rows["opportunity_id"].unique().tolist())
    out = rows.drop(columns=["amount_minor"]).merge(details, on="opportunity_id", how="inner")
    out["reason"] = _move_reasons(session, out, start, end)
    out["kind"] = pd.Categorical(out["kind"], categories=CHANGE_KINDS, ordered=True)
    out = out.sort_values(["kind", "amount_minor", "code"], ascending=[True, False, True])
    out["kind"] = out["kind"].astype(str)
    return WeekChanges(summary, out.reindex(columns=list(CHANGE_COLUMNS)).reset_index(drop=True))


def change_summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Per change kind (all kinds, in order): ``kind, count, amount_minor``."""
    grouped = changes.groupby("kind")["amount_minor"].agg(["count", "sum"])
    out = pd.DataFrame({"kind": list(CHANGE_KINDS)})
    out["count"] = out["kind"].map(grouped["count"]).fillna(0).astype("int64")
    out["amount_minor"] = out["kind"].map(grouped["sum"]).fillna(0).astype("int64")
    return out


# The two directions a stage move can take (``_stage_moves`` rows).
MOVE_KINDS = ("advanced", "moved_back")
# Columns of each part before display columns are joined on.
PART_COLUMNS = (
    "kind", "opportunity_id", "amount_minor", "from_value", "to_value", "happened_on",
)  # fmt: skip


@dataclass(frozen=True)
class _Part:
    """One change kind: how many changes and their amount in all, and the rows kept."""

    kind: str
    count: int
    amount_minor: int
    rows: pd.DataFrame  # PART_COLUMNS


def _counted(kind: str, frame: pd.DataFrame, limit: int | None) -> _Part:
    """The part of ``kind`` from all its rows: totals from them, the biggest ``limit`` kept."""
    count, amount = len(frame), total_minor(frame["amount_minor"])
    if limit is not None:
        frame = frame.sort_values(
            ["amount_minor", "opportunity_id"], ascending=[False, True], kind="stable"
        ).head(limit)
    return _Part(kind, count, amount, frame.reindex(columns=list(PART_COLUMNS)))


def _simple(session, filters, kind, column, start, end, status, limit) -> _Part:
    """Deals whose ``column`` date falls in the week (optionally only of ``status``): SQL
    counts and sums them all and returns the biggest ``limit`` (all when None)."""
    query = select(
        OPP.c.id.label("opportunity_id"), OPP.c.amount_minor, column.label("happened_on")
    ).where(column.between(start, end))
    if status is not None:
        query = query.where(OPP.c.status == status)
    query = filters.apply(query)
    matched = query.subquery()
    count, amount = session.execute(select(func.count(), money_sum(matched.c.amount_minor))).one()
    top = frame_of(session, query.order_by(OPP.c.amount_minor.desc(), OPP.c.id).limit(limit))
    top.insert(0, "kind", kind)
    return _Part(kind, int(count), int(amount), top.reindex(columns=list(PART_COLUMNS)))


def _stage_moves(session, filters, start: date, end: date) -> pd.DataFrame:
    """Open deals whose stage on ``end`` is after (advanced) or before (moved back) the stage
    they were in the day before ``start``; deals not yet in a stage then are left out (they
    are "new").

    Only a deal that entered a stage during the week can have moved: those come from the
    (stage, entered_on) index; one grouped pass over their stays then picks the stage that
    covered each of the two days (at most one stay covers a day).
    """
    entered = select(HISTORY.c.opportunity_id).where(
        # One (stage_id, entered_on) index range per stage.
        HISTORY.c.stage_id.in_(select(STAGE.c.id).scalar_subquery()),
        HISTORY.c.entered_on.between(start, end),
    )
    before = start - timedelta(days=1)

    def stage_on(day: date):
        return func.max(case((_covers(HISTORY, day), HISTORY.c.stage_id)))

    query = filters.apply(
        select(
            HISTORY.c.opportunity_id,
            func.max(OPP.c.amount_minor).label("amount_minor"),
            stage_on(before).label("then_id"),
            stage_on(end).label("now_id"),
        )
        .join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
        .where(
            HISTORY.c.opportunity_id.in_(entered),
            HISTORY.c.entered_on <= end,
            or_(HISTORY.c.left_on.is_(None), HISTORY.c.left_on > before),
            OPP.c.status == OpportunityStatus.OPEN,
        )
        .group_by(HISTORY.c.opportunity_id)
    )
    frame = frame_of(session, query).dropna(subset=["then_id", "now_id"])
    if frame.empty:
        return pd.DataFrame(columns=list(PART_COLUMNS))
    stages = frame_of(session, select(STAGE.c.id, STAGE.c.code, STAGE.c.position)).set_index("id")
    then_ids, now_ids = frame["then_id"].astype("int64"), frame["now_id"].astype("int64")
    frame["from_value"] = then_ids.map(stages["code"])
    frame["to_value"] = now_ids.map(stages["code"])
    step = now_ids.map(stages["position"]) - then_ids.map(stages["position"])
    frame["kind"] = np.where(step > 0, "advanced", np.where(step < 0, "moved_back", ""))
    frame["happened_on"] = end
    return frame[frame["kind"] != ""].reindex(columns=list(PART_COLUMNS))


def _move_reasons(session: Session, rows: pd.DataFrame, start: date, end: date) -> pd.Series:
    """The reasons given in the week for the stage moves in ``rows`` (moving back, or on
    past undone key actions: ``salesboard.deals.moves``), joined per deal; empty for other
    kinds and for moves made without one."""
    moved = rows.loc[rows["kind"].isin(MOVE_KINDS), "opportunity_id"].unique().tolist()
    found: dict[int, list[str]] = {}
    for chunk in id_chunks(moved, 2000):
        notes = session.execute(
            select(EVENT.c.opportunity_id, EVENT.c.note)
            .where(
                EVENT.c.opportunity_id.in_(chunk),
                EVENT.c.kind == OpportunityEventKind.STAGE,
                EVENT.c.happened_on.between(start, end),
                EVENT.c.note != "",
            )
            .order_by(EVENT.c.happened_on, EVENT.c.id)
        )
        for deal, note in notes:
            found.setdefault(int(deal), []).append(note)
    reasons = rows["opportunity_id"].map(lambda i: "；".join(found.get(int(i), [])))
    return reasons.where(rows["kind"].isin(MOVE_KINDS), "")


def _covers(stay, day: date):
    """The stage-history row ``stay`` covers ``day`` (entered by then, not left yet)."""
    return and_(stay.c.entered_on <= day, or_(stay.c.left_on.is_(None), stay.c.left_on > day))


def _slips(session, filters, start: date, end: date) -> pd.DataFrame:
    """Expected-close or planned-date events in the week that moved a date later; a deal
    slipping several times counts once, from its first old date to its last new one."""
    query = filters.apply(
        select(
            EVENT.c.opportunity_id,
            EVENT.c.old_value,
            EVENT.c.new_value,
            EVENT.c.happened_on,
            EVENT.c.id,
            OPP.c.amount_minor,
        )
        .join(OPP, OPP.c.id == EVENT.c.opportunity_id)
        .where(
            and_(
                EVENT.c.happened_on.between(start, end),
                EVENT.c.kind.in_(SLIP_KINDS),
                EVENT.c.new_value > EVENT.c.old_value,
                EVENT.c.old_value != "",
            )
        )
        .order_by(EVENT.c.opportunity_id, EVENT.c.id)
    )
    frame = frame_of(session, query)
    if frame.empty:
        return pd.DataFrame(columns=list(PART_COLUMNS))
    grouped = frame.groupby("opportunity_id", sort=False).agg(
        amount_minor=("amount_minor", "first"),
        from_value=("old_value", "first"),
        to_value=("new_value", "last"),
        happened_on=("happened_on", "last"),
    )
    out = grouped.reset_index()
    out.insert(0, "kind", "slipped")
    return out


def _newly_overdue(session, viewer, filters, as_of, days, calendar, end) -> pd.DataFrame:
    """Deals overdue on ``as_of`` that were not ``days`` earlier, as a part."""
    overdue = newly_overdue(session, viewer, filters, as_of, days, calendar)
    return pd.DataFrame(
        {
            "kind": "newly_overdue",
            "opportunity_id": overdue["opportunity_id"].astype("int64"),
            "amount_minor": overdue["amount_minor"].astype("int64"),
            "happened_on": end,
        }
    ).reindex(columns=list(PART_COLUMNS))


def _details(session: Session, ids: list[int]) -> pd.DataFrame:
    """Code, name, customer, owner, current stage and amount of the deals ``ids``."""
    parts = []
    for chunk in id_chunks(ids, 2000):
        query = with_deal_columns(select(OPP.c.id.label("opportunity_id"))).where(
            OPP.c.id.in_(chunk)
        )
        parts.append(frame_of(session, query))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def stage_names(session: Session) -> dict[str, tuple[str, str]]:
    """Stage code → (name_zh, name_en), for showing a move's from/to stages."""
    rows = session.execute(select(STAGE.c.code, STAGE.c.name_zh, STAGE.c.name_en)).all()
    return {code: (zh, en) for code, zh, en in rows}
