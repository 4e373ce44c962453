"""Allocating a target over goals: split a parent's target over the next level by % or by
amount (the remainder shown), spread a year or quarter and its subtree over months with a
seasonal distribution, and copy last period's goal tree. The ``plan_split``,
``seasonal_spread`` and ``spread_tree_values`` arithmetic is pure; the other functions write
through ``writes`` (validated, audited, version-checked).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.periods import Period, months_in, parse_period
from salesboard.goals.tree import DIMENSIONS, SCOPE_DIMENSION
from salesboard.goals.validation import GoalDraft, GoalError, as_target, parse_goal_period
from salesboard.goals.writes import (
    create_goal,
    descendant_ids,
    existing_goal,
    load_goal,
    require_goal_editor,
    update_goal,
)
from salesboard.store.models import MONEY_METRICS, Goal, GoalMetric
from salesboard.store.tables import GOAL

# --- split -----------------------------------------------------------------------------------


def target_step(metric: str) -> Decimal:
    """Rounding step of split and spread targets: 1 yuan (100 minor units) for money, whole
    numbers for counts, 0.1 working day for cycle days."""
    if metric in MONEY_METRICS:
        return Decimal(100)
    if metric == GoalMetric.CYCLE_DAYS:
        return Decimal("0.1")
    return Decimal(1)


@dataclass(frozen=True)
class SplitPlan:
    """Targets of a split, and what is left of the parent (negative = over-allocated)."""

    targets: tuple[Decimal, ...]
    allocated: Decimal
    remainder: Decimal
    share_total: Decimal | None = None  # sum of the percentages (percent mode)


def plan_split(
    total: Decimal | float, values: Sequence[Decimal | float | None], mode: str, step: Decimal
) -> SplitPlan:
    """Split ``total`` over parts given as percentages (``mode`` "percent") or amounts
    ("amount"); a part left empty gets 0. Percent parts are rounded to ``step``; the
    remainder is what the parts leave of ``total``."""
    if mode not in ("percent", "amount"):
        raise GoalError("mode", "bad_mode", f"split by percent or amount, not {mode!r}")
    total = Decimal(str(total))
    parts = []
    for i, value in enumerate(values):
        number = (
            Decimal(0)
            if value is None or (isinstance(value, float) and math.isnan(value))
            else as_target(value, f"part {i + 1}")
        )
        parts.append(number)
    if mode == "percent":
        targets = tuple(
            (total * p / 100 / step).quantize(Decimal(1), ROUND_HALF_UP) * step for p in parts
        )
        share_total = sum(parts, Decimal(0))
    else:
        targets = tuple(parts)
        share_total = None
    allocated = sum(targets, Decimal(0))
    return SplitPlan(targets, allocated, total - allocated, share_total)


@dataclass(frozen=True)
class SplitPart:
    """One child of a split: an existing goal (``goal_id``) or a new one with its dimension
    (``dimension_id``: the product line, region, team or rep id of ``scope``)."""

    scope: str
    dimension_id: int
    value: Decimal | float | None
    goal_id: int | None = None
    owner_id: int | None = None


def split_goal(
    session: Session, actor: Viewer, parent_id: int, parts: Sequence[SplitPart], mode: str
) -> SplitPlan:
    """Set the targets of ``parent_id``'s children from percentages or amounts: existing
    children are updated, missing ones created under the parent. Parts left empty are not
    touched. Returns the plan (with the remainder left unallocated)."""
    require_goal_editor(actor)
    parent = load_goal(session, parent_id)
    plan = plan_split(
        Decimal(parent.target), [p.value for p in parts], mode, target_step(parent.metric)
    )
    for part, target in zip(parts, plan.targets, strict=True):
        if part.value is None:
            continue
        if part.goal_id is not None:
            child = load_goal(session, part.goal_id)
            if child.parent_id != parent_id:
                raise GoalError(
                    "parent_id", "not_a_child", f"goal {child.id} is not under {parent_id}"
                )
            changes: dict[str, Any] = {"target": target}
            if part.owner_id is not None:
                changes["owner_id"] = part.owner_id
            update_goal(session, actor, child.id, child.version, **changes)
        else:
            dims = {d: getattr(parent, d) for d in DIMENSIONS}
            dims[SCOPE_DIMENSION[part.scope]] = part.dimension_id
            create_goal(
                session,
                actor,
                GoalDraft(
                    period=parent.period, metric=parent.metric, scope=part.scope, target=target,
                    parent_id=parent_id, owner_id=part.owner_id, **dims,
                ),
            )  # fmt: skip
    return plan


# --- seasonal spread -------------------------------------------------------------------------


def seasonal_spread(
    total: Decimal | float, weights: Sequence[float], step: Decimal
) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` (e.g. 8 %, 8 %, 9 % …) in multiples of
    ``step``, by largest remainder, so the parts add up to ``total`` exactly (when ``total``
    is a multiple of ``step``; otherwise the last part takes the odd bit)."""
    if not weights or any(w is None or w < 0 for w in weights):
        raise GoalError("weights", "bad_weights", "weights must be numbers, none negative")
    scale = sum(Decimal(str(w)) for w in weights)
    if scale == 0:
        raise GoalError("weights", "bad_weights", "the weights add up to 0")
    total = Decimal(str(total))
    units = int((total / step).to_integral_value(rounding="ROUND_FLOOR"))
    raw = [Decimal(str(w)) / scale * units for w in weights]
    parts = [int(r) for r in raw]
    short = units - sum(parts)
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - parts[i]), i))
    for i in order[:short]:
        parts[i] += 1
    values = [p * step for p in parts]
    values[-1] += total - units * step
    return values


