"""The deals list: every deal a viewer may read, found by one search text (a code prefix, a
customer's or owner's name, a stage's name), narrowed by the filter bar's dimensions, a
status and a stage, sorted and paged in SQL (only the shown page leaves the database).

Fast at a million deals: a code prefix is a range on the unique code index; a name is
looked up in the (small) customer, user and stage tables first and the deals found through
their customer / owner / stage, so no ``LIKE '%x%'`` ever runs over the deals. Measured on
the 1M store's 250k customers: the name scan costs 100–150 ms on SQLite and 60–90 ms on
PostgreSQL (``lower(name) LIKE``, 35k matches for 科技), then the deals come through the
customer index within the status/sort index; a trigram index would help PostgreSQL only.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.workdays import load_calendar
from salesboard.metrics.durations import days_in_stage
from salesboard.pipeline.deals import with_deal_columns
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import OpportunityStatus
from salesboard.store.queries import frame_of, iso_date
from salesboard.store.tables import CUSTOMER, OPP, STAGE, USER

PAGE_SIZE = 50
STATUSES = (OpportunityStatus.OPEN, OpportunityStatus.WON, OpportunityStatus.LOST)
# Sort keys (URL codes) and the column each orders by. "days_in_stage" orders by the day the
# deal entered its stage: the earlier, the more days in it.
SORTS = {
    "amount": OPP.c.amount_minor,
    "expected_close": OPP.c.expected_close_on,
    "days_in_stage": OPP.c.stage_entered_on,
    "last_activity": OPP.c.last_activity_on,
    "created": OPP.c.created_on,
}
DEFAULT_SORT = "amount"
# A code prefix as typed: letters, then digits ("XS2026", "xs202611", "XS20261100042").
_CODE_PREFIX = re.compile(r"[A-Za-z]{1,8}\d*")
_CODE_WITH_DIGITS = re.compile(r"[A-Za-z]{1,8}\d+")
RESULT_COLUMNS = (
    "code", "name", "customer", "owner", "stage_zh", "stage_en", "amount_minor", "status",
    "expected_close_on", "stage_entered_on", "last_activity_on", "created_on", "days_in_stage",
)  # fmt: skip


@dataclass(frozen=True)
class DealSearch:
    """What the list asks for: search text, status, stage code ("" = any), sort key and
    direction ("largest first": most days in stage, biggest amount, latest date) and page."""

    text: str = ""
    status: str = OpportunityStatus.OPEN
    stage: str = ""
    sort: str = DEFAULT_SORT
    descending: bool = True
    page: int = 1


@dataclass(frozen=True)
class DealPage:
    """One page of the list: its rows, the number of every matching deal and of pages."""

    rows: pd.DataFrame
    total: int
    page: int
    pages: int


def _next_prefix(prefix: str) -> str:
    """The smallest string after every string starting with ``prefix`` (its last character
    raised by one), so ``code >= prefix AND code < next`` is one range of the code index."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def _matching(session: Session, key, text: str, *names, exact=None) -> list:
    """``key`` of the rows of a small table (users, stages) one of whose ``names`` contains
    ``text`` (case-insensitive, wildcards taken literally) or whose ``exact`` column is it."""
    conditions = [n.icontains(text, autoescape=True) for n in names]
    if exact is not None:
        conditions.append(exact == text.lower())
    return list(session.execute(select(key).where(or_(*conditions))).scalars())


def text_condition(session: Session, text: str):
    """The deals ``text`` finds: code starting with it (only that when it has letters then
    digits, as codes do), or customer, owner or current stage whose name contains it
    (case-insensitive). Names are matched in their own tables and
    the deals reached through the ids (customer / owner indexes, a handful of stages)."""
    text = text.strip()
    conditions = []
    if _CODE_PREFIX.fullmatch(text):
        prefix = text.upper()
        conditions.append(and_(OPP.c.code >= prefix, OPP.c.code < _next_prefix(prefix)))
        if _CODE_WITH_DIGITS.fullmatch(text):  # "XS2026…" names a code, never a customer
            return conditions[0]
    customers = select(CUSTOMER.c.id).where(CUSTOMER.c.name.icontains(text, autoescape=True))
    conditions.append(OPP.c.customer_id.in_(customers))
    owners = _matching(session, USER.c.id, text, USER.c.display_name, USER.c.username)
    if owners:
        conditions.append(OPP.c.owner_id.in_(owners))
    stages = _matching(
        session, STAGE.c.id, text, STAGE.c.name_zh, STAGE.c.name_en, exact=STAGE.c.code
    )
    if stages:
        conditions.append(OPP.c.current_stage_id.in_(stages))
    return or_(*conditions)


def _conditions(session: Session, search: DealSearch) -> list:
    conditions = [OPP.c.status == search.status]
    if search.stage:
        stage_id = session.execute(
            select(STAGE.c.id).where(STAGE.c.code == search.stage)
        ).scalar_one_or_none()
        conditions.append(OPP.c.current_stage_id == stage_id if stage_id else OPP.c.id.is_(None))
    if search.text.strip():
        conditions.append(text_condition(session, search.text))
    return conditions


def _order(search: DealSearch) -> list:
    """ORDER BY of ``search``: the sort column, then the id, so a page boundary never shows
    a deal twice or skips one (both read in order from the (status, column) index; a
    missing date sorts as the backend puts NULLs: SQLite first ascending, PostgreSQL last)."""
    column = SORTS.get(search.sort, SORTS[DEFAULT_SORT])
    # "Largest first" for days in stage is the earliest entry day.
    descending = search.descending != (search.sort == "days_in_stage")
    ordered = column.desc() if descending else column.asc()
    return [ordered, OPP.c.id.desc() if descending else OPP.c.id.asc()]


def search_deals(
    session: Session,
    viewer: Viewer,
    search: DealSearch,
    filters: OpportunityFilter,
    as_of: date,
    *,
    page_size: int | None = None,
) -> DealPage:
    """One page of the deals ``viewer`` may read that match ``search`` within ``filters``
    (``RESULT_COLUMNS``; days in stage in working days up to ``as_of``), with the count of
    all matches (``page_size`` a page, default ``PAGE_SIZE``). A page past the end shows
    the last one."""
    page_size = page_size or PAGE_SIZE
    visible = scoped_filter(viewer, filters)
    conditions = _conditions(session, search)
    total = session.execute(
        visible.apply(select(func.count()).select_from(OPP).where(*conditions))
    ).scalar_one()
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, search.page), pages)
    query = with_deal_columns(
        select(),
        OPP.c.status,
        iso_date(OPP.c.expected_close_on),
        iso_date(OPP.c.stage_entered_on),
        iso_date(OPP.c.last_activity_on),
        iso_date(OPP.c.created_on),
    )
    query = (
        visible.apply(query.where(*conditions))
        .order_by(*_order(search))
        .limit(page_size)
        .offset((page - 1) * page_size)
    )
    rows = frame_of(session, query)
    if rows.empty:
        rows = pd.DataFrame(columns=list(RESULT_COLUMNS))
    else:
        entered = pd.to_datetime(rows["stage_entered_on"], format="%Y-%m-%d")
        open_ = rows["status"] == OpportunityStatus.OPEN
        days = days_in_stage(entered, as_of, load_calendar(session))
        rows["days_in_stage"] = pd.Series(days, index=rows.index, dtype="Int64").where(open_)
    return DealPage(rows.reindex(columns=list(RESULT_COLUMNS)), int(total), page, pages)
