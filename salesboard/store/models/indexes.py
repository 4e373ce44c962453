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
from salesboard.store.models.sales import Collection, KeyAction, Opportunity, StageHistory, Visit

_HISTORY = StageHistory.__table__
_OPP = Opportunity.__table__
_ACTION = KeyAction.__table__
_CUSTOMER = Customer.__table__


def _index(table, name: str, columns: str, **options) -> Index:
    """Index ``name`` of ``table`` on ``columns``, as in SQL ("stage_id, left_on")."""
    return Index(name, *(table.c[column] for column in columns.split(", ")), **options)


PIPELINE_INDEXES = (
    _index(
        _HISTORY, "ix_stage_history_stage_left", "stage_id, left_on, entered_on, opportunity_id"
    ),
    _index(
        _HISTORY,
        "ix_stage_history_opportunity_stage",
        "opportunity_id, stage_id, entered_on, left_on",
    ),
    _index(_OPP, "ix_opportunity_team_created", "team_id, created_on"),
    _index(
        _ACTION, "ix_key_action_opportunity_stage", "opportunity_id, stage_id, done_on, planned_on"
    ),
    _index(
        _ACTION,
        "ix_key_action_opportunity_id",
        "opportunity_id",
        postgresql_include=["customer_feedback"],
    ),
    _index(_ACTION, "ix_key_action_planned_stage", "planned_on, stage_id, done_on, opportunity_id"),
    _index(_OPP, "ix_opportunity_source", "source"),
    _index(
        _OPP,
        "ix_opportunity_open_clocks",
        "status, current_stage_id, stage_entered_on, last_activity_on, amount_minor, team_id, "
        "owner_id, risk_flag, next_action_on",
    ),
    _index(_CUSTOMER, "ix_customer_customer_type", "customer_type"),
)

# --- goals (issue 4) ---------------------------------------------------------------------
# Won deals of a period grouped by the goal dimensions, with the amount and lead date, read
# from this index alone: the goal tree's actuals at 1M opportunities (a year: 2.3 s → 0.3 s).
_index(
    _OPP,
    "ix_opportunity_won_dims",
    "status, won_on, product_line_id, region_id, team_id, owner_id, amount_minor, created_on",
)
# Lost deals per day and stage (stage win rates of the goal forecast) and per owner (the
# goal leaderboard's win rate).
_index(_OPP, "ix_opportunity_lost_stage", "status, lost_on, lost_stage_id, owner_id")
# Stage stays covering a date (the open pipeline as of a past day, for the back-test).
_index(_HISTORY, "ix_stage_history_stays", "stage_id, entered_on, left_on, opportunity_id")
# A customer's won deals by day: is this won deal the customer's first (new customers are
# customers whose first won deal falls in the period, issue 13) — one index seek per deal
# (the goal tree's new customers at 1M deals: 230 ms -> 140 ms). The deal id settles ties
# on the same day: with it the seek reads the index alone on PostgreSQL too (a month's new
# customers at 10M deals: 1.03 s → 0.46 s; migration 0024); SQLite indexes carry it anyway.
_index(_OPP, "ix_opportunity_customer_won", "customer_id, status, won_on, id")
# Key actions not done, by stage (partial: only rows with no done date): the won deals whose
# delivery or collection is still open, among the many whose delivery is complete (issue 13:
# delivery stays a controlled stage, its late key actions are overdue).
_index(
    _ACTION,
    "ix_key_action_undone",
    "stage_id, opportunity_id",
    sqlite_where=_ACTION.c.done_on.is_(None),
    postgresql_where=_ACTION.c.done_on.is_(None),
)
# Deals with a next undone key action (partial: 0.9M of 10M deals): the won deals still in
# delivery that the overdue check reads, without a seek per undone delivery action; with the
# amount and id, the board's delivery column from the index alone (migration 0026).
_index(
    _OPP,
    "ix_opportunity_next_action",
    "status, next_action_on, current_stage_id, stage_entered_on, last_activity_on, team_id, "
    "owner_id, amount_minor, id",
    sqlite_where=_OPP.c.next_action_on.is_not(None),
    postgresql_where=_OPP.c.next_action_on.is_not(None),
)
# Key actions due in a period per owner, and whether done on time (goal leaderboard).
_index(_ACTION, "ix_key_action_due", "planned_on, owner_id, done_on")

