"""Creating and changing goals: validated, audited, with optimistic concurrency.

Rules (each failure is a ``GoalError`` naming the field):
- targets are finite and not negative; the period label is a month, quarter or year;
- a goal's scope fixes its dimensions: a product-line goal names a product line, a region
  goal a region, a team goal a team (its region follows from the team), a rep goal a rep
  (their team and region follow); nothing deeper than its scope;
- a child has its parent's metric and period, a deeper scope, and every dimension of its
  parent (a region under 产品A is 产品A's region); no goal is its own ancestor;
- one goal per period, metric, scope and dimensions.
Only leaders and admins change goals (``Viewer.can_edit_goals``). Every write records an
audit entry in the same transaction; an update or delete with a stale ``version`` fails.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import PermissionDenied, Viewer, require
from salesboard.calendar.periods import Period, months_in, parse_period
from salesboard.goals.tree import DIMENSIONS, METRIC_DIMENSIONS, SCOPE_DIMENSION, SCOPE_ORDER
from salesboard.store.models import (
    MONEY_METRICS,
    Goal,
    GoalMetric,
    ProductLine,
    Region,
    Team,
    User,
)

GOAL = Goal.__table__
# Targets are stored with 4 decimals (Numeric(20, 4)).
QUANTUM = Decimal("0.0001")
EDITABLE_FIELDS = ("target", "owner_id", "parent_id", *DIMENSIONS, "scope")


class GoalError(ValueError):
    """A goal change that breaks a rule: ``field`` names the input, ``code`` the rule (for
    translation as ``goals.error.<code>``), ``values`` fill its message."""

    def __init__(self, field: str, code: str, message: str, **values: Any) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.code = code
        self.values = values


class GoalConflict(GoalError):
    """Someone else changed the goal since it was loaded (its version moved on)."""


@dataclass(frozen=True)
class GoalDraft:
    """What a goal should be; ids of the product line, region, team and rep it covers."""

    period: str
    metric: str
    scope: str
    target: Decimal
    parent_id: int | None = None
    product_line_id: int | None = None
    region_id: int | None = None
    team_id: int | None = None
    user_id: int | None = None
    owner_id: int | None = None

    def dims(self) -> dict[str, int | None]:
        """The four dimensions by column name."""
        return {d: getattr(self, d) for d in DIMENSIONS}


def as_target(value: Any, field_name: str = "target") -> Decimal:
    """``value`` as a stored target (4 decimals); GoalError when it is not a finite number
    or is negative."""
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise GoalError(
            field_name, "not_a_number", f"{value!r} is not a number", value=value
        ) from None
    if not number.is_finite():
        raise GoalError(field_name, "not_a_number", f"{value!r} is not a number", value=value)
    if number < 0:
        shown = f"{number.normalize():f}"
        raise GoalError(
            field_name, "negative", f"a target cannot be negative (got {shown})", value=shown
        )
    return number.quantize(QUANTUM, rounding=ROUND_HALF_UP)


def _require_editor(actor: Viewer) -> None:
    require(actor.can_edit_goals, "goals.edit", "only leaders and admins change goals")


def goal_values(goal: Goal) -> dict[str, Any]:
    """The audited fields of ``goal``."""
    return {
        "period": goal.period,
        "metric": goal.metric,
        "scope": goal.scope,
        "parent_id": goal.parent_id,
        **{d: getattr(goal, d) for d in DIMENSIONS},
        "owner_id": goal.owner_id,
        "target": Decimal(goal.target),
    }


# --- validation ------------------------------------------------------------------------------


def _period(label: str) -> Period:
    try:
        return parse_period(label)
    except ValueError:
        raise GoalError(
            "period", "bad_period", f"{label!r} is not 2026-10, 2026Q4 or 2026", period=label
        ) from None


def _exists(session: Session, model, value: int | None, field_name: str) -> None:
    if value is not None and session.get(model, value) is None:
        raise GoalError(field_name, "unknown", f"no such {field_name} ({value})", value=value)


def validate(session: Session, draft: GoalDraft, goal_id: int | None = None) -> GoalDraft:
    """``draft`` checked against every rule, with the region of a team and the team of a rep
    filled in; raises GoalError naming the first field that is wrong."""
    target = as_target(draft.target)
    if draft.metric not in set(GoalMetric):
        raise GoalError(
            "metric", "bad_metric", f"unknown metric {draft.metric!r}", value=draft.metric
        )
    if draft.scope not in SCOPE_ORDER:
        raise GoalError("scope", "bad_scope", f"unknown scope {draft.scope!r}", value=draft.scope)
    period = _period(draft.period)
    draft = replace(draft, target=target, period=period.label)
    draft = _fill_dimensions(session, draft)
    _check_dimensions(draft)
    _exists(session, User, draft.owner_id, "owner_id")
    if draft.parent_id is not None:
        _check_parent(session, draft, goal_id)
    _check_unique(session, draft, goal_id)
    return draft


def _fill_dimensions(session: Session, draft: GoalDraft) -> GoalDraft:
    """The team of a rep goal and the region of a team goal follow from the rep and team."""
    _exists(session, ProductLine, draft.product_line_id, "product_line_id")
    _exists(session, Region, draft.region_id, "region_id")
    if draft.user_id is not None:
        user = session.get(User, draft.user_id)
        if user is None:
            raise GoalError(
                "user_id", "unknown", f"no such user_id ({draft.user_id})", value=draft.user_id
            )
        if user.team_id is None:
            raise GoalError(
                "user_id", "no_team", f"{user.username} belongs to no team", name=user.username
            )
        if draft.team_id is not None and draft.team_id != user.team_id:
            raise GoalError(
                "team_id",
                "rep_team",
                f"{user.username} is not in team {draft.team_id}",
                name=user.username,
            )
        draft = replace(draft, team_id=user.team_id)
    if draft.team_id is not None:
        team = session.get(Team, draft.team_id)
        if team is None:
            raise GoalError(
                "team_id", "unknown", f"no such team_id ({draft.team_id})", value=draft.team_id
            )
        if draft.region_id is not None and draft.region_id != team.region_id:
            raise GoalError(
                "region_id",
                "team_region",
                f"team {team.name} is not in region {draft.region_id}",
                name=team.name,
            )
        draft = replace(draft, region_id=team.region_id)
    return draft


def _check_dimensions(draft: GoalDraft) -> None:
    depth = SCOPE_ORDER[draft.scope]
    own = SCOPE_DIMENSION.get(draft.scope)
    if own and getattr(draft, own) is None:
        raise GoalError(own, "required", f"a {draft.scope} goal needs {own}", scope=draft.scope)
    deeper = [d for s, d in SCOPE_DIMENSION.items() if SCOPE_ORDER[s] > depth]
    for name in deeper:
        if getattr(draft, name) is not None:
            raise GoalError(
                name, "too_deep", f"a {draft.scope} goal cannot name {name}", scope=draft.scope
            )
    if (
        draft.product_line_id is not None
        and "product_line_id" not in METRIC_DIMENSIONS[draft.metric]
    ):
        raise GoalError(
            "product_line_id", "no_product_line", f"{draft.metric} goals are not split by product line",
            metric=draft.metric,
        )  # fmt: skip


def ancestor_ids(session: Session, goal_id: int) -> list[int]:
    """Ids above ``goal_id`` (parent first), stopping at a repeat so a bad cycle ends."""
    chain, seen, current = [], {goal_id}, goal_id
    while True:
        parent = session.execute(select(GOAL.c.parent_id).where(GOAL.c.id == current)).scalar()
        if parent is None or parent in seen:
            return chain
        chain.append(parent)
        seen.add(parent)
        current = parent


def _check_parent(session: Session, draft: GoalDraft, goal_id: int | None) -> None:
    parent = session.get(Goal, draft.parent_id)
    if parent is None:
        raise GoalError(
            "parent_id",
            "unknown",
            f"no such parent goal ({draft.parent_id})",
            value=draft.parent_id,
        )
    if goal_id is not None and (
        parent.id == goal_id or goal_id in ancestor_ids(session, parent.id)
    ):
        raise GoalError(
            "parent_id", "cycle", f"goal {parent.id} lies under goal {goal_id}: that would be a cycle",
            parent=parent.id, goal=goal_id,
        )  # fmt: skip
    if parent.metric != draft.metric:
        raise GoalError(
            "metric", "parent_metric", f"the parent measures {parent.metric}", parent=parent.metric
        )
    if parent.period != draft.period:
        raise GoalError(
            "period", "parent_period", f"the parent's period is {parent.period}, not {draft.period}",
            parent=parent.period, period=draft.period,
        )  # fmt: skip
    if SCOPE_ORDER[parent.scope] >= SCOPE_ORDER[draft.scope]:
        raise GoalError(
            "scope", "parent_scope", f"a {draft.scope} goal cannot sit under a {parent.scope} goal",
            scope=draft.scope, parent=parent.scope,
        )  # fmt: skip
    for name in DIMENSIONS:
        above = getattr(parent, name)
        if above is not None and getattr(draft, name) != above:
            raise GoalError(
                name, "parent_dimension", f"the parent covers {name} {above}", value=above
            )


def _check_unique(session: Session, draft: GoalDraft, goal_id: int | None) -> None:
    query = select(GOAL.c.id).where(
        GOAL.c.period == draft.period, GOAL.c.metric == draft.metric, GOAL.c.scope == draft.scope
    )
    for name, value in draft.dims().items():
        column = GOAL.c[name]
        query = query.where(column.is_(None) if value is None else column == value)
    if goal_id is not None:
        query = query.where(GOAL.c.id != goal_id)
    other = session.execute(query.limit(1)).scalar()
    if other is not None:
        raise GoalError("scope", "duplicate", f"goal {other} already covers this", goal=other)


# --- writes ----------------------------------------------------------------------------------


def create_goal(session: Session, actor: Viewer, draft: GoalDraft) -> Goal:
    """Validate and add one goal (audited); returns it with its id."""
    _require_editor(actor)
    draft = validate(session, draft)
    period = parse_period(draft.period)
    goal = Goal(
        period=period.label,
        period_start=period.start,
        period_end=period.end,
        metric=draft.metric,
        scope=draft.scope,
        parent_id=draft.parent_id,
        product_line_id=draft.product_line_id,
        region_id=draft.region_id,
        team_id=draft.team_id,
        user_id=draft.user_id,
        owner_id=draft.owner_id,
        target=draft.target,
    )
    session.add(goal)
    session.flush()
    audit.record(
        session, actor, action="create", entity="goal", entity_id=goal.id,
        summary=f"{goal.period} {goal.metric} {goal.scope} = {draft.target}", new=goal_values(goal),
    )  # fmt: skip
    return goal


def _draft_of(goal: Goal) -> GoalDraft:
    return GoalDraft(
        period=goal.period,
        metric=goal.metric,
        scope=goal.scope,
        target=Decimal(goal.target),
        parent_id=goal.parent_id,
        owner_id=goal.owner_id,
        **{d: getattr(goal, d) for d in DIMENSIONS},
    )


def _load(session: Session, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise GoalError("id", "gone", f"goal {goal_id} no longer exists", goal=goal_id)
    return goal


def update_goal(
    session: Session, actor: Viewer, goal_id: int, seen_version: int, **changes: Any
) -> Goal:
    """Change fields of a goal (``target``, ``owner_id``, ``parent_id``, dimensions, scope)
    if nobody changed it since ``seen_version``; validated and audited."""
    _require_editor(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise GoalError(sorted(unknown)[0], "not_editable", "cannot be changed here")
    goal = _load(session, goal_id)
    old = goal_values(goal)
    draft = validate(session, replace(_draft_of(goal), **changes), goal_id=goal_id)
    new = dict(goal_values(goal))
    new.update(
        {k: getattr(draft, k) for k in ("target", "owner_id", "parent_id", "scope", *DIMENSIONS)}
    )
    before, after = audit.changed_fields(old, new)
    if not after:
        return goal
    result = session.execute(
        update(GOAL)
        .where(GOAL.c.id == goal_id, GOAL.c.version == seen_version)
        .values(**after, version=GOAL.c.version + 1)
    )
    if result.rowcount == 0:
        raise GoalConflict(
            "version", "conflict", f"goal {goal_id} was changed by someone else", goal=goal_id
        )
    session.expire(goal)
    audit.record(
        session, actor, action="update", entity="goal", entity_id=goal_id,
        summary=f"{goal.period} {goal.metric} {goal.scope}", old=before, new=after,
    )  # fmt: skip
    return goal


def descendant_ids(session: Session, goal_id: int) -> list[int]:
    """Every goal below ``goal_id`` (breadth first)."""
    found, frontier = [], [goal_id]
    while frontier:
        kids = (
            session.execute(select(GOAL.c.id).where(GOAL.c.parent_id.in_(frontier))).scalars().all()
        )
        kids = [k for k in kids if k not in found and k != goal_id]
        found.extend(kids)
        frontier = kids
    return found


def delete_goal(
    session: Session, actor: Viewer, goal_id: int, seen_version: int, *, with_children: bool = False
) -> int:
    """Delete a goal (and, if asked, everything below it); returns how many were deleted.
    A goal with sub-goals is only deleted with ``with_children``."""
    _require_editor(actor)
    goal = _load(session, goal_id)
    if goal.version != seen_version:
        raise GoalConflict(
            "version", "conflict", f"goal {goal_id} was changed by someone else", goal=goal_id
        )
    below = descendant_ids(session, goal_id)
    if below and not with_children:
        raise GoalError(
            "id", "has_children", f"goal {goal_id} has {len(below)} sub-goals", count=len(below)
        )
    for child in reversed(below):  # deepest first: foreign keys point upwards
        session.delete(session.get(Goal, child))
        session.flush()
    old = goal_values(goal)
    session.delete(goal)
    session.flush()
    audit.record(
        session, actor, action="delete", entity="goal", entity_id=goal_id,
        summary=f"{old['period']} {old['metric']} {old['scope']} and {len(below)} below",
        old={**old, "deleted_below": below},
    )  # fmt: skip
    return 1 + len(below)


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
    _require_editor(actor)
    parent = _load(session, parent_id)
    plan = plan_split(
        Decimal(parent.target), [p.value for p in parts], mode, target_step(parent.metric)
    )
    for part, target in zip(parts, plan.targets, strict=True):
        if part.value is None:
            continue
        if part.goal_id is not None:
            child = _load(session, part.goal_id)
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


def _find(
    session: Session, period: str, metric: str, scope: str, dims: Mapping[str, Any]
) -> Goal | None:
    query = select(Goal).where(Goal.period == period, Goal.metric == metric, Goal.scope == scope)
    for name, value in dims.items():
        column = getattr(Goal, name)
        query = query.where(column.is_(None) if value is None else column == value)
    return session.execute(query).scalars().first()


def _upsert(
    session: Session, actor: Viewer, like: Goal, period: str, parent_id: int | None, target: Decimal
) -> Goal:
    dims = {d: getattr(like, d) for d in DIMENSIONS}
    found = _find(session, period, like.metric, like.scope, dims)
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
    _require_editor(actor)
    top = _load(session, goal_id)
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
                    _find(
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
    _require_editor(actor)
    source = _period(source_period).label
    target = _period(target_period).label
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


# --- table edits -----------------------------------------------------------------------------


@dataclass
class EditOutcome:
    """What ``apply_table_edits`` did: goals changed, and the errors by row."""

    changed: list[int] = field(default_factory=list)
    errors: list[tuple[int, GoalError]] = field(default_factory=list)


def apply_table_edits(
    session: Session,
    actor: Viewer,
    rows: Sequence[Mapping[str, Any]],
    edited_rows: Mapping[int | str, Mapping[str, Any]],
    *,
    scale: float = 1.0,
) -> EditOutcome:
    """Turn ``st.data_editor``'s ``edited_rows`` ({row position: {column: new value}}) over
    the shown ``rows`` (each with ``id``, ``version``) into goal updates. ``target`` values
    are in display units: stored = value × ``scale``. All or nothing: any error and nothing
    is changed (the caller's transaction rolls back on the raised error)."""
    outcome = EditOutcome()
    for position, change in sorted(edited_rows.items(), key=lambda kv: int(kv[0])):
        row = rows[int(position)]
        changes: dict[str, Any] = {}
        if "target" in change:
            value = change["target"]
            if value is None:
                outcome.errors.append(
                    (int(position), GoalError("target", "required", "a target is needed"))
                )
                continue
            try:
                # Checked as typed (display units), so a message quotes what the user entered.
                changes["target"] = as_target(as_target(value) * Decimal(str(scale)))
            except GoalError as error:
                outcome.errors.append((int(position), error))
                continue
        if "owner_id" in change:
            changes["owner_id"] = change["owner_id"]
        if not changes:
            continue
        try:
            update_goal(session, actor, int(row["id"]), int(row["version"]), **changes)
            outcome.changed.append(int(row["id"]))
        except GoalError as error:
            outcome.errors.append((int(position), error))
    return outcome


def existing_goal(
    session: Session, period: str, metric: str, scope: str, dims: Mapping[str, Any]
) -> Goal | None:
    """The goal of ``period``/``metric``/``scope`` with exactly ``dims``, if any."""
    return _find(session, period, metric, scope, dims)


__all__ = [
    "EditOutcome",
    "GoalConflict",
    "GoalDraft",
    "GoalError",
    "PermissionDenied",
    "SplitPart",
    "SplitPlan",
    "apply_table_edits",
    "as_target",
    "copy_structure",
    "create_goal",
    "delete_goal",
    "plan_split",
    "seasonal_spread",
    "split_goal",
    "spread_goal",
    "spread_tree_values",
    "update_goal",
    "validate",
]
