"""The funnel: how far the opportunities created in a period got, stage by stage (cohort),
or how many entered each stage during a period (flow); side by side with a comparison
(previous period, same period last year, another team or rep, or "the rest"), where lost
deals dropped out, and the opportunities behind any number (drill-down).

Each query takes a ``viewer``: the filter is narrowed to what they may read inside the
query (``SYSTEM``, the default, is the CLI/batch viewer that sees everything). The
arithmetic (conversion rates) is ``metrics.funnel``."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.accounts.access import SYSTEM, Viewer, scoped_filter
from salesboard.calendar.periods import Period, previous_period, same_period_last_year
from salesboard.metrics import funnel_table, same_deal_conversion
from salesboard.pipeline.deals import with_deal_columns
from salesboard.pipeline.view_filters import FilterOptions
from salesboard.store.cohort_rollup import stages_of
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import COHORT_MAX_STAGE_ID, OpportunityStatus, StageKind
from salesboard.store.queries import money_sum, total_minor
from salesboard.store.tables import COHORT, HISTORY, OPP, STAGE

# cohort: deals created in the period and how far they got; flow: entries into each stage.
FUNNEL_FRAME_COLUMNS = (
    "position",
    "stage",
    "name_zh",
    "name_en",
    "kind",
    "reached",
    "amount_minor",
)


def cohort_funnel(
    session: Session,
    period: Period,
    filters: OpportunityFilter = NO_FILTER,
    *,
    viewer: Viewer = SYSTEM,
) -> pd.DataFrame:
    """Opportunities created in ``period`` that reached each stage (count and amount).

    An opportunity reached every stage up to the furthest one in its stage history (stages
    are walked in order). Columns: ``position, stage, name_zh, name_en, kind, reached,
    amount_minor, conversion, from_first`` — one row per non-lost stage, in order.
    """
    filters = scoped_filter(viewer, filters)
    stages = _funnel_stages(session)
    by_furthest = _cohort_from_rollup(session, period, filters)
    if by_furthest is None:
        by_furthest = _cohort_from_deals(session, period, filters)
    rows = []
    for position, code, name_zh, name_en, kind in stages:
        reached = [(n, amount) for pos, n, amount in by_furthest if pos >= position]
        rows.append(
            {
                "position": position,
                "stage": code,
                "name_zh": name_zh,
                "name_en": name_en,
                "kind": kind,
                "reached": sum(n for n, _ in reached),
                "amount_minor": sum(int(a) for _, a in reached),
            }
        )
    frame = pd.DataFrame(rows, columns=list(FUNNEL_FRAME_COLUMNS))
    return funnel_table(frame)


def _cohort_from_deals(session: Session, period: Period, filters: OpportunityFilter) -> list:
    """(furthest stage position, deals, amount) of the deals created in ``period`` within
    ``filters``, from each deal's stage history."""
    # A correlated lookup per deal, driven from the period's deals (created_on index) into
    # the covering (opportunity_id, stage_id) index: a join would let the planner scan the
    # whole stage history instead.
    furthest_position = _furthest_position(OPP.c.id)
    furthest = filters.apply(
        select(OPP.c.amount_minor, furthest_position.label("furthest")).where(
            OPP.c.created_on.between(period.start, period.end)
        )
    ).subquery()
    # Deals with no stage history (never entered a stage) group under None and are dropped
    # here: a WHERE on the furthest stage would have the database look it up twice per deal.
    return [
        (int(pos), int(n), int(amount))
        for pos, n, amount in session.execute(
            select(furthest.c.furthest, func.count(), money_sum(furthest.c.amount_minor)).group_by(
                furthest.c.furthest
            )
        ).all()
        if pos is not None
    ]


