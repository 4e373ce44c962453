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
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.workdays import load_calendar
from salesboard.figures.sales import open_pipeline, still_open
from salesboard.metrics.durations import days_in_stage, stage_clock
from salesboard.pipeline.deals import in_delivery
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


def _on_board(kind: str, viewer: Viewer) -> tuple:
    """The conditions on a deal shown in a column of ``kind``: open, or won and still in
    delivery."""
    return (still_open(),) if kind == StageKind.OPEN else in_delivery(viewer)


def _won_totals(
    session: Session, filters: OpportunityFilter, viewer: Viewer
) -> dict[int, tuple[int, int]]:
    """(count, amount) per won stage of the won deals still under control."""
    query = filters.apply(
        select(OPP.c.current_stage_id, func.count(), money_sum(OPP.c.amount_minor))
        .where(*in_delivery(viewer))
        .group_by(OPP.c.current_stage_id)
    )
    return {int(s): (int(n), int(a)) for s, n, a in session.execute(query)}


def _cards(
    session: Session,
    filters: OpportunityFilter,
    stage_id: int,
    kind: str,
    limit: int,
    viewer: Viewer,
) -> pd.DataFrame:
    """The first ``limit`` deals of a column, longest in the stage first (one range of the
    open deals' clock index per stage)."""
    query = filters.apply(
        select(
            OPP.c.id,
            OPP.c.code,
            OPP.c.name,
            CUSTOMER.c.name.label("customer"),
            USER.c.display_name.label("owner"),
            OPP.c.amount_minor,
            iso_date(OPP.c.stage_entered_on),
            OPP.c.version,
        )
        .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
        .join(USER, USER.c.id == OPP.c.owner_id)
        .where(OPP.c.current_stage_id == stage_id, *_on_board(kind, viewer))
        .order_by(OPP.c.stage_entered_on, OPP.c.id)
        .limit(limit)
    )
    return frame_of(session, query)


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
    totals = {
        **open_pipeline(session, viewer, filters, by="stage"),
        **_won_totals(session, visible, viewer),
    }
    calendar = load_calendar(session)
    columns = []
    for stage in stages.itertuples(index=False):
        count, amount = totals.get(int(stage.stage_id), (0, 0))
        limit = wanted.get(stage.stage, CARD_LIMIT)
        cards = (
            _cards(session, visible, int(stage.stage_id), stage.kind, limit, viewer)
            if count
            else None
        )
        columns.append(
            BoardColumn(
                stage_id=int(stage.stage_id),
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
