"""What changed since last week: new, advanced, moved back, slipped, won, lost and newly
overdue opportunities, with amounts (a pipeline inspection's week-over-week view).

The week is the ``days`` calendar days up to and including ``as_of``. Stage moves compare
the stage a deal was in the day before the week started with the stage it is in at the end
(stage history), so a deal that went forward and back again counts as neither. Slips are
``expected_close`` and ``planned_date`` events in the week whose new date is later than
the old. Newly overdue deals are overdue on ``as_of`` and were not ``days`` earlier.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import and_, or_, select
from sqlmodel import Session

from salesboard.access import Viewer, scoped_filter
from salesboard.filters import OpportunityFilter
from salesboard.models import (
    Customer,
    Opportunity,
    OpportunityEvent,
    OpportunityEventKind,
    OpportunityStatus,
    Stage,
    StageHistory,
    User,
)
from salesboard.pipeline.overdue import newly_overdue
from salesboard.queries import frame_of, id_chunks
from salesboard.workdays import WorkCalendar, load_calendar

OPP = Opportunity.__table__
STAGE = Stage.__table__
HISTORY = StageHistory.__table__
EVENT = OpportunityEvent.__table__
CUSTOMER = Customer.__table__
USER = User.__table__

CHANGE_KINDS = ("new", "advanced", "moved_back", "slipped", "won", "lost", "newly_overdue")
CHANGE_COLUMNS = (
    "kind", "opportunity_id", "code", "name", "customer", "owner", "stage_zh", "stage_en",
    "amount_minor", "from_value", "to_value", "happened_on",
)  # fmt: skip
SLIP_KINDS = (OpportunityEventKind.EXPECTED_CLOSE, OpportunityEventKind.PLANNED_DATE)


def week_window(as_of: date, days: int = 7) -> tuple[date, date]:
    """(first day, last day) of the ``days`` days ending on ``as_of``."""
    return as_of - timedelta(days=days - 1), as_of


def weekly_changes(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    as_of: date,
    days: int = 7,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """One row per (change kind, opportunity) in the week ending ``as_of``, for the deals
    ``viewer`` may read: ``CHANGE_COLUMNS``. ``from_value``/``to_value`` hold the stage
    codes of a move or the old and new date of a slip; ``happened_on`` the day it happened
    (for stage moves and newly overdue deals: the end of the week)."""
    filters = scoped_filter(viewer, filters)
    start, end = week_window(as_of, days)
    before = start - timedelta(days=1)
    parts = [
        _simple(session, filters, "new", OPP.c.created_on, start, end),
        _simple(session, filters, "won", OPP.c.won_on, start, end, OpportunityStatus.WON),
        _simple(session, filters, "lost", OPP.c.lost_on, start, end, OpportunityStatus.LOST),
        _stage_moves(session, filters, before, end),
        _slips(session, filters, start, end),
    ]
    calendar = calendar or load_calendar(session)
    overdue = newly_overdue(session, viewer, filters, as_of, days, calendar)
    parts.append(
        pd.DataFrame(
            {
                "kind": "newly_overdue",
                "opportunity_id": overdue["opportunity_id"].astype("int64"),
                "happened_on": end,
            }
        )
    )
    changes = pd.concat([p for p in parts if not p.empty], ignore_index=True)
    changes = changes.reindex(
        columns=["kind", "opportunity_id", "from_value", "to_value", "happened_on"]
    )
    if changes.empty:
        return pd.DataFrame(columns=list(CHANGE_COLUMNS))
    details = _details(session, changes["opportunity_id"].unique().tolist())
    out = changes.merge(details, on="opportunity_id", how="inner")
    out["kind"] = pd.Categorical(out["kind"], categories=CHANGE_KINDS, ordered=True)
    out = out.sort_values(["kind", "amount_minor", "code"], ascending=[True, False, True])
    out["kind"] = out["kind"].astype(str)
    return out.reindex(columns=list(CHANGE_COLUMNS)).reset_index(drop=True)


def change_summary(changes: pd.DataFrame) -> pd.DataFrame:
    """Per change kind (all kinds, in order): ``kind, count, amount_minor``."""
    grouped = changes.groupby("kind")["amount_minor"].agg(["count", "sum"])
    out = pd.DataFrame({"kind": list(CHANGE_KINDS)})
    out["count"] = out["kind"].map(grouped["count"]).fillna(0).astype("int64")
    out["amount_minor"] = out["kind"].map(grouped["sum"]).fillna(0).astype("int64")
    return out


def _simple(session, filters, kind, column, start, end, status=None) -> pd.DataFrame:
    """Deals whose ``column`` date falls in the week (optionally only of ``status``)."""
    query = select(OPP.c.id.label("opportunity_id"), column.label("happened_on")).where(
        column.between(start, end)
    )
    if status is not None:
        query = query.where(OPP.c.status == status)
    frame = frame_of(session, filters.apply(query))
    frame.insert(0, "kind", kind)
    return frame


def _stage_moves(session, filters, before: date, end: date) -> pd.DataFrame:
    """Deals whose stage on ``end`` is after (advanced) or before (moved back) the stage
    they were in on ``before``; deals not yet in a stage then, or lost/won, are left out
    (they are "new", "won" or "lost")."""
    moved = filters.apply(
        select(HISTORY.c.opportunity_id)
        .join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
        .where(
            # One (stage_id, entered_on) index range per stage.
            HISTORY.c.stage_id.in_(select(STAGE.c.id).scalar_subquery()),
            HISTORY.c.entered_on.between(before + timedelta(days=1), end),
        )
        .where(OPP.c.status == OpportunityStatus.OPEN)
    )
    then_stay, now_stay = HISTORY.alias("then_stay"), HISTORY.alias("now_stay")
    then_stage, now_stage = STAGE.alias("then_stage"), STAGE.alias("now_stage")
    query = (
        select(
            then_stay.c.opportunity_id,
            then_stage.c.code.label("from_value"),
            now_stage.c.code.label("to_value"),
            then_stage.c.position.label("from_position"),
            now_stage.c.position.label("to_position"),
        )
        .join(now_stay, now_stay.c.opportunity_id == then_stay.c.opportunity_id)
        .join(then_stage, then_stage.c.id == then_stay.c.stage_id)
        .join(now_stage, now_stage.c.id == now_stay.c.stage_id)
        .where(
            then_stay.c.opportunity_id.in_(moved),
            _covers(then_stay, before),
            _covers(now_stay, end),
        )
    )
    frame = frame_of(session, query)
    if frame.empty:
        return pd.DataFrame(columns=["kind", "opportunity_id", "from_value", "to_value"])
    frame = frame.drop_duplicates("opportunity_id")
    frame["kind"] = None
    frame.loc[frame["to_position"] > frame["from_position"], "kind"] = "advanced"
    frame.loc[frame["to_position"] < frame["from_position"], "kind"] = "moved_back"
    frame["happened_on"] = end
    frame = frame[frame["kind"].notna()]
    return frame[["kind", "opportunity_id", "from_value", "to_value", "happened_on"]]


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
        return pd.DataFrame(columns=["kind", "opportunity_id", "from_value", "to_value"])
    grouped = frame.groupby("opportunity_id", sort=False).agg(
        from_value=("old_value", "first"),
        to_value=("new_value", "last"),
        happened_on=("happened_on", "last"),
    )
    out = grouped.reset_index()
    out.insert(0, "kind", "slipped")
    return out


def _details(session: Session, ids: list[int]) -> pd.DataFrame:
    """Code, name, customer, owner, current stage and amount of the deals ``ids``."""
    parts = []
    for chunk in id_chunks(ids, 2000):
        query = (
            select(
                OPP.c.id.label("opportunity_id"),
                OPP.c.code,
                OPP.c.name,
                CUSTOMER.c.name.label("customer"),
                USER.c.display_name.label("owner"),
                STAGE.c.name_zh.label("stage_zh"),
                STAGE.c.name_en.label("stage_en"),
                OPP.c.amount_minor,
            )
            .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
            .join(USER, USER.c.id == OPP.c.owner_id)
            .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
            .where(OPP.c.id.in_(chunk))
        )
        parts.append(frame_of(session, query))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()


def stage_names(session: Session) -> dict[str, tuple[str, str]]:
    """Stage code → (name_zh, name_en), for showing a move's from/to stages."""
    rows = session.execute(select(STAGE.c.code, STAGE.c.name_zh, STAGE.c.name_en)).all()
    return {code: (zh, en) for code, zh, en in rows}