def spread_tree_values(
    nodes: Sequence[tuple[int, int | None, Decimal]], weights: Sequence[float], step: Decimal
) -> dict[int, list[Decimal]]:
    """Monthly values of a goal subtree ``(id, parent_id, target)`` (parents first): each
    leaf is spread by ``weights``; a parent whose children add up to it gets the sum of their
    months (so every month's tree adds up too), any other parent is spread itself."""
    children: dict[int, list[int]] = {}
    target = {n: Decimal(t) for n, _, t in nodes}
    for node, parent, _ in nodes:
        if parent in target:
            children.setdefault(parent, []).append(node)
    values: dict[int, list[Decimal]] = {}
    for node, _, _ in reversed(list(nodes)):
        kids = children.get(node, [])
        if kids and sum(target[k] for k in kids) == target[node]:
            values[node] = [
                sum(col, Decimal(0)) for col in zip(*(values[k] for k in kids), strict=True)
            ]
        else:
            values[node] = seasonal_spread(target[node], weights, step)
    return values


def _upsert(
    session: Session, actor: Viewer, like: Goal, period: str, parent_id: int | None, target: Decimal
) -> Goal:
    dims = {d: getattr(like, d) for d in DIMENSIONS}
    found = existing_goal(session, period, like.metric, like.scope, dims)
    if found is not None:
        return update_goal(
            session, actor, found.id, found.version, target=target, parent_id=parent_id
        )
    return create_goal(
        session, actor,
        GoalDraft(period=period, metric=like.metric, scope=like.scope, target=target,
                  parent_id=parent_id, owner_id=like.owner_id, **dims),
    )  # fmt: skip


