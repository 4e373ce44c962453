"""Covering indexes the dashboards read from, kept apart from the table classes.

Pipeline review (issue 3):

- stage stays by stage and the day they ended: durations and stage KPIs per period read
  only the index (covering, with the deal for filters), already in ``GROUP BY`` order;
- stage stays by deal: a deal's furthest stage (cohort funnel), its stage on a given day
  (week-over-week moves) and a team's stays (durations) without touching the table;
- deals by team and creation day: a manager's cohort is an index range;
- key actions by deal and stage with their dates: the overdue check's "earliest undone
  action of the current stage" without touching the table; by planned day with stage and
  dates: the on-time KPI per period, index only;
- key actions by deal, on PostgreSQL with the customer's feedback: the common-risks tab
  reads the feedback of the open deals from the index alone (PostgreSQL's planner otherwise
  scans every key action to join them: risks at 1M deals 0.94 s → 0.45 s). SQLite keeps the
  plain index: it seeks per deal either way, and a wider index made it slower;
- lead sources and customer types: the filter bar lists them with a few index seeks;
- open deals with their stage clocks, team, owner and risk flag: the overdue check and the
  risk-flag counts read only the index's "open" range.
Goal pages (issue 4): see the comments at the end.
"""

from sqlalchemy import Index

from salesboard.store.models.organisation import Customer
from salesboard.store.models.sales import KeyAction, Opportunity, StageHistory

_HISTORY = StageHistory.__table__
_OPP = Opportunity.__table__
_ACTION = KeyAction.__table__
_CUSTOMER = Customer.__table__

PIPELINE_INDEXES = (
    Index(
        "ix_stage_history_stage_left",
        _HISTORY.c.stage_id,
        _HISTORY.c.left_on,
        _HISTORY.c.entered_on,
        _HISTORY.c.opportunity_id,
    ),
    Index(
        "ix_stage_history_opportunity_stage",
        _HISTORY.c.opportunity_id,
        _HISTORY.c.stage_id,
        _HISTORY.c.entered_on,
        _HISTORY.c.left_on,
    ),
    Index("ix_opportunity_team_created", _OPP.c.team_id, _OPP.c.created_on),
    Index(
        "ix_key_action_opportunity_stage",
        _ACTION.c.opportunity_id,
        _ACTION.c.stage_id,
        _ACTION.c.done_on,
        _ACTION.c.planned_on,
    ),
    Index(
        "ix_key_action_opportunity_id",
        _ACTION.c.opportunity_id,
        postgresql_include=["customer_feedback"],
    ),
    Index(
        "ix_key_action_planned_stage",
        _ACTION.c.planned_on,
        _ACTION.c.stage_id,
        _ACTION.c.done_on,
        _ACTION.c.opportunity_id,
    ),
    Index("ix_opportunity_source", _OPP.c.source),
    Index(
        "ix_opportunity_open_clocks",
        _OPP.c.status,
        _OPP.c.current_stage_id,
        _OPP.c.stage_entered_on,
        _OPP.c.last_activity_on,
        _OPP.c.amount_minor,
        _OPP.c.team_id,
        _OPP.c.owner_id,
        _OPP.c.risk_flag,
    ),
    Index("ix_customer_customer_type", _CUSTOMER.c.customer_type),
)

# --- goals (issue 4) ---------------------------------------------------------------------
# Won deals of a period grouped by the goal dimensions, with the amount and lead date, read
# from this index alone: the goal tree's actuals at 1M opportunities (a year: 2.3 s → 0.3 s).
Index(
    "ix_opportunity_won_dims",
    Opportunity.__table__.c.status,
    Opportunity.__table__.c.won_on,
    Opportunity.__table__.c.product_line_id,
    Opportunity.__table__.c.region_id,
    Opportunity.__table__.c.team_id,
    Opportunity.__table__.c.owner_id,
    Opportunity.__table__.c.amount_minor,
    Opportunity.__table__.c.created_on,
)
# Lost deals per day and stage (stage win rates of the goal forecast) and per owner (the
# goal leaderboard's win rate).
Index(
    "ix_opportunity_lost_stage",
    Opportunity.__table__.c.status,
    Opportunity.__table__.c.lost_on,
    Opportunity.__table__.c.lost_stage_id,
    Opportunity.__table__.c.owner_id,
)
# Stage stays covering a date (the open pipeline as of a past day, for the back-test).
Index(
    "ix_stage_history_stays",
    StageHistory.__table__.c.stage_id,
    StageHistory.__table__.c.entered_on,
    StageHistory.__table__.c.left_on,
    StageHistory.__table__.c.opportunity_id,
)
# A customer's won deals by day: is this won deal the customer's first (new customers are
# customers whose first won deal falls in the period, issue 13) — one index seek per deal
# (the goal tree's new customers at 1M deals: 230 ms -> 140 ms).
Index(
    "ix_opportunity_customer_won",
    Opportunity.__table__.c.customer_id,
    Opportunity.__table__.c.status,
    Opportunity.__table__.c.won_on,
)
# Key actions not done, by stage (partial: only rows with no done date): the won deals whose
# delivery or collection is still open, among the many whose delivery is complete (issue 13:
# delivery stays a controlled stage, its late key actions are overdue).
Index(
    "ix_key_action_undone",
    KeyAction.__table__.c.stage_id,
    KeyAction.__table__.c.opportunity_id,
    sqlite_where=KeyAction.__table__.c.done_on.is_(None),
    postgresql_where=KeyAction.__table__.c.done_on.is_(None),
)
# Key actions due in a period per owner, and whether done on time (goal leaderboard).
Index(
    "ix_key_action_due",
    KeyAction.__table__.c.planned_on,
    KeyAction.__table__.c.owner_id,
    KeyAction.__table__.c.done_on,
)
