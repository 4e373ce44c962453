"""The deal and key-action figures several pages show, one function each, narrowed in SQL to
what the viewer may read (``access.scoped_filter``) and counted over the period's days
through the "as of" day:

- won: deals whose contract was signed (status won, dated ``won_on``) — count and amount;
- win rate: won / (won + lost) among the deals closed in the days counted;
- open pipeline: deals still open (not signed, not lost) — count and amount, any date;
- key actions due in the days counted (planned then): how many are done (by the "as of"
  day, late ones included) and how many were done by their planned date. Completion =
  done / due, on-time rate = on time / due; a late action is done but not on time;
- proposals submitted: the proposal stage's "submit proposal" actions done in the days
  counted (its first listed key action) — not every key action of that stage;
- visits and effective visits by the reps in sight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, false, func, or_, select
from sqlmodel import Session

from salesboard import metrics
from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.figures.facts import bucket_number, user_scope
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import OpportunityStatus, RollupKind
from salesboard.store.queries import money_sum, sum_if
from salesboard.store.reference_data import LIST_SEPARATOR_EN, LIST_SEPARATOR_ZH
from salesboard.store.tables import (
    ACTION,
    ACTION_ROLLUP,
    HISTORY,
    OPP,
    ROLLUP,
    STAGE,
    USER,
    VISIT,
    VISIT_DONE,
)

# The stage whose first key action is submitting the proposal (默认阶段 方案制定).
PROPOSAL_STAGE = "proposal"


# How a deal figure can be grouped: per deal owner, per the team credited with the deal or
# (open deals) per current stage.
# The same groupings on the per-day rollups.
ROLLUP_GROUPS = {None: None, "owner": ROLLUP.c.owner_id, "team": ROLLUP.c.team_id}
DEAL_GROUPS = {
    None: None,
    "owner": OPP.c.owner_id,
    "team": OPP.c.team_id,
    "stage": OPP.c.current_stage_id,
}


def grouping(key, day, buckets: Sequence[tuple[date, date]] | None) -> list:
    """The GROUP BY columns of a figure read per ``key`` (a column, or None) and, with
    ``buckets`` (date ranges: several periods in one read), first per the number of the
    range its ``day`` falls in (-1: none)."""
    columns = [key] if key is not None else []
    return [bucket_number(day, buckets).label("bucket"), *columns] if buckets else columns


def group_of(values: Sequence, buckets: Sequence | None) -> int | tuple[int, ...] | None:
    """A row's key read by ``grouping``: the id, the bucket number, or (bucket number, id);
    None for a day in no bucket or a row without an id."""
    if any(v is None for v in values) or (buckets and values[0] < 0):
        return None
    return int(values[0]) if len(values) == 1 else tuple(int(v) for v in values)


def won_between(start: date, end: date):
    """SQL condition: a deal won (contract signed) between ``start`` and ``end`` inclusive."""
    return and_(OPP.c.status == OpportunityStatus.WON, OPP.c.won_on.between(start, end))


def lost_between(start: date, end: date):
    """SQL condition: a deal lost between ``start`` and ``end`` inclusive."""
    return and_(OPP.c.status == OpportunityStatus.LOST, OPP.c.lost_on.between(start, end))


def still_open(status=OPP.c.status):
    """SQL condition: a deal still open (neither signed nor lost). ``status`` may be the
    column inside an expression (``status || ''``) that keeps the status indexes out of a
    plan where another index narrows the deals better."""
    return status == OpportunityStatus.OPEN


def days_counted(start: date, end: date, as_of: date | None) -> tuple[date, date]:
    """The days a period's figures count: from its start through ``as_of`` (at most its end)."""
    return start, end if as_of is None else min(end, as_of)


@dataclass(frozen=True)
class ClosedDeals:
    """Deals won (contract signed) and lost in the days counted; money in minor units."""

    won: int = 0
    won_amount_minor: int = 0
    lost: int = 0

    @property
    def win_rate(self) -> float | None:
        """won / (won + lost); None when nothing closed."""
        return metrics.win_rate(self.won, self.lost)


