"""Live figures for a rep's month: the actuals the form is prefilled with, their targets
from the rep's goals, and key customer actions suggested from the month's activity.

Each actual is one aggregate query over the rep's own rows (indexed by owner / rep), so a
form prefills in a few milliseconds even on a large store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlmodel import Session

from salesboard.calendar.periods import Period, parse_period
from salesboard.store.models import (
    Collection,
    Customer,
    Goal,
    GoalScope,
    KeyAction,
    Opportunity,
    OpportunityStatus,
    Stage,
    StageHistory,
    StageKind,
    Visit,
)
from salesboard.store.queries import money_sum

OPP = Opportunity.__table__
COLL = Collection.__table__
CUST = Customer.__table__
VISIT = Visit.__table__
ACTION = KeyAction.__table__
STAGE = Stage.__table__
HIST = StageHistory.__table__
GOAL = Goal.__table__

# The stage whose done key actions count as "proposals submitted" (默认阶段 方案制定).
PROPOSAL_STAGE = "proposal"


def _ratio(part: int | float | None, whole: int | float | None) -> float | None:
    if not whole:
        return None
    return float(part or 0) / float(whole)


def _in(column, period: Period):
    return column.between(period.start, period.end)


def _sum_if(condition, value=1):
    return money_sum(case((condition, value), else_=0))


def _any_period(column, periods: Sequence[Period]):
    return or_(*(_in(column, p) for p in periods))


def sales_won(session: Session, rep_id: int, periods: Sequence[Period]) -> list[int]:
    """Amount (minor units) of the rep's deals won in each of ``periods``."""
    row = session.execute(
        select(*(_sum_if(_in(OPP.c.won_on, p), OPP.c.amount_minor) for p in periods)).where(
            OPP.c.owner_id == rep_id,
            OPP.c.status == OpportunityStatus.WON,
            _any_period(OPP.c.won_on, periods),
        )
    ).one()
    return [int(v) for v in row]


def collections(
    session: Session, rep_id: int, periods: Sequence[Period]
) -> list[tuple[int, int, int]]:
    """Per period: (due, collected by the period's end, collected on or before the due date),
    in minor units, over the instalments of the rep's deals that fell due in the period."""
    columns = []
    for p in periods:
        due = _in(COLL.c.due_on, p)
        columns += [
            _sum_if(due, COLL.c.due_minor),
            _sum_if(and_(due, COLL.c.collected_on <= p.end), COLL.c.collected_minor),
            _sum_if(and_(due, COLL.c.collected_on <= COLL.c.due_on), COLL.c.collected_minor),
        ]
    row = session.execute(
        select(*columns)
        .join(OPP, OPP.c.id == COLL.c.opportunity_id)
        .where(OPP.c.owner_id == rep_id, _any_period(COLL.c.due_on, periods))
    ).one()
    values = [int(v) for v in row]
    return [tuple(values[i : i + 3]) for i in range(0, len(values), 3)]


def new_customers(session: Session, rep_id: int, periods: Sequence[Period]) -> list[int]:
    """Customers the rep owns that were acquired (created) in each period."""
    row = session.execute(
        select(*(_sum_if(_in(CUST.c.created_on, p)) for p in periods)).where(
            CUST.c.owner_id == rep_id, _any_period(CUST.c.created_on, periods)
        )
    ).one()
    return [int(v) for v in row]


def visit_counts(session: Session, rep_id: int, periods: Sequence[Period]) -> list[tuple[int, int]]:
    """Per period: (visits, effective visits — decision maker, ≥ 10 minutes, need obtained)."""
    columns = []
    for p in periods:
        columns += [_sum_if(_in(VISIT.c.visited_on, p)),
                    _sum_if(and_(_in(VISIT.c.visited_on, p), VISIT.c.effective))]  # fmt: skip
    row = session.execute(
        select(*columns).where(VISIT.c.rep_id == rep_id, _any_period(VISIT.c.visited_on, periods))
    ).one()
    values = [int(v) for v in row]
    return [tuple(values[i : i + 2]) for i in range(0, len(values), 2)]


def lead_resolution(
    session: Session, rep_id: int, periods: Sequence[Period]
) -> list[tuple[int, int]]:
    """Per period: (leads that left the lead stage, of which advanced to the next stage).

    The lead stage is the first open stage; a lead that left it by being lost there does
    not count as advanced. Effective lead conversion = advanced / resolved.
    """
    lead_stage = session.execute(
        select(STAGE.c.id).where(STAGE.c.kind == StageKind.OPEN).order_by(STAGE.c.position)
    ).first()
    if lead_stage is None:
        return [(0, 0)] * len(periods)
    lost_here = and_(OPP.c.status == OpportunityStatus.LOST, OPP.c.lost_stage_id == lead_stage[0])
    columns = []
    for p in periods:
        columns += [_sum_if(_in(HIST.c.left_on, p)),
                    _sum_if(and_(_in(HIST.c.left_on, p), ~lost_here))]  # fmt: skip
    # Driven from the rep's deals (owner index), then their stays by opportunity id; "+ 0"
    # keeps SQLite from scanning every lead stay through the stage index instead.
    row = session.execute(
        select(*columns)
        .select_from(OPP.join(HIST, HIST.c.opportunity_id == OPP.c.id))
        .where(
            OPP.c.owner_id == rep_id,
            HIST.c.stage_id + 0 == lead_stage[0],
            _any_period(HIST.c.left_on, periods),
        )
    ).one()
    values = [int(v) for v in row]
    return [tuple(values[i : i + 2]) for i in range(0, len(values), 2)]