def spread_goal(
    session: Session,
    actor: Viewer,
    goal_id: int,
    weights: Sequence[float],
    *,
    with_quarters: bool = True,
) -> int:
    """Spread a year (or quarter) goal and its whole subtree over its months by ``weights``
    (one per month): creates or updates each month's goals, linked into each month's tree,
    and for a year also the quarters as sums of their months. Returns goals written."""
    require_goal_editor(actor)
    top = load_goal(session, goal_id)
    period = parse_period(top.period)
    months = months_in(period)
    if period.kind == "month":
        raise GoalError("period", "spread_month", "a month goal has nothing to spread over")
    if len(weights) != len(months):
        raise GoalError("weights", "weights_count", f"{len(months)} weights needed, got {len(weights)}",
                        count=len(months))  # fmt: skip
    subtree = [top.id, *descendant_ids(session, top.id)]
    goals = {g.id: g for g in session.execute(select(Goal).where(Goal.id.in_(subtree))).scalars()}
    ordered = [
        (g, goals[g].parent_id if goals[g].parent_id in goals else None, Decimal(goals[g].target))
        for g in subtree
    ]
    monthly = spread_tree_values(ordered, weights, target_step(top.metric))
    buckets: list[tuple[Period, list[int]]] = [(m, [i]) for i, m in enumerate(months)]
    if with_quarters and period.kind == "year":
        buckets += [
            (parse_period(f"{period.start.year}Q{q + 1}"), [3 * q, 3 * q + 1, 3 * q + 2])
            for q in range(4)
        ]
    written = 0
    for sub_period, index in buckets:
        made: dict[int, int] = {}
        for node, parent, _ in ordered:
            like = goals[node]
            if parent is not None:
                parent_id = made[parent]
            else:
                above = session.get(Goal, like.parent_id) if like.parent_id else None
                twin = (
                    existing_goal(
                        session,
                        sub_period.label,
                        like.metric,
                        above.scope,
                        {d: getattr(above, d) for d in DIMENSIONS},
                    )
                    if above
                    else None
                )
                parent_id = twin.id if twin else None
            value = sum((monthly[node][i] for i in index), Decimal(0))
            made[node] = _upsert(session, actor, like, sub_period.label, parent_id, value).id
            written += 1
    return written


# --- copy last period ------------------------------------------------------------------------


def copy_structure(
    session: Session,
    actor: Viewer,
    metric: str,
    source_period: str,
    target_period: str,
    growth: Decimal | float = 0,
) -> int:
    """Copy ``source_period``'s goal tree of ``metric`` (scopes, dimensions, owners) into
    ``target_period``, targets × (1 + ``growth``); refuses when the target period already has
    goals of the metric. Returns the number of goals created."""
    require_goal_editor(actor)
    source = parse_goal_period(source_period).label
    target = parse_goal_period(target_period).label
    if source == target:
        raise GoalError("period", "same_period", "copy to another period")
    existing = session.execute(
        select(GOAL.c.id).where(GOAL.c.period == target, GOAL.c.metric == metric).limit(1)
    ).scalar()
    if existing is not None:
        raise GoalError(
            "period", "target_has_goals", f"{target} already has {metric} goals", period=target
        )
    rows = (
        session.execute(
            select(Goal).where(Goal.period == source, Goal.metric == metric).order_by(Goal.id)
        )
        .scalars()
        .all()
    )
    if not rows:
        raise GoalError("period", "source_empty", f"{source} has no {metric} goals", period=source)
    factor = 1 + Decimal(str(growth))
    by_id = {g.id: g for g in rows}
    made: dict[int, int] = {}
    pending = list(rows)
    while pending:  # parents before children, whatever the ids
        ready = [
            g
            for g in pending
            if g.parent_id is None or g.parent_id not in by_id or g.parent_id in made
        ]
        for goal in ready:
            copy = create_goal(
                session, actor,
                GoalDraft(
                    period=target, metric=metric, scope=goal.scope,
                    target=as_target(Decimal(goal.target) * factor),
                    parent_id=made.get(goal.parent_id), owner_id=goal.owner_id,
                    **{d: getattr(goal, d) for d in DIMENSIONS},
                ),
            )  # fmt: skip
            made[goal.id] = copy.id
        pending = [g for g in pending if g.id not in made]
        if not ready:
            break
    return len(made)