def closed_deals(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    *,
    filters: OpportunityFilter = NO_FILTER,
    by: str | None = None,
) -> ClosedDeals | dict[int, ClosedDeals]:
    """Won and lost deals between ``start`` and ``end`` inclusive that ``viewer`` may read
    (within ``filters``); ``by`` "owner" or "team" gives one ``ClosedDeals`` per deal owner
    or team. Read from the per-day rollups (one range of the won and lost rows), or, when
    the filters name sources or customer types (which the rollups do not keep), from two
    range reads of the deals' (status, day) indexes: the same counts either way."""
    scope = scoped_filter(viewer, filters)
    read = _closed_from_rollups if scope.rollups_can_answer else _closed_from_deals
    wins, losses = read(session, scope, start, end, by)
    if by is None:
        return ClosedDeals(*wins.get(None, (0, 0)), losses.get(None, 0))
    return {
        int(o): ClosedDeals(*wins.get(o, (0, 0)), losses.get(o, 0)) for o in set(wins) | set(losses)
    }


# Won (count, amount) and lost counts by group (None: the only group when ungrouped).
_Closed = tuple[dict[int | None, tuple[int, int]], dict[int | None, int]]


def _closed_from_rollups(session, scope: OpportunityFilter, start, end, by) -> _Closed:
    key = ROLLUP_GROUPS[by]
    group = [key] if key is not None else []
    query = scope.apply_to_rollups(
        select(*group, ROLLUP.c.kind, func.sum(ROLLUP.c.deals), money_sum(ROLLUP.c.amount_minor))
        .where(ROLLUP.c.kind.in_((RollupKind.WON, RollupKind.LOST)),
               ROLLUP.c.day.between(start, end))
        .group_by(*group, ROLLUP.c.kind)
    )  # fmt: skip
    wins, losses = {}, {}
    for *k, kind, count, amount in session.execute(query):
        if kind == RollupKind.WON:
            wins[_group(k)] = (int(count), int(amount))
        else:
            losses[_group(k)] = int(count)
    return wins, losses


def _closed_from_deals(session, scope: OpportunityFilter, start, end, by) -> _Closed:
    key = DEAL_GROUPS[by]
    group = [key] if key is not None else []
    won = select(*group, func.count(), money_sum(OPP.c.amount_minor)).where(won_between(start, end))
    lost = select(*group, func.count()).where(lost_between(start, end))
    wins = {_group(k): (int(c), int(a))
            for *k, c, a in session.execute(scope.apply(won.group_by(*group)))}  # fmt: skip
    losses = {_group(k): int(c) for *k, c in session.execute(scope.apply(lost.group_by(*group)))}
    return wins, losses


def _group(key: list) -> int | None:
    """A result row's group value (None when the query was not grouped)."""
    return key[0] if key else None


def open_pipeline(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter = NO_FILTER,
    *,
    by: str | None = None,
) -> tuple[int, int] | dict[int, tuple[int, int]]:
    """(count, amount in minor units) of the open deals ``viewer`` may read; ``by``
    "stage" (the board's columns), "owner" or "team" gives one pair per current stage id,
    deal owner or team."""
    key = DEAL_GROUPS[by]
    group = [key] if key is not None else []
    query = select(*group, func.count(), money_sum(OPP.c.amount_minor)).where(still_open())
    query = scoped_filter(viewer, filters).apply(query)
    if key is None:
        count, amount = session.execute(query).one()
        return int(count), int(amount)
    return {int(k): (int(n), int(a)) for k, n, a in session.execute(query.group_by(key))}


@dataclass(frozen=True)
class KeyActionRates:
    """Key actions due in the days counted: how many, done (late ones too), done on time."""

    due: int = 0
    done: int = 0
    on_time: int = 0

    @property
    def completion(self) -> float | None:
        """关键动作完成率: done / due (None when nothing was due)."""
        return self.done / self.due if self.due else None

    @property
    def on_time_rate(self) -> float | None:
        """按时完成率: done by the planned date / due (None when nothing was due)."""
        return self.on_time / self.due if self.due else None


def _scoped_actions(query, viewer: Viewer, filters: OpportunityFilter):
    """``query`` over key actions limited to the deals ``viewer`` may read. When only deal
    owners or teams narrow them (a rep's or a manager's own), by the actions' copy of their
    deal's owner and team (migration 0029): one range of a key-action index, not a join of
    every action of the period to its deal (a manager's quarter at 10M deals: 0.9–1.3 s);
    unchanged when nothing narrows them."""
    return scoped_filter(viewer, filters).apply_by_copy(
        query, ACTION.c.opportunity_id, ACTION.c.deal_owner_id, ACTION.c.deal_team_id
    )


