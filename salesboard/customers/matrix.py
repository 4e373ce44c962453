"""The customer matrix (客户分类矩阵, seed 001): each customer placed by potential × current
value, with the effort each quadrant deserves.

- current value: won amount over the trailing ``window_months`` through the "as of" day
  (``figures.customers.months_back``), counting the deals the viewer may read; high when at
  or above ``value_threshold_minor``;
- potential: set by hand (a manager's judgement, marked, wins over the rule), else by rule —
  high when the open pipeline (deals the viewer may read) reaches ``pipeline_threshold_minor``
  or the customer type is one of ``high_potential_types``.

Quadrants and suggested effort (seed 001: high-potential customers get a dedicated team for
deep development, low-potential ones a lighter, flexible approach):

| code | potential | value | name | effort |
|---|---|---|---|---|
| key | high | high | 重点客户 key accounts | keep and grow: dedicated team, deep development |
| develop | high | low | 发展客户 develop | invest effort: visits, proposals, the next deal |
| maintain | low | high | 维持客户 maintain | serve efficiently: keep delivery and collection smooth |
| low_touch | low | low | 一般客户 low-touch | flexible, low-cost coverage |

``quadrant`` and ``rule_potential`` are the rule in Python; ``customer_rows`` writes the same
rule as SQL CASE expressions so a region of 100,000 customers is placed in one aggregate (a
test checks both agree on every demo customer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Select, and_, case, func, literal, or_, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.customers.scope import visible
from salesboard.customers.settings import MatrixSettings
from salesboard.figures.customers import months_back
from salesboard.figures.sales import still_open, won_between
from salesboard.store import customer_totals
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import OpportunityStatus
from salesboard.store.queries import frame_of, money_sum
from salesboard.store.tables import CUSTOMER, OPP

QUADRANTS = ("key", "develop", "maintain", "low_touch")
# The most days between the kept day of the customers' wins and a window's first day that
# the kept figures answer for (10M deals: about 6,000 wins a day to read and correct).
MAX_KEPT_GAP_DAYS = 62
POTENTIALS = ("high", "low")


def rule_potential(pipeline_minor: int, customer_type: str, settings: MatrixSettings) -> str:
    """Potential by rule: "high" when the open pipeline reaches the threshold or the type is
    a high-potential type, else "low"."""
    high = pipeline_minor >= settings.pipeline_threshold_minor
    return "high" if high or customer_type in settings.high_potential_types else "low"


def potential_of(by_hand: bool, stored: str, pipeline_minor: int, customer_type: str,
                 settings: MatrixSettings) -> str:  # fmt: skip
    """The potential a customer is placed with: the hand setting when there is one."""
    rule = rule_potential(pipeline_minor, customer_type, settings) == "high"
    return potential_from(by_hand, stored == "high", rule)


def potential_from(by_hand: bool, stored_high: bool, rule_high: bool) -> str:
    """``potential_of`` from what decides it: the hand setting (high or not) when there is
    one, else the rule's outcome."""
    return "high" if (stored_high if by_hand else rule_high) else "low"


def quadrant(potential: str, value_minor: int, settings: MatrixSettings) -> str:
    """The quadrant code of a customer of ``potential`` and current value ``value_minor``."""
    return place(potential, value_minor >= settings.value_threshold_minor)


def place(potential: str, high_value: bool) -> str:
    """The quadrant code of ``potential`` and a current value at or above the threshold
    (``high_value``) or not."""
    if potential == "high":
        return "key" if high_value else "develop"
    return "maintain" if high_value else "low_touch"


def value_window(as_of: date, settings: MatrixSettings) -> tuple[date, date]:
    """The days current value counts: the trailing ``window_months`` through ``as_of``."""
    return months_back(as_of, settings.window_months), as_of


def kept_correction(settings: MatrixSettings, as_of: date, kept_since: date | None):
    """The wins to add to each customer's kept wins (``customer.won_since_minor``, counted
    from ``kept_since``) for its current value as of ``as_of``: those between the kept day
    and the window's first day (taken off when the window starts later, added when it
    starts earlier) and those after ``as_of`` (taken off). A subquery (``customer_id``,
    ``amount``), or None when no day is kept or it is more than ``MAX_KEPT_GAP_DAYS`` away
    (the rows are read then: the correction would read as many)."""
    start, end = value_window(as_of, settings)
    if kept_since is None or abs((start - kept_since).days) > MAX_KEPT_GAP_DAYS:
        return None
    low, high = min(start, kept_since), max(start, kept_since)
    between = and_(OPP.c.won_on >= low, OPP.c.won_on < high)
    amount = OPP.c.amount_minor if start < kept_since else -OPP.c.amount_minor
    return (
        select(OPP.c.customer_id,
               money_sum(case((OPP.c.won_on > end, -OPP.c.amount_minor), else_=amount))
               .label("amount"))
        .where(OPP.c.status == OpportunityStatus.WON, or_(between, OPP.c.won_on > end))
        .group_by(OPP.c.customer_id)
        .subquery("kept")
    )  # fmt: skip


