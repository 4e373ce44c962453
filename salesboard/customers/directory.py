"""The customer list and one customer's page, as a viewer may see them (``scope.visible``;
a customer out of sight reads like one that does not exist: ``not_found``).

The list is filtered (name search, region, quadrant, owner) and paginated in SQL, with each
customer's current value, open pipeline, potential and quadrant (``matrix.customer_rows``).
One customer's page reads its deals, visits, key actions, collections and contacts — the
rows of the deals the viewer may read (visits: those of the reps the viewer sees, or of a
deal in sight) — and its value figures (``figures.customers.customer_values``, the function
the scorecard reads).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.customers.errors import CustomerError
from salesboard.customers.matrix import QUADRANTS, customer_rows, value_window
from salesboard.customers.scope import visible
from salesboard.customers.settings import MatrixSettings
from salesboard.figures.customers import CustomerValue, customer_values, months_back
from salesboard.figures.facts import user_scope
from salesboard.pipeline.deals import with_deal_columns
from salesboard.store import customer_totals
from salesboard.store.filters import NO_FILTER
from salesboard.store.models import Region
from salesboard.store.queries import frame_of, iso_date
from salesboard.store.tables import ACTION, COLLECTION, CUSTOMER, OPP, STAGE, USER, VISIT

REGION = Region.__table__

PAGE_SIZE = 50
# Rows a tab of one customer shows at once (newest first).
TAB_LIMIT = 200


@dataclass(frozen=True)
class CustomerQuery:
    """The list's filters: name contains ``search``; region, quadrant, owner (None: all);
    ``page`` from 0."""

    search: str = ""
    region_id: int | None = None
    quadrant: str | None = None
    owner_id: int | None = None
    page: int = 0


def list_customers(
    session: Session,
    viewer: Viewer,
    settings: MatrixSettings,
    as_of: date,
    query: CustomerQuery = CustomerQuery(),
    page_size: int = PAGE_SIZE,
) -> tuple[pd.DataFrame, int]:
    """One page of the customers ``viewer`` sees matching ``query``, by name, and how many
    match in all. Columns: ``id, name, region_zh, region_en, customer_type, industry, owner,
    potential_by_hand, value_minor, pipeline_minor, potential, quadrant``."""
    if query.quadrant is not None and query.quadrant not in QUADRANTS:
        raise CustomerError("unknown_quadrant", f"unknown quadrant {query.quadrant}", "quadrant")
    conditions = [visible(viewer)]
    if query.search.strip():
        conditions.append(CUSTOMER.c.name.contains(query.search.strip(), autoescape=True))
    if query.region_id is not None:
        conditions.append(CUSTOMER.c.region_id == int(query.region_id))
    if query.owner_id is not None:
        conditions.append(CUSTOMER.c.owner_id == int(query.owner_id))
    offset = max(0, int(query.page)) * page_size
    if query.quadrant is None:
        # No quadrant asked: the page's customers and how many match, then the figures of
        # those alone.
        total, ids = _page_of(session, viewer, conditions, page_size, offset)
        placed = customer_rows(viewer, settings, as_of, ids=ids).subquery("placed")
        matching = placed
    else:
        kept = customer_totals.kept_since(session)
        placed = customer_rows(viewer, settings, as_of, kept_since=kept).where(*conditions)
        placed = placed.subquery("placed")
        matching = select(placed).where(placed.c.quadrant == query.quadrant).subquery("matching")
        total = int(session.execute(select(func.count()).select_from(matching)).scalar_one())
    page = (
        select(
            matching.c.id, matching.c.name, REGION.c.name_zh.label("region_zh"),
            REGION.c.name_en.label("region_en"), matching.c.customer_type, matching.c.industry,
            USER.c.display_name.label("owner"), matching.c.potential_by_hand,
            matching.c.value_minor, matching.c.pipeline_minor, matching.c.potential,
            matching.c.quadrant,
        )
        .select_from(
            matching.join(REGION, REGION.c.id == matching.c.region_id).outerjoin(
                USER, USER.c.id == matching.c.owner_id
            )
        )
        .order_by(matching.c.name, matching.c.id)
    )  # fmt: skip
    if query.quadrant is not None:
        page = page.limit(page_size).offset(offset)
    return frame_of(session, page), total


def _page_of(
    session: Session, viewer: Viewer, conditions: list, page_size: int, offset: int
) -> tuple[int, list[int]]:
    """How many customers meet ``conditions`` and the ids of one page of them by name. A
    manager's or rep's customers in sight are worked out from their deals: counted and paged
    in one read of them (10M deals: 0.52 → 0.39 s for a manager). Everyone is in a leader's
    sight: the name index hands over the page with no sort of a million customers, which a
    count over a window would need (0.60 → 0.03 s)."""
    ordered = select(CUSTOMER.c.id).where(*conditions).order_by(CUSTOMER.c.name, CUSTOMER.c.id)
    if not viewer.sees_everything:
        found = session.execute(
            ordered.add_columns(func.count().over()).limit(page_size).offset(offset)
        ).all()
        if found:
            return int(found[0][1]), [int(i) for i, _ in found]
    count = select(func.count()).select_from(CUSTOMER).where(*conditions)
    total = int(session.execute(count).scalar_one())
    if total <= offset:
        return total, []
    ids = session.execute(ordered.limit(page_size).offset(offset)).scalars().all()
    return total, [int(i) for i in ids]


@dataclass(frozen=True)
class CustomerPage:
    """One customer as ``viewer`` sees it: its row (``customer_rows`` columns plus region
    names, owner, potential stored), the value window and its figures over it, and its
    retention look-back figures (won in the window before)."""

    row: dict
    window: tuple[date, date]
    figures: CustomerValue
    previous: CustomerValue

    @property
    def id(self) -> int:
        return int(self.row["id"])

    def __getitem__(self, name: str):
        return self.row[name]


def customer_page(
    session: Session, viewer: Viewer, settings: MatrixSettings, as_of: date, customer_id: int
) -> CustomerPage:
    """The customer ``customer_id`` as ``viewer`` sees it (``not_found`` when they may not)."""
    placed = customer_rows(viewer, settings, as_of, ids=[int(customer_id)]).subquery("placed")
    row = session.execute(
        select(placed, REGION.c.name_zh.label("region_zh"), REGION.c.name_en.label("region_en"),
               REGION.c.code.label("region_code"), USER.c.display_name.label("owner"),
               CUSTOMER.c.potential.label("stored_potential"), CUSTOMER.c.created_on)
        .select_from(placed.join(REGION, REGION.c.id == placed.c.region_id)
                     .join(CUSTOMER, CUSTOMER.c.id == placed.c.id)
                     .outerjoin(USER, USER.c.id == placed.c.owner_id))
    ).one_or_none()  # fmt: skip
    if row is None:
        raise CustomerError("not_found", f"no customer {customer_id}", id=customer_id)
    start, end = value_window(as_of, settings)
    ids = [int(customer_id)]
    months = settings.repurchase_months
    figures = customer_values(session, viewer, start, end, by="customer", ids=ids, months=months)
    before_end = start.fromordinal(start.toordinal() - 1)
    before = customer_values(session, viewer, months_back(before_end, settings.window_months),
                             before_end, by="customer", ids=ids, months=months)  # fmt: skip
    return CustomerPage(dict(row._mapping), (start, end), figures[ids[0]], before[ids[0]])


def _deals_of(viewer: Viewer, customer_id: int):
    return scoped_filter(viewer, NO_FILTER), OPP.c.customer_id == int(customer_id)


def customer_deals(session: Session, viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """The customer's deals ``viewer`` may read, newest first: the deal-list columns plus
    ``status, created_on, won_on, lost_on``."""
    scope, mine = _deals_of(viewer, customer_id)
    query = with_deal_columns(select(), OPP.c.status, OPP.c.created_on, OPP.c.won_on,
                              OPP.c.lost_on).where(mine)  # fmt: skip
    return frame_of(session, scope.apply(query).order_by(OPP.c.created_on.desc(), OPP.c.id.desc())
                    .limit(TAB_LIMIT))  # fmt: skip


def customer_key_actions(session: Session, viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """Key actions of the customer's deals ``viewer`` may read, latest planned first:
    ``code, action, stage_zh, stage_en, planned_on, done_on, owner, customer_feedback``."""
    scope, mine = _deals_of(viewer, customer_id)
    query = (
        select(OPP.c.code, ACTION.c.action, STAGE.c.name_zh.label("stage_zh"),
               STAGE.c.name_en.label("stage_en"), ACTION.c.planned_on, ACTION.c.done_on,
               USER.c.display_name.label("owner"), ACTION.c.customer_feedback)
        .select_from(ACTION.join(OPP, OPP.c.id == ACTION.c.opportunity_id)
                     .join(STAGE, STAGE.c.id == ACTION.c.stage_id)
                     .join(USER, USER.c.id == ACTION.c.owner_id))
        .where(mine)
    )  # fmt: skip
    return frame_of(session, scope.apply(query).order_by(ACTION.c.planned_on.desc(),
                                                         ACTION.c.id.desc()).limit(TAB_LIMIT))  # fmt: skip


def _visits_in_sight(viewer: Viewer, customer_id: int):
    """SQL condition: the customer's visits ``viewer`` sees — by a rep in sight, or on a deal
    the viewer may read."""
    deals = scoped_filter(viewer, NO_FILTER).apply(
        select(OPP.c.id).where(OPP.c.customer_id == int(customer_id))
    )
    return and_(
        VISIT.c.customer_id == int(customer_id),
        or_(user_scope(viewer, VISIT.c.rep_id, USER.c.team_id), VISIT.c.opportunity_id.in_(deals)),
    )


def customer_visits(session: Session, viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """The customer's visits ``viewer`` sees, newest first: ``visited_on, status, rep, code,
    goal, contact_name, contact_role, effective, commitment, next_step``."""
    query = (
        select(VISIT.c.visited_on, VISIT.c.status, USER.c.display_name.label("rep"), OPP.c.code,
               VISIT.c.goal, VISIT.c.contact_name, VISIT.c.contact_role, VISIT.c.effective,
               VISIT.c.commitment, VISIT.c.next_step)
        .select_from(VISIT.join(USER, USER.c.id == VISIT.c.rep_id)
                     .outerjoin(OPP, OPP.c.id == VISIT.c.opportunity_id))
        .where(_visits_in_sight(viewer, customer_id))
        .order_by(VISIT.c.visited_on.desc(), VISIT.c.id.desc())
        .limit(TAB_LIMIT)
    )  # fmt: skip
    return frame_of(session, query)


def customer_contacts(session: Session, viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """The people met at the customer (from the visits ``viewer`` sees; no contacts table):
    ``contact_name, contact_role, visits, last_visit`` — one row per name and role, most
    recently met first."""
    query = (
        select(VISIT.c.contact_name, VISIT.c.contact_role, func.count().label("visits"),
               iso_date(func.max(VISIT.c.visited_on), "last_visit"))
        .select_from(VISIT.join(USER, USER.c.id == VISIT.c.rep_id))
        .where(_visits_in_sight(viewer, customer_id), VISIT.c.contact_name != "")
        .group_by(VISIT.c.contact_name, VISIT.c.contact_role)
        .order_by(func.max(VISIT.c.visited_on).desc(), VISIT.c.contact_name)
        .limit(TAB_LIMIT)
    )  # fmt: skip
    return frame_of(session, query)


def customer_collections(session: Session, viewer: Viewer, customer_id: int) -> pd.DataFrame:
    """Instalments of the customer's deals ``viewer`` may read, latest due first: ``code,
    due_on, due_minor, collected_on, collected_minor``."""
    scope, mine = _deals_of(viewer, customer_id)
    query = (
        select(OPP.c.code, COLLECTION.c.due_on, COLLECTION.c.due_minor, COLLECTION.c.collected_on,
               COLLECTION.c.collected_minor)
        .select_from(COLLECTION.join(OPP, OPP.c.id == COLLECTION.c.opportunity_id))
        .where(mine)
    )  # fmt: skip
    return frame_of(session, scope.apply(query).order_by(COLLECTION.c.due_on.desc(),
                                                         COLLECTION.c.id.desc()).limit(TAB_LIMIT))  # fmt: skip