def _cohort_from_rollup(
    session: Session, period: Period, filters: OpportunityFilter
) -> list | None:
    """``_cohort_from_deals`` from ``cohort_rollup`` (the deals per created day by the set of
    stages they entered, migration 0036): each set's furthest stage in today's order. None
    when the rollup cannot answer: a filter it keeps no column for (source, customer type,
    owner), or a stage id beyond its sets."""
    if not filters.rollups_can_answer or filters.owner_ids:
        return None
    positions = dict(session.execute(select(STAGE.c.id, STAGE.c.position)).all())
    if any(i > COHORT_MAX_STAGE_ID for i in positions):
        return None
    query = select(COHORT.c.stages, func.sum(COHORT.c.deals), money_sum(COHORT.c.amount_minor))
    query = filters.apply_to_rollups(
        query.where(COHORT.c.created_on.between(period.start, period.end)), table=COHORT
    ).group_by(COHORT.c.stages)
    furthest: dict[int, list[int]] = {}
    for mask, n, amount in session.execute(query).all():
        entered = [positions[i] for i in stages_of(mask) if i in positions]
        if entered and n:  # none entered yet: no stage reached, as from the deals
            total = furthest.setdefault(max(entered), [0, 0])
            total[0] += int(n)
            total[1] += int(amount)
    return [(pos, n, amount) for pos, (n, amount) in furthest.items()]


def _funnel_stages(session: Session) -> list:
    """(position, code, name_zh, name_en, kind) of the stages a funnel walks, in order."""
    return session.execute(
        select(STAGE.c.position, STAGE.c.code, STAGE.c.name_zh, STAGE.c.name_en, STAGE.c.kind)
        .where(STAGE.c.kind != StageKind.LOST)
        .order_by(STAGE.c.position)
    ).all()


def flow_funnel(
    session: Session,
    period: Period,
    filters: OpportunityFilter = NO_FILTER,
    *,
    viewer: Viewer = SYSTEM,
) -> pd.DataFrame:
    """Opportunities that entered each stage during ``period`` (count and amount), whenever
    they were created: the stage throughput of the period. Same columns as
    ``cohort_funnel``; its ``conversion`` and ``from_first`` are computed on the same deals
    (of the deals that entered the previous / first stage in the period, the share that got
    at least this far: ``metrics.same_deal_conversion``), so no step exceeds 100 %."""
    filters = scoped_filter(viewer, filters)
    # Each deal once per stage, even if it entered the stage twice in the period.
    entries = (
        filters.apply(
            select(HISTORY.c.stage_id, OPP.c.id, OPP.c.amount_minor)
            .select_from(HISTORY)
            .join(OPP, OPP.c.id == HISTORY.c.opportunity_id)
            .where(
                # One (stage_id, entered_on) index range per stage.
                HISTORY.c.stage_id.in_(select(STAGE.c.id).scalar_subquery()),
                HISTORY.c.entered_on.between(period.start, period.end),
            )
        )
        .distinct()
        .subquery()
    )
    furthest = _furthest_position(entries.c.id)
    by_furthest = session.execute(
        select(
            entries.c.stage_id,
            furthest.label("furthest"),
            func.count(),
            money_sum(entries.c.amount_minor),
        ).group_by(entries.c.stage_id, furthest)
    ).all()
    stages = _funnel_stages(session)
    position_of = dict(session.execute(select(STAGE.c.id, STAGE.c.position)).all())
    entered = pd.DataFrame(
        [(position_of[s], f, n, a) for s, f, n, a in by_furthest],
        columns=["position", "furthest", "deals", "amount_minor"],
    )
    rows = [
        (
            position, code, name_zh, name_en, kind,
            int(entered.loc[entered["position"] == position, "deals"].sum()),
            total_minor(entered.loc[entered["position"] == position, "amount_minor"]),
        )
        for position, code, name_zh, name_en, kind in stages
    ]  # fmt: skip
    frame = funnel_table(pd.DataFrame(rows, columns=list(FUNNEL_FRAME_COLUMNS)))
    conversion, from_first = same_deal_conversion(frame["position"].tolist(), entered)
    frame["conversion"] = pd.array(conversion, dtype="Float64").astype("float64")
    frame["from_first"] = pd.array(from_first, dtype="Float64").astype("float64")
    return frame


def _furthest_position(opportunity_id):
    """The furthest stage position a deal's stage history reached (correlated per deal into
    the covering (opportunity_id, stage_id) index)."""
    return (
        select(func.max(STAGE.c.position))
        .select_from(HISTORY)
        .join(STAGE, STAGE.c.id == HISTORY.c.stage_id)
        .where(HISTORY.c.opportunity_id == opportunity_id)
        .scalar_subquery()
    )