def key_action_rates(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    as_of: date,
    *,
    filters: OpportunityFilter = NO_FILTER,
    by: str | None = None,
    only=None,
    buckets: Sequence[tuple[date, date]] | None = None,
) -> KeyActionRates | dict:
    """Key actions planned between ``start`` and ``end`` (through ``as_of``) on the deals
    ``viewer`` may read: due, done by ``as_of``, done on time. ``by`` "owner", "team" (the
    deal's) or "stage" groups them (a dict by id); ``buckets`` (date ranges within the days
    counted) reads several periods at once (a dict by (range number, id)); ``only`` is an
    extra SQL condition on the actions (e.g. ``proposal_submission``). Every deal's
    actions (nothing narrows them) are read from ``key_action_rollup`` when nothing was
    done after ``as_of`` (the rollup counts what is done now); else from the actions."""
    first, last = days_counted(start, end, as_of)
    everyone = only is None and scoped_filter(viewer, filters).is_empty()
    if everyone and not _done_after(session, as_of):
        return _rates_from_rollup(session, first, last, by, buckets)
    done = and_(ACTION.c.done_on.is_not(None), ACTION.c.done_on <= as_of)
    on_time = and_(done, ACTION.c.done_on <= ACTION.c.planned_on)
    group = grouping(_ACTION_GROUPS[by], ACTION.c.planned_on, buckets)
    query = select(*group, func.count(), sum_if(done), sum_if(on_time)).where(
        ACTION.c.planned_on.between(first, last), *([only] if only is not None else [])
    )
    return _rates(session, _scoped_actions(query, viewer, filters), group, buckets)


_ACTION_GROUPS = {None: None, "owner": ACTION.c.owner_id, "stage": ACTION.c.stage_id,
                  "team": ACTION.c.deal_team_id}  # fmt: skip
_ROLLUP_ACTION_GROUPS = {None: None, "owner": ACTION_ROLLUP.c.owner_id,
                         "stage": ACTION_ROLLUP.c.stage_id, "team": ACTION_ROLLUP.c.deal_team_id}  # fmt: skip


def _rates(session: Session, query, group: list, buckets) -> KeyActionRates | dict:
    """Run a key-action rates ``query`` (the ``group`` columns, then due, done, on time):
    one ``KeyActionRates``, or a dict by ``group_of`` key."""
    if not group:
        due, done_count, on_time_count = session.execute(query).one()
        return KeyActionRates(int(due), int(done_count), int(on_time_count))
    rows = session.execute(query.group_by(*group)).all()
    n = len(group)
    found = ((group_of(r[:n], buckets), r[n:]) for r in rows)
    return {k: KeyActionRates(*(int(v) for v in c)) for k, c in found if k is not None}


def _done_after(session: Session, day: date) -> bool:
    """Whether any key action was done after ``day`` (a range per stage of the (stage, done
    day) index: nothing to read when ``day`` is the last day anything was done)."""
    return bool(
        session.execute(
            select(
                select(ACTION.c.id)
                .where(ACTION.c.stage_id.in_(select(STAGE.c.id).scalar_subquery()),
                       ACTION.c.done_on > day)
                .exists()
            )
        ).scalar_one()
    )  # fmt: skip


def _rates_from_rollup(session: Session, first: date, last: date, by, buckets):
    """Every deal's key-action rates from ``key_action_rollup`` (each action counted done
    once it is done, and on time when by its planned day). The copy of a deal's team is 0
    for none there, NULL in the rows: no team either way."""
    group = grouping(_ROLLUP_ACTION_GROUPS[by], ACTION_ROLLUP.c.planned_on, buckets)
    if by == "team":
        group[-1] = func.nullif(group[-1], 0)
    return _rates(
        session,
        select(*group, money_sum(ACTION_ROLLUP.c.actions), money_sum(ACTION_ROLLUP.c.done),
               money_sum(ACTION_ROLLUP.c.on_time))
        .where(ACTION_ROLLUP.c.planned_on.between(first, last)),
        group, buckets,
    )  # fmt: skip


def proposal_submission(session: Session):
    """SQL condition on a key action: it is a proposal submission — an action of the stage
    coded ``PROPOSAL_STAGE`` named as that stage's first key action (in Chinese or English).
    False when the company has no such stage."""
    stage = session.execute(
        select(STAGE.c.id, STAGE.c.key_actions_zh, STAGE.c.key_actions_en).where(
            STAGE.c.code == PROPOSAL_STAGE
        )
    ).first()
    names = []
    if stage is not None:
        for text, separator in ((stage[1], LIST_SEPARATOR_ZH), (stage[2], LIST_SEPARATOR_EN)):
            first = (text or "").split(separator.strip())[0].strip()
            if first:
                names.append(first)
    if not names:
        return false()
    return and_(ACTION.c.stage_id == stage[0], or_(*(ACTION.c.action == n for n in names)))


