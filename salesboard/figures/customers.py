"""Customer value figures (客户价值), one function each, read by the customer list and page,
the customer matrix, the region page and the scorecard alike:

- won amount: deals won (contract signed) in the days counted, their amounts summed;
- average order value (客单价): won amount ÷ won deals (per order, not per customer);
- repurchase (复购): a won deal is a repurchase when the same customer had another won deal
  no more than N calendar months before it (``within_months``; N is the company's setting,
  default 12). Repurchase rate = customers with a repurchase in the days counted ÷ customers
  with a won deal in them;
- retention (客户留存率): of the customers with a won deal in the N months before the start,
  the share with a won deal again in the days counted;
- collection rate (回款率): amounts collected by the last day counted ÷ amounts due, over the
  instalments that fell due in the days counted (on-time collection is
  ``feedback.actuals.collections_by``'s figure).

Every read counts the deals the viewer may read (``access.scoped_filter``) and is one grouped
SQL aggregate: nothing loads every deal.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Integer, and_, case, distinct, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.figures.sales import won_between
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import AppSetting, OpportunityStatus
from salesboard.store.queries import money_sum, sum_if
from salesboard.store.tables import COLLECTION, OPP

DEFAULT_MONTHS = 12
# Where the company's customer settings live (``customers.settings`` edits them; the
# repurchase window is read here too, so the scorecard counts repurchases the same way).
SETTING_KEY = "customer_matrix"
# How a value figure is grouped: per customer, per deal owner, per team credited with the deal.
VALUE_GROUPS = {None: None, "customer": OPP.c.customer_id, "owner": OPP.c.owner_id,
                "team": OPP.c.team_id}  # fmt: skip


# --- the arithmetic, pure ---------------------------------------------------------------------


def average_order_value(won_minor: int, won_deals: int) -> int | None:
    """客单价: won amount ÷ won deals, in minor units rounded half up (None: nothing won)."""
    if not won_deals:
        return None
    return (2 * int(won_minor) + int(won_deals)) // (2 * int(won_deals))


def share(part: int | float, whole: int | float) -> float | None:
    """``part`` ÷ ``whole`` as a ratio (None when ``whole`` is 0)."""
    return float(part) / float(whole) if whole else None


def month_day_number(day: date) -> int:
    """A day as one number whose difference counts calendar months ×32 plus days: year × 384 +
    month × 32 + day. ``within_months`` compares with it (the SQL reads the same number)."""
    return day.year * 384 + day.month * 32 + day.day


def within_months(earlier: date, later: date, months: int) -> bool:
    """Whether ``earlier`` is on or before ``later`` and no more than ``months`` calendar
    months before it: 2025-11-23 is within 12 months of 2026-11-23, 2025-11-22 is not;
    2025-03-31 is within 11 months of 2026-02-28 (month then day compared, no clamping)."""
    if earlier > later:
        return False
    return month_day_number(earlier) >= month_day_number(later) - 32 * int(months)


def months_back(day: date, months: int) -> date:
    """The first day of the trailing ``months`` calendar months ending with ``day``: the day
    after ``day`` shifted back ``months`` months (a missing day clamped to the month's end).
    2026-11-23, 12 → 2025-11-24; 2026-03-31, 1 → 2026-03-01."""
    index = day.year * 12 + day.month - 1 - int(months)
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last)) + timedelta(days=1)


@dataclass(frozen=True)
class CustomerValue:
    """The value figures of a customer, a rep or a team over the days counted; money in
    minor units. ``buyers``: customers with a won deal; ``repurchasers``: of them, those with
    a repurchase (``within_months``)."""

    won_deals: int = 0
    won_minor: int = 0
    buyers: int = 0
    repurchasers: int = 0
    due_minor: int = 0
    collected_minor: int = 0

    @property
    def average_order_minor(self) -> int | None:
        """客单价 (``average_order_value``)."""
        return average_order_value(self.won_minor, self.won_deals)

    @property
    def repurchase_rate(self) -> float | None:
        """复购率: repurchasers ÷ buyers (None: nobody bought)."""
        return share(self.repurchasers, self.buyers)

    @property
    def collection_rate(self) -> float | None:
        """回款率: collected ÷ due (None: nothing due)."""
        return share(self.collected_minor, self.due_minor)


# --- SQL ------------------------------------------------------------------------------------


def repurchase_months(session: Session) -> int:
    """The company's repurchase window in months (``SETTING_KEY``; default 12)."""
    row = session.get(AppSetting, SETTING_KEY)
    try:
        months = int(json.loads(row.value).get("repurchase_months", DEFAULT_MONTHS))
    except (AttributeError, ValueError, TypeError):
        return DEFAULT_MONTHS
    return months if months >= 1 else DEFAULT_MONTHS


class month_day_sql(FunctionElement):
    """``month_day_number`` of a date column in SQL (an integer)."""

    type = Integer()
    inherit_cache = True
    name = "month_day_sql"


@compiles(month_day_sql)
def _month_day_pg(element, compiler, **kw) -> str:
    col = compiler.process(element.clauses, **kw)
    return (
        f"(CAST(EXTRACT(YEAR FROM {col}) AS INTEGER) * 384"
        f" + CAST(EXTRACT(MONTH FROM {col}) AS INTEGER) * 32"
        f" + CAST(EXTRACT(DAY FROM {col}) AS INTEGER))"
    )


@compiles(month_day_sql, "sqlite")
def _month_day_sqlite(element, compiler, **kw) -> str:
    col = compiler.process(element.clauses, **kw)
    return (
        f"(CAST(substr({col}, 1, 4) AS INTEGER) * 384"
        f" + CAST(substr({col}, 6, 2) AS INTEGER) * 32 + CAST(substr({col}, 9, 2) AS INTEGER))"
    )


def repurchase_deal(months: int = DEFAULT_MONTHS):
    """SQL condition on a won opportunity: it is a repurchase — its customer had another won
    deal on or before it (the same day: a smaller id) within ``months`` months
    (``within_months``). One seek per deal on the customer index."""
    earlier = OPP.alias("earlier")
    return (
        select(earlier.c.id)
        .where(
            earlier.c.customer_id == OPP.c.customer_id,
            earlier.c.status == OpportunityStatus.WON,
            earlier.c.id != OPP.c.id,
            or_(
                earlier.c.won_on < OPP.c.won_on,
                and_(earlier.c.won_on == OPP.c.won_on, earlier.c.id < OPP.c.id),
            ),
            month_day_sql(earlier.c.won_on) >= month_day_sql(OPP.c.won_on) - 32 * int(months),
        )
        .exists()
    )


def _narrowed(query, key, ids: Sequence[int] | None):
    return query if ids is None else query.where(key.in_([int(i) for i in ids]))


def customer_values(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    *,
    filters: OpportunityFilter = NO_FILTER,
    by: str | None = None,
    ids: Sequence[int] | None = None,
    months: int = DEFAULT_MONTHS,
) -> CustomerValue | dict[int, CustomerValue]:
    """The value figures (module docstring) of the deals ``viewer`` may read (within
    ``filters``) between ``start`` and ``end`` inclusive; ``by`` "customer", "owner" or
    "team" gives one ``CustomerValue`` per id (only ``ids`` when given). Two grouped reads:
    won deals, instalments due."""
    scope = scoped_filter(viewer, filters)
    key = VALUE_GROUPS[by]
    group = [key] if key is not None else []
    repeat = repurchase_deal(months)
    won = scope.apply(
        select(
            *group,
            func.count(),
            money_sum(OPP.c.amount_minor),
            func.count(distinct(OPP.c.customer_id)),
            func.count(distinct(case((repeat, OPP.c.customer_id)))),
        ).where(won_between(start, end))
    )
    due = scope.apply(
        select(
            *group,
            money_sum(COLLECTION.c.due_minor),
            sum_if(COLLECTION.c.collected_on <= end, COLLECTION.c.collected_minor),
        )
        .select_from(COLLECTION.join(OPP, OPP.c.id == COLLECTION.c.opportunity_id))
        .where(COLLECTION.c.due_on.between(start, end))
    )
    if key is None:
        deals, amount, buyers, again = session.execute(won).one()
        owed, collected = session.execute(due).one()
        return CustomerValue(*(int(v) for v in (deals, amount, buyers, again, owed, collected)))
    won_rows = session.execute(_narrowed(won, key, ids).group_by(key)).all()
    due_rows = session.execute(_narrowed(due, key, ids).group_by(key)).all()
    wins = {int(r[0]): tuple(int(v) for v in r[1:]) for r in won_rows if r[0] is not None}
    dues = {int(r[0]): tuple(int(v) for v in r[1:]) for r in due_rows if r[0] is not None}
    keys = set(wins) | set(dues) if ids is None else {int(i) for i in ids}
    return {k: CustomerValue(*wins.get(k, (0, 0, 0, 0)), *dues.get(k, (0, 0))) for k in keys}


def retention(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    *,
    filters: OpportunityFilter = NO_FILTER,
    by: str | None = None,
    months: int = DEFAULT_MONTHS,
) -> tuple[int, int] | dict[int, tuple[int, int]]:
    """客户留存率's parts over the deals ``viewer`` may read: (customers with a won deal in the
    ``months`` months before ``start``, of which with a won deal again between ``start`` and
    ``end``); ``by`` "owner" or "team" credits a customer to the earlier deal's owner or
    team. Rate = ``share(retained, previous)``."""
    scope = scoped_filter(viewer, filters)
    key = VALUE_GROUPS[by]
    group = [key] if key is not None else []
    later = OPP.alias("later")
    again = (
        select(later.c.id)
        .where(later.c.customer_id == OPP.c.customer_id, later.c.status == OpportunityStatus.WON,
               later.c.won_on.between(start, end))
        .exists()
    )  # fmt: skip
    if by == "owner":
        again = again.where(later.c.owner_id == OPP.c.owner_id)
    elif by == "team":
        again = again.where(later.c.team_id == OPP.c.team_id)
    before = won_between(months_back(start - timedelta(days=1), months), start - timedelta(days=1))
    query = scope.apply(
        select(
            *group,
            func.count(distinct(OPP.c.customer_id)),
            func.count(distinct(case((again, OPP.c.customer_id)))),
        ).where(before)
    )
    if key is None:
        previous, kept = session.execute(query).one()
        return int(previous), int(kept)
    return {int(r[0]): (int(r[1]), int(r[2])) for r in session.execute(query.group_by(key))}
