"""Deal queries every pipeline view shares: the deals under control (open, or won and still
in delivery) with their stage clocks (the input of the overdue rule), and the display columns and joins of a deal list (code, name,
customer, owner, stage, amount), written once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import Select, and_, func, or_, select
from sqlmodel import Session

from salesboard.accounts.access import SYSTEM, Viewer, scoped_filter
from salesboard.calendar.periods import Period
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.figures.sales import days_counted, lost_between, still_open, won_between
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import OpportunityStatus, Role, StageKind
from salesboard.store.queries import (
    frame_of,
    iso_date,
    money_sum,
    raw_frame_of,
    sqlite_unindexed,
)
from salesboard.store.tables import ACTION, CUSTOMER, OPP, STAGE, TEAM, USER

# The lists a figure opens (Overview and goal tiles): deals won or lost in a period, both (the
# win rate's deals), or open now.
DEAL_LISTS = ("won", "lost", "closed", "open")
# Rows a list shows at once (its count and total cover every deal).
DEAL_LIST_LIMIT = 500


@dataclass(frozen=True)
class DealList:
    """The deals behind a figure: the biggest ``rows`` (at most ``DEAL_LIST_LIMIT``) and the
    ``count`` and ``amount_minor`` of all of them."""

    rows: pd.DataFrame
    count: int
    amount_minor: int


def _list_condition(kind: str, period: Period, as_of: date | None):
    """The deals of list ``kind``: by the rules of ``figures.sales`` (the days the tiles
    count: the period's, through ``as_of``), so a list adds up to its tile."""
    days = days_counted(period.start, period.end, as_of)
    won, lost = won_between(*days), lost_between(*days)
    conditions = {"won": won, "lost": lost, "closed": or_(won, lost), "open": still_open()}
    return conditions[kind]


def deal_list(
    session: Session,
    viewer: Viewer,
    kind: str,
    period: Period,
    filters: OpportunityFilter = NO_FILTER,
    as_of: date | None = None,
) -> DealList:
    """The deals ``viewer`` may read behind a figure (``DEAL_LISTS``): won or lost in
    ``period`` through ``as_of`` (by their won / lost date), both, or open now (``period``
    aside); biggest first, with the status and the day each closed."""
    visible = scoped_filter(viewer, filters)
    condition = _list_condition(kind, period, as_of)
    count, amount = session.execute(
        visible.apply(select(func.count(), money_sum(OPP.c.amount_minor)).where(condition))
    ).one()
    query = with_deal_columns(
        select(), OPP.c.status, iso_date(func.coalesce(OPP.c.won_on, OPP.c.lost_on), "closed_on")
    )
    rows = frame_of(
        session,
        visible.apply(query.where(condition))
        .order_by(OPP.c.amount_minor.desc(), OPP.c.code)
        .limit(DEAL_LIST_LIMIT),
    )
    return DealList(rows, int(count), int(amount))


# The columns ``with_deal_columns`` adds, in order.
DEAL_COLUMNS = ("code", "name", "customer", "owner", "stage_zh", "stage_en", "amount_minor")


def with_deal_columns(query: Select, *extra, team: bool = False) -> Select:
    """``query`` over opportunities with the columns every deal list shows (``DEAL_COLUMNS``,
    then ``extra``, then ``team`` when asked) and the joins they need."""
    query = query.add_columns(
        OPP.c.code,
        OPP.c.name,
        CUSTOMER.c.name.label("customer"),
        USER.c.display_name.label("owner"),
        STAGE.c.name_zh.label("stage_zh"),
        STAGE.c.name_en.label("stage_en"),
        OPP.c.amount_minor,
        *extra,
    )
    query = (
        query.join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
        .join(USER, USER.c.id == OPP.c.owner_id)
        .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
    )
    if team:
        query = query.add_columns(TEAM.c.name.label("team")).join(TEAM, TEAM.c.id == OPP.c.team_id)
    return query


def open_opportunities_for_overdue(
    session: Session,
    viewer: Viewer = SYSTEM,
    filters: OpportunityFilter = NO_FILTER,
    *,
    since: date | None = None,
    overdue_on: date | None = None,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """The deals under control that ``viewer`` may read (within ``filters``), with their
    owner, stage clocks and the current stage's earliest undone key action: the input
    ``metrics.overdue_opportunities`` expects.

    Under control: every open deal, and every won deal still in a controlled stage after
    signing (delivery) with a delivery or collection key action not done — a late delivery
    or collection is overdue like any other; a deal whose delivery is complete is not.

    With ``since``, a column ``planned_since_on`` adds the earliest planned date among the
    current stage's key actions still undone on ``since`` (done later or not at all), so the
    same function can tell what was overdue then. With ``overdue_on``, only the deals
    overdue that day by ``calendar`` (the company's by default) are read
    (``overdue_condition``).
    """
    extra = []
    if since is not None:
        undone_then = ACTION.c.done_on.is_(None) | (ACTION.c.done_on > since)
        extra = [iso_date(earliest_planned(undone_then), "planned_since_on")]
    base = scoped_filter(viewer, filters).apply(
        select(
            OPP.c.id.label("opportunity_id"),
            OPP.c.owner_id,
            OPP.c.amount_minor,
            iso_date(OPP.c.stage_entered_on),
            iso_date(OPP.c.last_activity_on),
            STAGE.c.standard_days,
            STAGE.c.idle_days,
            iso_date(OPP.c.next_action_on, "planned_on"),
            *extra,
        ).join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
    )
    if overdue_on is not None:
        base = base.where(overdue_condition(session, overdue_on, calendar))
    frame = _plain_rows(session, base.where(OPP.c.status == OpportunityStatus.OPEN))
    delivering = _plain_rows(session, base.where(*in_delivery_with_action(session, viewer)))
    if not delivering.empty:
        frame = pd.concat([frame, delivering], ignore_index=True) if len(frame) else delivering
    for column in ("stage_entered_on", "last_activity_on", "planned_on", "planned_since_on"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], format="%Y-%m-%d")
    frame["done_on"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    return frame


def _plain_rows(session: Session, query) -> pd.DataFrame:
    """``query``'s rows (integers and ISO-date text) as the driver gives them, no ``Row``
    objects (the overdue check reads 47k deals at 1M: 0.4 s → 0.2 s); no rows: the float
    columns ``frame_of`` gives."""
    frame = raw_frame_of(session, query)
    return frame.astype("float64") if frame.empty else frame


# The stages after signing (delivery by default): as a subquery, and their ids read once.
WON_STAGES = select(STAGE.c.id).where(STAGE.c.kind == StageKind.WON)


def won_stage_ids(session: Session) -> list[int]:
    """The ids of the stages after signing."""
    return [int(i) for i in session.scalars(WON_STAGES)]


def in_delivery(session: Session, viewer: Viewer = SYSTEM) -> tuple:
    """Conditions on a won deal still under control (in delivery: in a stage after signing
    with a key action of that kind of stage not done) — the won deals the board shows and
    the overdue check reads; ``viewer``'s scope is applied separately.

    Everyone who sees all: the undone actions drive (a primary-key seek per deal), not the
    status index, which would walk every won deal ever (1M deals: 0.5 s → 0.1 s). A rep:
    their own few won deals, each checked by one seek (their overdue count at 10M 0.78 →
    0.27 s). A manager: the won stages named by id, so that PostgreSQL knows how many undone
    actions they hold (181k at 10M deals; from a subquery on the stages it guesses 19k) and
    joins them to the team's won deals instead (their overdue count 0.90 → 0.58 s, board
    0.87 → 0.51 s); SQLite keeps the undone actions driving (a manager's board at 1M: 0.11 s
    that way against 0.23 s the other). A leader keeps the subquery: with the real count
    PostgreSQL scans every deal for the board (0.93 → 1.24 s)."""
    won_stages = WON_STAGES if viewer.sees_everything else won_stage_ids(session)
    undone = select(ACTION.c.opportunity_id).where(
        ACTION.c.done_on.is_(None), ACTION.c.stage_id.in_(won_stages)
    )
    if viewer.role == Role.REP:  # the owner index drives (SQLite would take the status one)
        # A scalar subquery, not EXISTS: PostgreSQL turns EXISTS into a join driven by every
        # undone action (0.75 s at 10M deals for a rep's board); this stays a seek per deal.
        first = undone.where(ACTION.c.opportunity_id == OPP.c.id).limit(1).scalar_subquery()
        return (sqlite_unindexed(OPP.c.status) == OpportunityStatus.WON, first.is_not(None))
    status = OPP.c.status.concat("") if viewer.sees_everything else sqlite_unindexed(OPP.c.status)
    return (status == OpportunityStatus.WON, OPP.c.id.in_(undone))


def in_delivery_in_its_stage(session: Session, viewer: Viewer = SYSTEM) -> tuple:
    """``in_delivery`` for won deals whose current stage is a stage after signing (the
    board's delivery columns). With one such stage (the default), an undone key action of
    it is one of the deal's current stage: the deal has a next action (``next_action_on``),
    and the partial index on those deals answers with their amounts — at 10M deals 181k
    deals read from it instead of a primary-key seek per undone delivery action (1.3 s).
    With several, a deal may owe an action of an earlier one: ``in_delivery`` itself."""
    if len(won_stage_ids(session)) != 1:
        return in_delivery(session, viewer)
    return (OPP.c.status == OpportunityStatus.WON, OPP.c.next_action_on.is_not(None))


def in_delivery_with_action(session: Session, viewer: Viewer = SYSTEM) -> tuple:
    """``in_delivery`` and a next undone key action in the deal's current stage: the won
    deals the overdue check reads (a deal whose delivery has nothing planned is not late).

    For everyone who sees all, the deals with a next action drive (the partial index on
    them: 110k won deals at 10M) and the undone delivery actions are hashed once, instead of
    a primary-key seek per undone action (181k: 1.3 s → 0.28 s for a leader's count).
    Managers and reps keep ``in_delivery``'s forms, narrowed by their own indexes."""
    has_action = OPP.c.next_action_on.is_not(None)
    if not viewer.sees_everything:
        return (*in_delivery(session, viewer), has_action)
    undone = select(ACTION.c.opportunity_id).where(
        ACTION.c.done_on.is_(None), ACTION.c.stage_id.in_(won_stage_ids(session))
    )
    return (OPP.c.status == OpportunityStatus.WON, has_action, OPP.c.id.in_(undone))


def earliest_planned(undone):
    """The earliest planned date among the current stage's key actions that meet ``undone``.

    Correlated to the open opportunity: one seek on (opportunity_id, stage_id, …) per deal,
    never a scan of the whole key_action table and no GROUP BY over the join."""
    return (
        select(func.min(ACTION.c.planned_on))
        .where(
            ACTION.c.opportunity_id == OPP.c.id,
            ACTION.c.stage_id == OPP.c.current_stage_id,
            undone,
        )
        .scalar_subquery()
    )


def overdue_condition(session: Session, day: date, calendar: WorkCalendar | None = None):
    """The SQL condition on a deal under control that is overdue on ``day`` by
    ``metrics.overdue_opportunities``' rule, exactly: longer in its stage than the stage's
    standard or quiet longer than its idle limit (working days: each limit is a latest
    start date, ``WorkCalendar.latest_start_over``), or an undone key action of the stage
    planned before ``day``. Most deals fail it, and rows never read cost nothing."""
    calendar = calendar or load_calendar(session)
    # The deal's own next undone action (kept by triggers, migration 0025), not a seek into
    # the key actions per deal: a leader's count at 10M deals read 700,000 of them.
    late_action = OPP.c.next_action_on < day
    per_stage = []
    limits = session.execute(select(STAGE.c.id, STAGE.c.standard_days, STAGE.c.idle_days))
    for stage_id, standard_days, idle_days in limits:
        clocks = []
        if standard_days is not None:
            clocks.append(OPP.c.stage_entered_on <= calendar.latest_start_over(standard_days, day))
        if idle_days is not None:
            # Quiet since the later of entering the stage and the last activity.
            quiet_since = calendar.latest_start_over(idle_days, day)
            clocks.append(
                and_(
                    OPP.c.stage_entered_on <= quiet_since,
                    or_(OPP.c.last_activity_on.is_(None), OPP.c.last_activity_on <= quiet_since),
                )
            )
        if clocks:
            per_stage.append(and_(OPP.c.current_stage_id == stage_id, or_(*clocks)))
    return or_(*per_stage, late_action)