def proposals_done(session: Session, rep_id: int, periods: Sequence[Period]) -> list[int | None]:
    """Key actions of the proposal stage the rep completed in each period (None when the
    company has no stage coded "proposal")."""
    stage = session.execute(select(STAGE.c.id).where(STAGE.c.code == PROPOSAL_STAGE)).first()
    if stage is None:
        return [None] * len(periods)
    row = session.execute(
        select(*(_sum_if(_in(ACTION.c.done_on, p)) for p in periods)).where(
            ACTION.c.owner_id == rep_id,
            ACTION.c.stage_id == stage[0],
            _any_period(ACTION.c.done_on, periods),
        )
    ).one()
    return [int(v) for v in row]


def key_action_completion(
    session: Session, rep_id: int, periods: Sequence[Period]
) -> list[tuple[int, int]]:
    """Per period: (key actions planned in it, of which done on or before the planned date)."""
    on_time = ACTION.c.done_on <= ACTION.c.planned_on
    columns = []
    for p in periods:
        columns += [_sum_if(_in(ACTION.c.planned_on, p)),
                    _sum_if(and_(_in(ACTION.c.planned_on, p), on_time))]  # fmt: skip
    row = session.execute(
        select(*columns).where(
            ACTION.c.owner_id == rep_id, _any_period(ACTION.c.planned_on, periods)
        )
    ).one()
    values = [int(v) for v in row]
    return [tuple(values[i : i + 2]) for i in range(0, len(values), 2)]


def rep_actuals_many(
    session: Session, rep_id: int, periods: Sequence[Period]
) -> list[dict[str, float | int | None]]:
    """Every form metric's actual for the rep in each of ``periods`` (one query per metric
    for all periods): money in minor units, rates as ratios (None when there is nothing to
    divide by), counts as integers."""
    sales = sales_won(session, rep_id, periods)
    money = collections(session, rep_id, periods)
    new = new_customers(session, rep_id, periods)
    visits = visit_counts(session, rep_id, periods)
    leads = lead_resolution(session, rep_id, periods)
    proposals = proposals_done(session, rep_id, periods)
    planned = key_action_completion(session, rep_id, periods)
    out = []
    for i in range(len(periods)):
        due, collected, on_time = money[i]
        out.append(
            {
                "sales": sales[i],
                "collection_rate": _ratio(collected, due),
                "on_time_collection": _ratio(on_time, due),
                "new_customers": new[i],
                "visits": visits[i][0],
                "effective_visits": visits[i][1],
                "lead_conversion": _ratio(leads[i][1], leads[i][0]),
                "proposals": proposals[i],
                "key_action_completion": _ratio(planned[i][1], planned[i][0]),
            }
        )
    return out


def rep_actuals(session: Session, rep_id: int, period: Period) -> dict[str, float | int | None]:
    """Every form metric's actual for the rep in ``period`` (see ``rep_actuals_many``)."""
    return rep_actuals_many(session, rep_id, [period])[0]


def rep_goal_targets(session: Session, rep_id: int, label: str) -> dict[str, Decimal]:
    """The rep's targets for the month ``label`` by goal metric (summed over product lines)."""
    rows = session.execute(
        select(GOAL.c.metric, func.sum(GOAL.c.target))
        .where(GOAL.c.scope == GoalScope.REP, GOAL.c.user_id == rep_id, GOAL.c.period == label)
        .group_by(GOAL.c.metric)
    ).all()
    return {metric: Decimal(target) for metric, target in rows}


def suggested_actions(session: Session, rep_id: int, period: Period, limit: int = 5) -> list[dict]:
    """Key customer actions for the form: the month's completed key actions on the rep's
    largest deals, then visits with an advancement commitment, biggest first."""
    actions = session.execute(
        select(
            CUST.c.name,
            OPP.c.name.label("deal"),
            ACTION.c.action,
            ACTION.c.done_on,
            ACTION.c.customer_feedback,
            OPP.c.next_step,
            OPP.c.amount_minor,
        )  # fmt: skip
        .join(OPP, OPP.c.id == ACTION.c.opportunity_id)
        .join(CUST, CUST.c.id == OPP.c.customer_id)
        .where(ACTION.c.owner_id == rep_id, ACTION.c.done_on.between(period.start, period.end))
        .order_by(OPP.c.amount_minor.desc(), ACTION.c.done_on, ACTION.c.id)
        .limit(limit)
    ).all()
    rows = [
        {
            "customer": name,
            "action": action,
            "date": done_on.isoformat(),
            "progress": feedback or "",
            "support": "",
        }
        for name, deal, action, done_on, feedback, _next, _amount in actions
    ]
    if len(rows) < limit:
        visits = session.execute(
            select(CUST.c.name, VISIT.c.goal, VISIT.c.visited_on, VISIT.c.commitment)
            .join(CUST, CUST.c.id == VISIT.c.customer_id)
            .where(
                VISIT.c.rep_id == rep_id,
                VISIT.c.visited_on.between(period.start, period.end),
                VISIT.c.commitment != "",
            )
            .order_by(VISIT.c.visited_on, VISIT.c.id)
            .limit(limit - len(rows))
        ).all()
        rows += [
            {
                "customer": name,
                "action": goal,
                "date": visited_on.isoformat(),
                "progress": commitment,
                "support": "",
            }
            for name, goal, visited_on, commitment in visits
        ]
    return rows


def month_bounds(label: str) -> tuple[date, date]:
    """First and last day of the month ``label`` ("YYYY-MM")."""

    period = parse_period(label)
    if period.kind != "month":
        raise ValueError(f"{label!r} is not a month like 2026-10")
    return period.start, period.end