# --- deal workspace (issue 15) -----------------------------------------------------------
# Visits planned or done in a week (visit plans: planned vs done; My work's visits today).
_VISIT = Visit.__table__
_index(_VISIT, "ix_visit_status_visited_on", "status, visited_on")

# --- customer matrix (issue 19) ----------------------------------------------------------
# Per customer, the deals won in the value window and the open pipeline with their amounts,
# from this index alone and in customer order (no lookup of each deal's customer, no sort):
# a leader's matrix at 1M deals 0.64 s → 0.26 s CPU.
_index(_OPP, "ix_opportunity_status_customer", "status, customer_id, won_on, amount_minor")
# Key actions of a stage done in a period: the proposal submissions the proposal turnaround
# reads drive its query (else SQLite walked every stay of the proposal stage: 0.5 s → 0.04 s).
_index(_ACTION, "ix_key_action_stage_done", "stage_id, done_on")
# A manager's customers: those their teams' deals are with, and per customer the teams' won
# deals of the value window and open pipeline with their amounts, from this index alone
# (10M deals on PostgreSQL: a scan of every deal 0.4 s and a lossy bitmap 0.9 s → 0.03 s
# and 0.04 s); with the id, a team's deal ids too (a manager's key actions: 1.07 → 0.62 s;
# migration 0024).
_index(
    _OPP, "ix_opportunity_team_won_customer",
    "team_id, status, won_on, customer_id, amount_minor, id",
)  # fmt: skip

# Instalments due in a period per deal owner or per team, with the amounts: collections per
# rep or team from these indexes alone, each rep's or team's own range (the copy of the
# deal's owner and team, migration 0028).
for _key in ("owner", "team"):
    _index(
        Collection.__table__, f"ix_collection_{_key}_due",
        f"{_key}_id, due_on, due_minor, collected_on, collected_minor",
    )  # fmt: skip

# Key actions due in a period per deal owner or per deal team, with the action's owner and
# done day: the key-action rates of one rep's or one team's deals from these indexes alone,
# each rep's or team's own range (the copy of the deal's owner and team, migration 0029).
for _key in ("owner", "team"):
    _index(_ACTION, f"ix_key_action_deal_{_key}_planned",
           f"deal_{_key}_id, planned_on, owner_id, done_on")  # fmt: skip
# Key actions by their own owner and planned day: a few reps' actions of a period (a
# manager's rep scorecards) as one range per rep, not every action of the period
# (migration 0030; it replaced the owner-only index, whose lookups its first column serves).
_index(_ACTION, "ix_key_action_owner_planned", "owner_id, planned_on, done_on")
# Customers by the day of their first won deal, with its owner, team and region: a period's
# new customers per rep, team or region from this index alone (migrations 0029, 0031).
_index(
    _CUSTOMER, "ix_customer_first_won",
    "first_won_on, first_won_owner_id, first_won_team_id, first_won_region_id, first_won_deal_id",
)  # fmt: skip

# --- deals list (issue 15) -----------------------------------------------------------------
# The deals list shows one status at a time sorted by one of these columns, 50 a page: each
# index gives the page in order with no sort of the status's deals (1M deals, the 559k lost
# sorted by amount: 1.1 s → a few ms). Ties and pages are ordered by the id the index carries.
DEAL_LIST_SORTS = ("amount_minor", "expected_close_on", "stage_entered_on", "last_activity_on",
                   "created_on")  # fmt: skip
for _column in DEAL_LIST_SORTS:
    _index(_OPP, f"ix_opportunity_status_{_column}", f"status, {_column}")
