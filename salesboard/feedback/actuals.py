"""Live figures for a rep's month: the actuals the form is prefilled with, their targets
from the rep's goals, and key customer actions suggested from the month's activity.

Each actual is one aggregate query over the rep's own rows (indexed by owner / rep), so a
form prefills in a few milliseconds even on a large store.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from salesboard.models import (
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
from salesboard.periods import Period

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


def sales_won(session: Session, rep_id: int, period: Period) -> int:
    """Amount (minor units) of the rep's deals won in ``period``."""
    value = session.execute(
        select(func.coalesce(func.sum(OPP.c.amount_minor), 0)).where(
            OPP.c.owner_id == rep_id,
            OPP.c.status == OpportunityStatus.WON,
            OPP.c.won_on.between(period.start, period.end),
        )
    ).scalar_one()
    return int(value)


def collections(session: Session, rep_id: int, period: Period) -> tuple[int, int, int]:
    """(due, collected by the period's end, collected on or before the due date), in minor
    units, over the instalments of the rep's deals that fell due in ``period``."""
    by_end = case((COLL.c.collected_on <= period.end, COLL.c.collected_minor), else_=0)
    on_time = case((COLL.c.collected_on <= COLL.c.due_on, COLL.c.collected_minor), else_=0)
    row = session.execute(
        select(
            func.coalesce(func.sum(COLL.c.due_minor), 0),
            func.coalesce(func.sum(by_end), 0),
            func.coalesce(func.sum(on_time), 0),
        )
        .join(OPP, OPP.c.id == COLL.c.opportunity_id)
        .where(OPP.c.owner_id == rep_id, COLL.c.due_on.between(period.start, period.end))
    ).one()
    return int(row[0]), int(row[1]), int(row[2])


def new_customers(session: Session, rep_id: int, period: Period) -> int:
    """Customers the rep owns that were acquired (created) in ``period``."""
    return int(
        session.execute(
            select(func.count()).where(
                CUST.c.owner_id == rep_id, CUST.c.created_on.between(period.start, period.end)
            )
        ).scalar_one()
    )


def visit_counts(session: Session, rep_id: int, period: Period) -> tuple[int, int]:
    """(visits, effective visits — decision maker, ≥ 10 minutes, need obtained) in ``period``."""
    effective = func.coalesce(func.sum(case((VISIT.c.effective, 1), else_=0)), 0)
    row = session.execute(
        select(func.count(), effective).where(
            VISIT.c.rep_id == rep_id, VISIT.c.visited_on.between(period.start, period.end)
        )
    ).one()
    return int(row[0]), int(row[1])


def lead_resolution(session: Session, rep_id: int, period: Period) -> tuple[int, int]:
    """(leads that left the lead stage in ``period``, of which advanced to the next stage).

    The lead stage is the first open stage; a lead that left it by being lost there does
    not count as advanced. Effective lead conversion = advanced / resolved.
    """
    lead_stage = session.execute(
        select(STAGE.c.id).where(STAGE.c.kind == StageKind.OPEN).order_by(STAGE.c.position)
    ).first()
    if lead_stage is None:
        return 0, 0
    lost_here = and_(OPP.c.status == OpportunityStatus.LOST, OPP.c.lost_stage_id == lead_stage[0])
    row = session.execute(
        select(func.count(), func.coalesce(func.sum(case((lost_here, 0), else_=1)), 0))
        .select_from(HIST.join(OPP, OPP.c.id == HIST.c.opportunity_id))
        .where(
            OPP.c.owner_id == rep_id,
            HIST.c.stage_id == lead_stage[0],
            HIST.c.left_on.between(period.start, period.end),
        )
    ).one()
    return int(row[0]), int(row[1])


def proposals_done(session: Session, rep_id: int, period: Period) -> int | None:
    """Key actions of the proposal stage the rep completed in ``period`` (None when the
    company has no stage coded "proposal")."""
    stage = session.execute(select(STAGE.c.id).where(STAGE.c.code == PROPOSAL_STAGE)).first()
    if stage is None:
        return None
    return int(
        session.execute(
            select(func.count()).where(
                ACTION.c.owner_id == rep_id,
                ACTION.c.stage_id == stage[0],
                ACTION.c.done_on.between(period.start, period.end),
            )
        ).scalar_one()
    )


def key_action_completion(session: Session, rep_id: int, period: Period) -> tuple[int, int]:
    """(key actions planned in ``period``, of which done on or before the planned date)."""
    on_time = case((ACTION.c.done_on <= ACTION.c.planned_on, 1), else_=0)
    row = session.execute(
        select(func.count(), func.coalesce(func.sum(on_time), 0)).where(
            ACTION.c.owner_id == rep_id, ACTION.c.planned_on.between(period.start, period.end)
        )
    ).one()
    return int(row[0]), int(row[1])


def rep_actuals(session: Session, rep_id: int, period: Period) -> dict[str, float | int | None]:
    """Every form metric's actual for the rep in ``period``: money in minor units, rates as
    ratios (None when there is nothing to divide by), counts as integers."""
    due, collected, on_time = collections(session, rep_id, period)
    visits, effective = visit_counts(session, rep_id, period)
    resolved, advanced = lead_resolution(session, rep_id, period)
    planned, done_on_time = key_action_completion(session, rep_id, period)
    return {
        "sales": sales_won(session, rep_id, period),
        "collection_rate": _ratio(collected, due),
        "on_time_collection": _ratio(on_time, due),
        "new_customers": new_customers(session, rep_id, period),
        "visits": visits,
        "effective_visits": effective,
        "lead_conversion": _ratio(advanced, resolved),
        "proposals": proposals_done(session, rep_id, period),
        "key_action_completion": _ratio(done_on_time, planned),
    }


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
            "customer": name if not deal else f"{name} · {deal}",
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
    from salesboard.periods import parse_period

    period = parse_period(label)
    if period.kind != "month":
        raise ValueError(f"{label!r} is not a month like 2026-10")
    return period.start, period.end