def lost_by_stage(
    session: Session,
    period: Period,
    filters: OpportunityFilter = NO_FILTER,
    *,
    viewer: Viewer = SYSTEM,
) -> pd.DataFrame:
    """Where the opportunities created in ``period`` were lost: ``stage, lost, amount_minor``."""
    filters = scoped_filter(viewer, filters)
    query = filters.apply(
        select(
            STAGE.c.code.label("stage"),
            func.count().label("lost"),
            money_sum(OPP.c.amount_minor).label("amount_minor"),
        )
        .join(STAGE, STAGE.c.id == OPP.c.lost_stage_id)
        .where(
            # ``status || ''`` keeps the planner on the created_on (or team) index: the
            # status index would walk every lost deal ever instead of the period's deals.
            OPP.c.status.concat("") == OpportunityStatus.LOST,
            OPP.c.created_on.between(period.start, period.end),
        )
        .group_by(STAGE.c.position, STAGE.c.code)
        .order_by(STAGE.c.position)
    )
    rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=["stage", "lost", "amount_minor"])


FUNNEL_MODES = ("cohort", "flow")
# What the review shows first: the cohort, the same deals from stage to stage, so the
# funnel never widens (issue 13); the flow is one click away.
DEFAULT_MODE = "cohort"
# Drill-down lists are capped for the screen; the count says how many there are in all.
DRILL_LIMIT = 500


def stage_funnel(
    session: Session,
    viewer: Viewer,
    period: Period,
    filters: OpportunityFilter,
    mode: str = DEFAULT_MODE,
) -> pd.DataFrame:
    """The funnel of ``period`` for ``mode`` ("cohort" or "flow"), visible to ``viewer``:
    ``position, stage, name_zh, name_en, reached, amount_minor, conversion, from_first``."""
    if mode not in FUNNEL_MODES:
        raise ValueError(f"funnel mode {mode!r} is not one of {', '.join(FUNNEL_MODES)}")
    query = cohort_funnel if mode == "cohort" else flow_funnel
    return query(session, period, filters, viewer=viewer)


def won_stage(funnel_frame: pd.DataFrame) -> pd.Series | None:
    """The funnel row of the first won stage (signing), or None when there is none."""
    won = funnel_frame[funnel_frame["kind"] == StageKind.WON]
    return None if won.empty else won.iloc[0]


def open_stage_codes(funnel_frame: pd.DataFrame) -> list[str]:
    """The funnel's open stages (where a deal can be lost), in order."""
    return funnel_frame.loc[funnel_frame["kind"] == StageKind.OPEN, "stage"].tolist()


def lost_dropouts(
    session: Session, viewer: Viewer, period: Period, filters: OpportunityFilter
) -> pd.DataFrame:
    """Where the deals created in ``period`` were lost, with each stage's share of all lost:
    ``stage, lost, amount_minor, share``."""
    frame = lost_by_stage(session, period, filters, viewer=viewer)
    total = frame["lost"].sum()
    frame["share"] = frame["lost"] / total if total else np.nan
    return frame


# --- comparisons ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    """What the funnel is compared with: a code for the URL and the period/filter it means."""

    code: str
    period: Period
    filters: OpportunityFilter


def comparison_codes(options: FilterOptions, filters: OpportunityFilter) -> list[str]:
    """What the current view can be compared with: the previous period, the same period a
    year earlier, "the rest" (the visible teams or reps not chosen, when some are chosen),
    and each visible team and rep ("team:<id>", "rep:<username>")."""
    codes = ["previous", "last_year"]
    if filters.team_ids or filters.owner_ids:
        codes.append("rest")
    codes += [f"team:{code}" for code in options.codes("team")]
    codes += [f"rep:{code}" for code in options.codes("rep")]
    return codes