def customer_rows(
    viewer: Viewer,
    settings: MatrixSettings,
    as_of: date,
    filters: OpportunityFilter = NO_FILTER,
    ids: Sequence[int] | None = None,
    kept_since: date | None = None,
) -> Select:
    """SELECT of the customers ``viewer`` sees with ``value_minor`` (won in the window),
    ``pipeline_minor`` (open), ``potential`` and ``quadrant`` computed in SQL; deals counted
    are those ``viewer`` may read within ``filters``; only the customers ``ids`` when given
    (their deals read through the customer index). Further conditions go on the result
    (``.where`` on its columns through a subquery). Every deal counted (a leader's, no
    filter, all customers): the customers' kept figures (``store.customer_totals``, from
    ``kept_since``, the stored kept day) with ``kept_correction``, when it can answer."""
    scope = scoped_filter(viewer, filters)
    kept = None
    if viewer.sees_everything and scope.is_empty() and ids is None:
        kept = kept_correction(settings, as_of, kept_since)
    if kept is not None:
        value = CUSTOMER.c.won_since_minor + func.coalesce(kept.c.amount, 0)
        pipeline = CUSTOMER.c.open_minor
        source = CUSTOMER.outerjoin(kept, kept.c.customer_id == CUSTOMER.c.id)
    else:
        value, pipeline, source = _counted(scope, settings, as_of, ids)
    by_rule = or_(
        pipeline >= settings.pipeline_threshold_minor,
        CUSTOMER.c.customer_type.in_(settings.high_potential_types)
        if settings.high_potential_types
        else literal(False),
    )
    potential = case(
        (CUSTOMER.c.potential_by_hand.is_(True),
         case((CUSTOMER.c.potential == "high", "high"), else_="low")),
        (by_rule, "high"),
        else_="low",
    )  # fmt: skip
    high_value = value >= settings.value_threshold_minor
    placed_in = case(
        (and_(potential == "high", high_value), "key"),
        (potential == "high", "develop"),
        (high_value, "maintain"),
        else_="low_touch",
    )
    query = (
        select(
            CUSTOMER.c.id, CUSTOMER.c.name, CUSTOMER.c.region_id, CUSTOMER.c.customer_type,
            CUSTOMER.c.industry, CUSTOMER.c.owner_id, CUSTOMER.c.potential_by_hand,
            value.label("value_minor"), pipeline.label("pipeline_minor"),
            potential.label("potential"), placed_in.label("quadrant"),
        )
        .select_from(source)
        .where(visible(viewer, ids))
    )  # fmt: skip
    return query if ids is None else query.where(CUSTOMER.c.id.in_([int(i) for i in ids]))


def _counted(scope: OpportunityFilter, settings: MatrixSettings, as_of: date, ids):
    """(value, pipeline, joined tables) of ``customer_rows`` summed from the deals in
    ``scope``: the won deals of the window and the open ones, per customer."""
    start, end = value_window(as_of, settings)
    only = [] if ids is None else [OPP.c.customer_id.in_([int(i) for i in ids])]
    won = scope.apply(
        select(OPP.c.customer_id, money_sum(OPP.c.amount_minor).label("value"))
        .where(won_between(start, end), *only)
        .group_by(OPP.c.customer_id)
    ).subquery("won")
    # A team's or rep's open deals: their own index drives, not the (status, customer) one
    # that serves the whole company's (it would walk every open deal).
    narrowed = bool(scope.team_ids or scope.owner_ids or only)
    pipe = scope.apply(
        select(OPP.c.customer_id, money_sum(OPP.c.amount_minor).label("pipeline"))
        .where(still_open(OPP.c.status.concat("") if narrowed else OPP.c.status), *only)
        .group_by(OPP.c.customer_id)
    ).subquery("pipe")
    source = CUSTOMER.outerjoin(won, won.c.customer_id == CUSTOMER.c.id).outerjoin(
        pipe, pipe.c.customer_id == CUSTOMER.c.id
    )
    return func.coalesce(won.c.value, 0), func.coalesce(pipe.c.pipeline, 0), source


