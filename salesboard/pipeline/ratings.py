"""Deal ratings (1–5) at a stage exit — proposal/needs match (方案匹配度) and customer
communication satisfaction (沟通满意度), seed 000's qualitative dimensions: entered on the
deal by a manager of the deal's team or an admin (or imported from a survey sheet), read by
whoever may read the deal. They feed the stage KPI ``satisfaction`` (mean rating per stage)
and the scorecard's satisfaction metric (mean rating of a rep's or team's deals)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import (
    PermissionDenied,
    Viewer,
    can_read_owned_by,
    require,
    scoped_filter,
)
from salesboard.figures.sales import group_of, grouping
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import (
    RATING_KINDS,
    RATING_MAX,
    RATING_MIN,
    DealRating,
    Opportunity,
    Role,
)
from salesboard.store.tables import RATING, STAGE, USER


class RatingError(ValueError):
    """A rating refused; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


def may_rate(viewer: Viewer, team_id: int | None) -> bool:
    """Managers of the deal's team and admins rate deals."""
    if viewer.is_admin:
        return True
    return viewer.role == Role.MANAGER and team_id in viewer.team_ids


def check_score(score: object) -> int:
    """``score`` as an integer 1–5, else ``RatingError``."""
    try:
        number = float(score)
    except (TypeError, ValueError):
        number = float("nan")
    if not number.is_integer():
        raise RatingError("score", f"a rating is a whole number 1–5, not {score!r}")
    value = int(number)
    if not RATING_MIN <= value <= RATING_MAX:
        raise RatingError("score", f"a rating is 1–5, not {value}")
    return value


def record_rating(
    session: Session,
    actor: Viewer,
    opportunity_id: int,
    *,
    stage_id: int,
    kind: str,
    score: int,
    rated_on: date,
    note: str = "",
) -> DealRating:
    """Rate the deal's ``stage`` on ``kind`` (one rating per deal, stage and kind: a new
    rating replaces the old, audited with both). A deal the actor may not read reads as
    missing."""
    deal = session.get(Opportunity, opportunity_id)
    if deal is None or not can_read_owned_by(actor, deal.owner_id, deal.team_id):
        raise PermissionDenied("not_found", "no such deal")
    require(may_rate(actor, deal.team_id), "rating_managers", "managers of the team rate deals")
    if kind not in RATING_KINDS:
        raise RatingError("kind", f"unknown rating kind {kind!r}")
    value = check_score(score)
    if session.execute(select(STAGE.c.id).where(STAGE.c.id == stage_id)).first() is None:
        raise RatingError("stage", "unknown stage")
    row = session.execute(
        select(DealRating).where(
            DealRating.opportunity_id == opportunity_id,
            DealRating.stage_id == stage_id,
            DealRating.kind == kind,
        )
    ).scalar()
    before = None if row is None else {"score": row.score, "rated_on": row.rated_on.isoformat()}
    if row is None:
        row = DealRating(opportunity_id=opportunity_id, stage_id=stage_id, kind=kind, score=0,
                         rated_on=rated_on)  # fmt: skip
    row.score, row.rated_on, row.note, row.rated_by = value, rated_on, note[:500], actor.user_id
    session.add(row)
    session.flush()
    audit.record(
        session, actor, action="update" if before else "create", entity="deal_rating",
        entity_id=row.id, summary=f"{deal.code} {kind} = {value}", old=before,
        new={"score": value, "rated_on": rated_on.isoformat(), "stage_id": stage_id},
    )  # fmt: skip
    return row


@dataclass(frozen=True)
class RatingRow:
    """One rating as the deal page lists it."""

    stage_id: int
    stage_zh: str
    stage_en: str
    kind: str
    score: int
    rated_on: date
    note: str
    rated_by: str


def deal_ratings(session: Session, viewer: Viewer, opportunity_id: int) -> list[RatingRow]:
    """The deal's ratings, by stage order (empty for a deal the viewer may not read)."""
    deal = session.get(Opportunity, opportunity_id)
    if deal is None or not can_read_owned_by(viewer, deal.owner_id, deal.team_id):
        return []
    rows = session.execute(
        select(
            RATING.c.stage_id,
            STAGE.c.name_zh,
            STAGE.c.name_en,
            RATING.c.kind,
            RATING.c.score,
            RATING.c.rated_on,
            RATING.c.note,
            func.coalesce(USER.c.display_name, ""),
        )  # fmt: skip
        .join(STAGE, STAGE.c.id == RATING.c.stage_id)
        .outerjoin(USER, USER.c.id == RATING.c.rated_by)
        .where(RATING.c.opportunity_id == opportunity_id)
        .order_by(STAGE.c.position, RATING.c.kind)
    ).all()
    return [RatingRow(*r) for r in rows]


def rating_means(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    *,
    filters: OpportunityFilter = NO_FILTER,
    by: str | None = None,
    buckets: Sequence[tuple[date, date]] | None = None,
) -> tuple[int, int] | dict:
    """(sum of scores, number of ratings) of the ratings given between ``start`` and
    ``end`` on the deals ``viewer`` may read (within ``filters``); ``by`` "stage", "owner"
    or "team" gives one pair per stage, deal owner or team, ``buckets`` (date ranges) per
    (range number, id). Mean = sum ÷ number."""
    scope = scoped_filter(viewer, filters)
    # Per owner or team, and a rep's or a manager's own: the rating's copy of its deal's
    # owner and team (migration 0028), from the (rated day, owner, team, score) index alone —
    # PostgreSQL otherwise hashed all 10M deals for a quarter's 343k ratings (2.2 s), and
    # joined a rep's five quarters of ratings to their deals (0.9 s).
    key = {"stage": RATING.c.stage_id, "owner": RATING.c.owner_id, "team": RATING.c.team_id}
    group = grouping(key.get(by), RATING.c.rated_on, buckets)
    query = select(*group, func.coalesce(func.sum(RATING.c.score), 0), func.count()).where(
        RATING.c.rated_on.between(start, end)
    )
    query = scope.apply_by_copy(query, RATING.c.opportunity_id, RATING.c.owner_id,
                                RATING.c.team_id)  # fmt: skip
    if not group:
        total, count = session.execute(query).one()
        return int(total), int(count)
    n = len(group)
    rows = session.execute(query.group_by(*group)).all()
    found = ((group_of(r[:n], buckets), r[n:]) for r in rows)
    return {k: (int(s), int(c)) for k, (s, c) in found if k is not None}
