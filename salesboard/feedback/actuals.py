"""Live figures for a rep's month: the actuals the form is prefilled with, their targets
from the rep's goals, and key customer actions suggested from the month's activity.

The figures other pages show too (sales and new customers against goals, visits, key-action
completion, proposals) come from ``salesboard.figures`` with the rep as the viewer, so the
form reads what the rep's Overview and the leaderboard read; each is one aggregate query
over the rep's rows, so a form prefills in milliseconds even on a large store.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, or_, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, viewer_for
from salesboard.calendar.periods import Period, parse_period
from salesboard.figures.attainment import viewer_attainment
from salesboard.figures.sales import (
    days_counted,
    key_action_rates,
    proposals_submitted,
    visit_counts,
)
from salesboard.store.models import GoalMetric, OpportunityStatus, StageKind, User
from salesboard.store.queries import sum_if
from salesboard.store.tables import (
    ACTION,
    COLLECTION,
    CUSTOMER,
    HISTORY,
    OPP,
    STAGE,
    VISIT,
    VISIT_DONE,
)

# Form metrics whose actual and target are the rep's attainment of a goal metric.
GOAL_BACKED = {
    "sales": GoalMetric.REVENUE,
    "new_customers": GoalMetric.NEW_CUSTOMERS,
    "visits": GoalMetric.VISITS,
}


def _ratio(part: int | float | None, whole: int | float | None) -> float | None:
    if not whole:
        return None
    return float(part or 0) / float(whole)


def _in(column, period: Period):
    return column.between(period.start, period.end)


def _any_period(column, periods: Sequence[Period]):
    return or_(*(_in(column, p) for p in periods))


def collections_by(
    session: Session, ids: Sequence[int], periods: Sequence[Period], *, by: str = "owner"
) -> dict[int, list[tuple[int, int, int]]]:
    """Per rep (``by`` "owner": the deal's owner) or team ("team": the team credited with
    the deal) in ``ids``, per period: (due, collected by the period's end, collected on or
    before the due date), in minor units, over the instalments of their deals that fell due
    in the period. One grouped query; an id without instalments has zeros."""
    # The instalment's own copy of its deal's owner and team (migration 0028): the sums are
    # read from the (owner or team, due day, amounts) index alone, each id's own range, no
    # deal looked up.
    group = {"owner": COLLECTION.c.owner_id, "team": COLLECTION.c.team_id}[by]
    ids = [int(i) for i in ids]
    out = {i: [(0, 0, 0)] * len(periods) for i in ids}
    if not ids or not periods:
        return out
    columns = []
    for p in periods:
        due = _in(COLLECTION.c.due_on, p)
        columns += [
            sum_if(due, COLLECTION.c.due_minor),
            sum_if(and_(due, COLLECTION.c.collected_on <= p.end), COLLECTION.c.collected_minor),
            sum_if(
                and_(due, COLLECTION.c.collected_on <= COLLECTION.c.due_on),
                COLLECTION.c.collected_minor,
            ),
        ]
    query = select(group, *columns).where(_any_period(COLLECTION.c.due_on, periods), group.in_(ids))
    rows = session.execute(query.group_by(group)).all()
    for row in (r for r in rows if r[0] is not None and int(r[0]) in out):
        values = [int(v) for v in row[1:]]
        out[int(row[0])] = [tuple(values[i : i + 3]) for i in range(0, len(values), 3)]
    return out


def collections(
    session: Session, rep_id: int, periods: Sequence[Period]
) -> list[tuple[int, int, int]]:
    """Per period: (due, collected by the period's end, collected on or before the due date),
    in minor units, over the instalments of the rep's deals that fell due in the period
    (``collections_by`` for one rep)."""
    return collections_by(session, [rep_id], periods)[int(rep_id)]


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
        columns += [sum_if(_in(HISTORY.c.left_on, p)),
                    sum_if(and_(_in(HISTORY.c.left_on, p), ~lost_here))]  # fmt: skip
    # Driven from the rep's deals (owner index), then their stays by opportunity id; "+ 0"
    # keeps SQLite from scanning every lead stay through the stage index instead.
    row = session.execute(
        select(*columns)
        .select_from(OPP.join(HISTORY, HISTORY.c.opportunity_id == OPP.c.id))
        .where(
            OPP.c.owner_id == rep_id,
            HISTORY.c.stage_id + 0 == lead_stage[0],
            _any_period(HISTORY.c.left_on, periods),
        )
    ).one()
    values = [int(v) for v in row]
    return [tuple(values[i : i + 2]) for i in range(0, len(values), 2)]


def _rep_viewer(session: Session, rep_id: int) -> Viewer:
    """The rep as a viewer: the form's figures are what the rep sees as their own."""
    user = session.get(User, rep_id)
    if user is None:
        raise ValueError(f"no user with id {rep_id}")
    return viewer_for(session, user)


def rep_figures(
    session: Session, rep_id: int, periods: Sequence[Period], as_of: date
) -> list[dict[str, float | int | None]]:
    """Every form metric's actual for the rep in each of ``periods`` (through ``as_of``),
    plus ``targets`` (the rep's goal targets by form metric code, None without a goal).

    The metrics backed by a goal (sales, new customers, visits) are the rep's attainment
    (``figures.attainment``: the number the Overview, the goal pages and the leaderboard
    show); key-action completion (done / due), on-time rate and proposals submitted are
    ``figures.sales``; collection rates and lead conversion are this module's. Money in
    minor units, rates as ratios (None when there is nothing to divide by), counts as
    integers."""
    viewer = _rep_viewer(session, rep_id)
    money = collections(session, rep_id, periods)
    leads = lead_resolution(session, rep_id, periods)
    out = []
    for i, period in enumerate(periods):
        first, last = days_counted(period.start, period.end, as_of)
        goals = {
            code: viewer_attainment(session, viewer, period, metric, as_of)
            for code, metric in GOAL_BACKED.items()
        }
        visits = visit_counts(session, viewer, first, last)
        actions = key_action_rates(session, viewer, first, last, as_of)
        due, collected, on_time = money[i]
        row = {code: goal.actual for code, goal in goals.items()}
        row.update(
            {
                "collection_rate": _ratio(collected, due),
                "on_time_collection": _ratio(on_time, due),
                "effective_visits": visits.effective,
                "lead_conversion": _ratio(leads[i][1], leads[i][0]),
                "proposals": proposals_submitted(session, viewer, first, last, as_of),
                "key_action_completion": actions.completion,
                "key_action_on_time": actions.on_time_rate,
                "targets": {code: goal.target for code, goal in goals.items()},
            }
        )
        for code in ("sales", "new_customers", "visits"):
            row[code] = None if row.get(code) is None else int(row[code])
        out.append(row)
    return out


def rep_actuals(
    session: Session, rep_id: int, period: Period, as_of: date
) -> dict[str, float | int | None]:
    """Every form metric's actual for the rep in ``period`` (see ``rep_figures``)."""
    return rep_figures(session, rep_id, [period], as_of)[0]


def suggested_actions(session: Session, rep_id: int, period: Period, limit: int = 5) -> list[dict]:
    """Key customer actions for the form: the month's completed key actions on the rep's
    largest deals, then visits with an advancement commitment, biggest first."""
    actions = session.execute(
        select(
            CUSTOMER.c.name,
            OPP.c.name.label("deal"),
            ACTION.c.action,
            ACTION.c.done_on,
            ACTION.c.customer_feedback,
            OPP.c.next_step,
            OPP.c.amount_minor,
        )  # fmt: skip
        .join(OPP, OPP.c.id == ACTION.c.opportunity_id)
        .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
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
            select(CUSTOMER.c.name, VISIT.c.goal, VISIT.c.visited_on, VISIT.c.commitment)
            .join(CUSTOMER, CUSTOMER.c.id == VISIT.c.customer_id)
            .where(
                VISIT.c.rep_id == rep_id,
                VISIT.c.visited_on.between(period.start, period.end),
                VISIT.c.commitment != "",
                VISIT_DONE,
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