def region_matrix(
    session: Session,
    viewer: Viewer,
    settings: MatrixSettings,
    as_of: date,
    region_id: int | None = None,
) -> pd.DataFrame:
    """The matrix of the customers ``viewer`` sees (of ``region_id`` when given): one row per
    quadrant in ``QUADRANTS`` order with ``customers`` and ``value_minor`` (their current
    value) and ``pipeline_minor``; zeros for an empty quadrant. One aggregate, or for the
    whole company three over the customers' kept figures (``_kept_matrix``)."""
    since = customer_totals.kept_since(session)
    scope = scoped_filter(viewer, NO_FILTER)
    kept = kept_correction(settings, as_of, since) if viewer.sees_everything else None
    if kept is not None and scope.is_empty():
        found = _kept_matrix(session, settings, kept, region_id)
    else:
        rows = customer_rows(viewer, settings, as_of, kept_since=since)
        if region_id is not None:
            rows = rows.where(CUSTOMER.c.region_id == int(region_id))
        placed = rows.subquery("placed")
        query = select(
            placed.c.quadrant,
            func.count().label("customers"),
            money_sum(placed.c.value_minor).label("value_minor"),
            money_sum(placed.c.pipeline_minor).label("pipeline_minor"),
        ).group_by(placed.c.quadrant)
        found = {r[0]: (int(r[1]), int(r[2]), int(r[3])) for r in session.execute(query)}
    return pd.DataFrame(
        [(q, *found.get(q, (0, 0, 0))) for q in QUADRANTS],
        columns=["quadrant", "customers", "value_minor", "pipeline_minor"],
    )


def _kept_matrix(session: Session, settings: MatrixSettings, kept, region_id: int | None) -> dict:
    """The whole company's quadrants from the customers' kept figures: every customer
    grouped by what places it (hand setting, rule, kept wins at or above the threshold),
    then those with a correction (``kept``) moved from where their kept wins put them to
    where their current value does — two grouped reads, neither joining every customer to
    the deals. ``{quadrant: (customers, value, pipeline)}``; the rule is ``potential_from``
    and ``place``, applied per group."""
    where = [] if region_id is None else [CUSTOMER.c.region_id == int(region_id)]
    types = settings.high_potential_types
    by_type = CUSTOMER.c.customer_type.in_(types) if types else literal(False)
    found: dict[str, tuple[int, int, int]] = {}

    def add(potential: str, high_value, n, value, pipeline) -> None:
        code = place(potential, bool(high_value))
        total = found.get(code, (0, 0, 0))
        found[code] = (total[0] + int(n), total[1] + int(value), total[2] + int(pipeline))

    def grouped(source, values: dict) -> list:
        """Per (hand setting, stored high, rule, then each of ``values`` at or above the
        value threshold): customers, each of ``values`` summed, the open pipeline summed."""
        flags = select(
            CUSTOMER.c.potential_by_hand.is_(True).label("by_hand"),
            (CUSTOMER.c.potential == "high").label("stored_high"),
            or_(CUSTOMER.c.open_minor >= settings.pipeline_threshold_minor, by_type).label("rule"),
            *((v >= settings.value_threshold_minor).label(f"high_{k}") for k, v in values.items()),
            *(v.label(k) for k, v in values.items()), CUSTOMER.c.open_minor.label("pipeline"),
        ).select_from(source).where(*where).subquery("flags")  # fmt: skip
        keys = [flags.c.by_hand, flags.c.stored_high, flags.c.rule,
                *(flags.c[f"high_{k}"] for k in values)]  # fmt: skip
        sums = [money_sum(flags.c[k]) for k in (*values, "pipeline")]
        return session.execute(select(*keys, func.count(), *sums).group_by(*keys)).all()

    for by_hand, stored_high, rule, high, n, value, pipeline in grouped(
        CUSTOMER, {"kept": CUSTOMER.c.won_since_minor}
    ):
        add(potential_from(by_hand, stored_high, rule), high, n, value, pipeline)
    corrected = CUSTOMER.join(kept, kept.c.customer_id == CUSTOMER.c.id)
    moved = {"kept": CUSTOMER.c.won_since_minor, "now": CUSTOMER.c.won_since_minor + kept.c.amount}
    for by_hand, stored_high, rule, was_high, is_high, n, was, now, pipeline in grouped(
        corrected, moved
    ):
        potential = potential_from(by_hand, stored_high, rule)
        add(potential, was_high, -n, -was, -pipeline)
        add(potential, is_high, n, now, pipeline)
    return found


def placed_customers(
    session: Session, viewer: Viewer, settings: MatrixSettings, as_of: date, ids: list[int]
) -> pd.DataFrame:
    """``customer_rows`` of the customers ``ids`` (those ``viewer`` sees)."""
    return frame_of(session, customer_rows(viewer, settings, as_of, ids=ids))
