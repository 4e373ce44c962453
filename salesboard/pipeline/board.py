"""The pipeline board: the deals a viewer may read as cards in stage columns — the open
stages in order, then the won stages (deals in delivery still under control, as the overdue
check counts them) — each column with the count and amount of all its deals and only its
first cards loaded (longest in the stage first), so the board costs the same at a million
deals as at a thousand.

Days in stage are working days (the company calendar) coloured by ``metrics.stage_clock``,
the overdue rule's "over the standard" plus a "near" band; the open columns' totals are
``figures.sales.open_pipeline`` per stage, the figure the Overview's open-pipeline tile adds up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import case, func, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.workdays import load_calendar
from salesboard.figures.sales import open_pipeline, still_open
from salesboard.metrics.durations import days_in_stage, stage_clock
from salesboard.pipeline.deals import in_delivery_in_its_stage
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import StageKind
from salesboard.store.queries import frame_of, iso_date, money_sum
from salesboard.store.tables import CUSTOMER, OPP, STAGE, USER

# Cards a column loads at first; "show more" asks for this many more.
CARD_LIMIT = 20
CARD_COLUMNS = (
    "id", "code", "name", "customer", "owner", "amount_minor", "stage_entered_on",
    "version", "days_in_stage", "clock",
)  # fmt: skip


@dataclass(frozen=True)
class BoardColumn:
    """One stage column: the stage, the count and amount of all its deals and the first
    ``cards`` (``CARD_COLUMNS``)."""

    stage_id: int
    stage: str
    name_zh: str
    name_en: str
    kind: str
    standard_days: int | None
    count: int
    amount_minor: int
    cards: pd.DataFrame

    @property
    def more(self) -> int:
        """Deals in the column not loaded."""
        return self.count - len(self.cards)


def board_stages(session: Session) -> pd.DataFrame:
    """The board's stages in order: open, then won (``stage_id, stage, name_zh, name_en,
    kind, standard_days``)."""
    query = (
        select(
            STAGE.c.id.label("stage_id"),
            STAGE.c.code.label("stage"),
            STAGE.c.name_zh,
            STAGE.c.name_en,
            STAGE.c.kind,
            STAGE.c.standard_days,
        )
        .where(STAGE.c.kind.in_((StageKind.OPEN, StageKind.WON)))
        .order_by(STAGE.c.kind != StageKind.OPEN, STAGE.c.position)
    )
    return frame_of(session, query)


def _card_columns() -> tuple:
    """A card's fields (the query joins the deal's customer and owner)."""
    return (
        OPP.c.id, OPP.c.code, OPP.c.name, CUSTOMER.c.name.label("customer"),
        USER.c.display_name.label("owner"), OPP.c.amount_minor,
        iso_date(OPP.c.stage_entered_on), OPP.c.version,
    )  # fmt: skip


def _open_cards(
    session: Session, filters: OpportunityFilter, stage_id: int, limit: int
) -> pd.DataFrame:
    """The first ``limit`` open deals of a stage, longest in the stage first (one range of
    the open deals' clock index)."""
    query = filters.apply(
        select(*_card_columns())
        .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
        .join(USER, USER.c.id == OPP.c.owner_id)
        .where(OPP.c.current_stage_id == stage_id, still_open())
        .order_by(OPP.c.stage_entered_on, OPP.c.id)
        .limit(limit)
    )
    return frame_of(session, query)


def _won_columns(
    session: Session, filters: OpportunityFilter, viewer: Viewer, limits: Mapping[int, int]
) -> dict[int, tuple[int, int, pd.DataFrame]]:
    """Per won stage in ``limits`` (stage id → cards to load), (count, amount, first cards)
    of its won deals still in delivery, the longest in the stage first.

    One read of those deals serves the totals and the ranking (at 10M deals they are 181k,
    found from the undone delivery actions: each read of them costs ~0.8 s), and only the
    cards shown are joined to their customer and owner."""
    delivery = (
        filters.apply(
            select(OPP.c.id, OPP.c.current_stage_id, OPP.c.stage_entered_on, OPP.c.amount_minor)
            .where(*in_delivery_in_its_stage(session, viewer),
                   OPP.c.current_stage_id.in_(list(limits)))
        )
        .cte("delivery")
        .prefix_with("MATERIALIZED")
    )  # fmt: skip
    totals = (
        select(delivery.c.current_stage_id.label("stage_id"), func.count().label("deals"),
               money_sum(delivery.c.amount_minor).label("amount"))
        .group_by(delivery.c.current_stage_id)
        .subquery("totals")
    )  # fmt: skip
    order = (delivery.c.stage_entered_on, delivery.c.id)
    rank = func.row_number().over(partition_by=delivery.c.current_stage_id, order_by=order)
    ranked = select(delivery.c.id, delivery.c.current_stage_id, rank.label("rn")).subquery("ranked")
    # At least the first card of every stage, so that each stage's totals come back.
    room = case({stage: max(n, 1) for stage, n in limits.items()}, value=ranked.c.current_stage_id)
    query = (
        select(totals.c.stage_id, totals.c.deals, totals.c.amount, ranked.c.rn, *_card_columns())
        .select_from(
            totals.join(ranked, ranked.c.current_stage_id == totals.c.stage_id)
            .join(OPP, OPP.c.id == ranked.c.id)
            .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
            .join(USER, USER.c.id == OPP.c.owner_id)
        )
        .where(ranked.c.rn <= room)
        .order_by(totals.c.stage_id, ranked.c.rn)
    )  # fmt: skip
    rows = frame_of(session, query)
    out = {}
    for stage_id, group in rows.groupby("stage_id", sort=False):
        first = group.iloc[0]
        cards = group[group["rn"] <= limits[int(stage_id)]]
        out[int(stage_id)] = (
            int(first["deals"]), int(first["amount"]),
            cards.drop(columns=["stage_id", "deals", "amount", "rn"]).reset_index(drop=True),
        )  # fmt: skip
    return out


def pipeline_board(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    as_of: date,
    limits: tuple[tuple[str, int], ...] = (),
    only: str = "",
) -> list[BoardColumn]:
    """The board ``viewer`` sees within ``filters``: one ``BoardColumn`` per stage (only
    stage ``only`` when given), each loading ``CARD_LIMIT`` cards or the number ``limits``
    gives for its stage code; days in stage in working days up to ``as_of``."""
    visible = scoped_filter(viewer, filters)
    wanted: Mapping[str, int] = dict(limits)
    stages = board_stages(session)
    if only:
        stages = stages[stages["stage"] == only]
    limit_of = {int(s.stage_id): wanted.get(s.stage, CARD_LIMIT) for s in stages.itertuples()}
    open_totals = open_pipeline(session, viewer, filters, by="stage")
    won_limits = {
        int(s.stage_id): limit_of[int(s.stage_id)]
        for s in stages.itertuples()
        if s.kind == StageKind.WON
    }
    won = _won_columns(session, visible, viewer, won_limits) if won_limits else {}
    calendar = load_calendar(session)
    columns = []
    for stage in stages.itertuples(index=False):
        stage_id = int(stage.stage_id)
        if stage.kind == StageKind.WON:
            count, amount, cards = won.get(stage_id, (0, 0, None))
        else:
            count, amount = open_totals.get(stage_id, (0, 0))
            cards = _open_cards(session, visible, stage_id, limit_of[stage_id]) if count else None
        columns.append(
            BoardColumn(
                stage_id=stage_id,
                stage=stage.stage,
                name_zh=stage.name_zh,
                name_en=stage.name_en,
                kind=stage.kind,
                standard_days=None if pd.isna(stage.standard_days) else int(stage.standard_days),
                count=count,
                amount_minor=amount,
                cards=_with_clock(cards, stage.standard_days, as_of, calendar),
            )
        )
    return columns


def _with_clock(cards: pd.DataFrame | None, standard, as_of: date, calendar) -> pd.DataFrame:
    """``cards`` with ``days_in_stage`` (working days) and its ``clock`` against the stage
    standard."""
    if cards is None or cards.empty:
        return pd.DataFrame(columns=list(CARD_COLUMNS))
    entered = pd.to_datetime(cards["stage_entered_on"], format="%Y-%m-%d")
    days = days_in_stage(entered, as_of, calendar)
    cards["days_in_stage"] = days
    cards["clock"] = stage_clock(days, [standard] * len(cards))
    return cards.reindex(columns=list(CARD_COLUMNS))