def proposals_submitted(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    as_of: date,
    *,
    by_owner: bool = False,
) -> int | dict[int, int]:
    """方案提交数: proposals submitted (``proposal_submission`` actions done) between
    ``start`` and ``end`` through ``as_of``, on the deals ``viewer`` may read; with
    ``by_owner`` per action owner."""
    first, last = days_counted(start, end, as_of)
    owner = [ACTION.c.owner_id] if by_owner else []
    query = _scoped_actions(
        select(*owner, func.count()).where(
            ACTION.c.done_on.between(first, last), proposal_submission(session)
        ),
        viewer,
        NO_FILTER,
    )
    if not by_owner:
        return int(session.execute(query).scalar_one())
    return {int(o): int(n) for o, n in session.execute(query.group_by(ACTION.c.owner_id))}


def proposal_turnaround(
    session: Session, viewer: Viewer, start: date, end: date, as_of: date, calendar
) -> dict[int, tuple[int, float]]:
    """方案提交周期: per action owner, the proposals submitted between ``start`` and ``end``
    (through ``as_of``; the same submissions ``proposals_submitted`` counts) and the mean
    working days from the deal entering the proposal stage to the submission:
    ``{owner_id: (proposals, mean_days)}``. ``calendar`` counts the working days."""
    first, last = days_counted(start, end, as_of)
    stay = HISTORY.alias("stay")
    query = _scoped_actions(
        select(ACTION.c.id, ACTION.c.owner_id, ACTION.c.done_on,
               func.max(stay.c.entered_on).label("entered_on"))
        .join(stay, and_(stay.c.opportunity_id == ACTION.c.opportunity_id,
                         stay.c.stage_id == ACTION.c.stage_id,
                         stay.c.entered_on <= ACTION.c.done_on))
        .where(ACTION.c.done_on.between(first, last), proposal_submission(session))
        .group_by(ACTION.c.id, ACTION.c.owner_id, ACTION.c.done_on),
        viewer, NO_FILTER,
    )  # fmt: skip
    rows = session.execute(query).all()
    if not rows:
        return {}
    owners = [r.owner_id for r in rows]
    days = calendar.working_days_between_many([r.entered_on for r in rows],
                                              [r.done_on for r in rows])  # fmt: skip
    sums: dict[int, list[float]] = {}
    for owner, d in zip(owners, days.tolist(), strict=True):
        total = sums.setdefault(int(owner), [0, 0.0])
        total[0] += 1
        total[1] += d
    return {owner: (n, total / n) for owner, (n, total) in sums.items()}


@dataclass(frozen=True)
class VisitCounts:
    """Customer visits in the days counted, and the effective ones (有效拜访: a decision
    maker, at least 10 minutes, a clear need obtained)."""

    visits: int = 0
    effective: int = 0


def visit_counts(
    session: Session,
    viewer: Viewer,
    start: date,
    end: date,
    *,
    by: str | None = None,
    buckets: Sequence[tuple[date, date]] | None = None,
) -> VisitCounts | dict:
    """Visits between ``start`` and ``end`` by the reps ``viewer`` may see (the visit's rep
    and that rep's team); ``by`` "owner" or "team" gives one ``VisitCounts`` per rep or per
    the rep's team, ``buckets`` (date ranges) per (range number, rep or team)."""
    key = {"owner": VISIT.c.rep_id, "team": USER.c.team_id}.get(by)
    rep = grouping(key, VISIT.c.visited_on, buckets)
    query = (
        select(*rep, func.count(), sum_if(VISIT.c.effective.is_(True)))
        .select_from(VISIT.outerjoin(USER, USER.c.id == VISIT.c.rep_id))
        .where(
            VISIT.c.visited_on.between(start, end),
            VISIT_DONE,
            user_scope(viewer, VISIT.c.rep_id, USER.c.team_id),
        )
    )
    if not rep:
        visits, effective = session.execute(query).one()
        return VisitCounts(int(visits), int(effective))
    n = len(rep)
    found = ((group_of(r[:n], buckets), r[n:]) for r in session.execute(query.group_by(*rep)).all())
    return {k: VisitCounts(int(v), int(e)) for k, (v, e) in found if k is not None}