def comparison_for(
    code: str, options: FilterOptions, period: Period, filters: OpportunityFilter
) -> Comparison:
    """The period and filter a comparison ``code`` stands for (see ``comparison_codes``).

    Team and rep comparisons keep the other filters (region, product line …) and the period,
    and replace the team/rep choice; "rest" takes the visible teams (or reps) not chosen.
    """
    if code == "previous":
        return Comparison(code, previous_period(period), filters)
    if code == "last_year":
        return Comparison(code, same_period_last_year(period), filters)
    if code == "rest":
        if filters.owner_ids:
            others = tuple(k for k in options.keys("rep", options.codes("rep")))
            kept = tuple(k for k in others if k not in filters.owner_ids)
            return Comparison(code, period, replace(filters, owner_ids=kept, nothing=not kept))
        others = tuple(options.keys("team", options.codes("team")))
        kept = tuple(k for k in others if k not in filters.team_ids)
        return Comparison(code, period, replace(filters, team_ids=kept, nothing=not kept))
    kind, _, value = code.partition(":")
    if kind in ("team", "rep"):
        keys = options.keys(kind, [value])
        field = "team_ids" if kind == "team" else "owner_ids"
        changed = replace(filters, team_ids=(), owner_ids=(), nothing=not keys)
        return Comparison(code, period, replace(changed, **{field: keys}))
    raise ValueError(f"unknown comparison {code!r}")


def compare_funnels(current: pd.DataFrame, other: pd.DataFrame) -> pd.DataFrame:
    """Two funnels side by side per stage: ``stage, name_zh, name_en, reached, other_reached,
    amount_minor, other_amount_minor, conversion, other_conversion, conversion_points``
    (percentage points, current minus other)."""
    left = current[["position", "stage", "name_zh", "name_en", "reached", "amount_minor"]]
    right = other[["stage", "reached", "amount_minor", "conversion", "from_first"]].rename(
        columns=lambda c: c if c == "stage" else f"other_{c}"
    )
    merged = left.assign(conversion=current["conversion"], from_first=current["from_first"])
    merged = merged.merge(right, on="stage", how="left")
    merged["conversion_points"] = (merged["conversion"] - merged["other_conversion"]) * 100
    return merged


# --- drill-down ----------------------------------------------------------------------------

DRILL_COLUMNS = (
    "code", "name", "customer", "owner", "team", "stage_zh", "stage_en", "status",
    "amount_minor", "created_on", "stage_entered_on", "lost_reason",
)  # fmt: skip


def _opportunity_rows(query, limit: int):
    """``query`` (opportunities) with the display columns of a drill-down list."""
    return (
        with_deal_columns(
            query,
            OPP.c.status,
            OPP.c.created_on,
            OPP.c.stage_entered_on,
            OPP.c.lost_reason,
            team=True,
        )
        .order_by(OPP.c.amount_minor.desc(), OPP.c.id)
        .limit(limit)
    )


def funnel_opportunities(
    session: Session,
    viewer: Viewer,
    period: Period,
    filters: OpportunityFilter,
    stage_code: str,
    mode: str = "cohort",
    lost: bool = False,
    limit: int = DRILL_LIMIT,
) -> pd.DataFrame:
    """The opportunities behind one funnel number, biggest first (at most ``limit``).

    cohort: created in ``period`` and reached ``stage_code`` (their stage history got at
    least that far), or with ``lost`` those lost in that stage; flow: entered
    ``stage_code`` during ``period``. Columns: ``DRILL_COLUMNS``.
    """
    filters = scoped_filter(viewer, filters)
    stage = session.execute(
        select(STAGE.c.id, STAGE.c.position).where(STAGE.c.code == stage_code)
    ).one_or_none()
    if stage is None:
        raise ValueError(f"unknown stage {stage_code!r}")
    if lost:
        where = (
            (OPP.c.status == OpportunityStatus.LOST)
            & (OPP.c.lost_stage_id == stage.id)
            & OPP.c.created_on.between(period.start, period.end)
        )
    elif mode == "flow":
        where = OPP.c.id.in_(
            select(HISTORY.c.opportunity_id).where(
                HISTORY.c.stage_id == stage.id,
                HISTORY.c.entered_on.between(period.start, period.end),
            )
        )
    else:
        reached = (
            select(HISTORY.c.opportunity_id)
            .join(STAGE, STAGE.c.id == HISTORY.c.stage_id)
            .where(HISTORY.c.opportunity_id == OPP.c.id, STAGE.c.position >= stage.position)
            .exists()
        )
        where = OPP.c.created_on.between(period.start, period.end) & reached
    query = filters.apply(_opportunity_rows(select().select_from(OPP).where(where), limit))
    result = session.execute(query)
    frame = pd.DataFrame([tuple(r) for r in result.all()], columns=list(result.keys()))
    return frame.reindex(columns=list(DRILL_COLUMNS))
