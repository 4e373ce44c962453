"""Creating, changing and deleting one goal: validated (``validation``), audited in the same
transaction, and with optimistic concurrency (an update or delete with a stale ``version``
raises ``GoalConflict``). Only leaders and admins change goals (``Viewer.can_edit_goals``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from decimal import Decimal
from typing import Any

from sqlalchemy import select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require
from salesboard.calendar.periods import parse_period
from salesboard.goals.tree import DIMENSIONS
from salesboard.goals.validation import GoalConflict, GoalDraft, GoalError, validate
from salesboard.store.models import Goal
from salesboard.store.tables import GOAL

EDITABLE_FIELDS = ("target", "owner_id", "parent_id", *DIMENSIONS, "scope")


def require_goal_editor(actor: Viewer) -> None:
    """PermissionDenied unless ``actor`` may change goals (leaders and admins)."""
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


def create_goal(session: Session, actor: Viewer, draft: GoalDraft) -> Goal:
    """Validate and add one goal (audited); returns it with its id."""
    require_goal_editor(actor)
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


def load_goal(session: Session, goal_id: int) -> Goal:
    """The goal ``goal_id``; GoalError when it was deleted meanwhile."""
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise GoalError("id", "gone", f"goal {goal_id} no longer exists", goal=goal_id)
    return goal


def update_goal(
    session: Session, actor: Viewer, goal_id: int, seen_version: int, **changes: Any
) -> Goal:
    """Change fields of a goal (``target``, ``owner_id``, ``parent_id``, dimensions, scope)
    if nobody changed it since ``seen_version``; validated and audited."""
    require_goal_editor(actor)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise GoalError(sorted(unknown)[0], "not_editable", "cannot be changed here")
    goal = load_goal(session, goal_id)
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
    require_goal_editor(actor)
    goal = load_goal(session, goal_id)
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


def existing_goal(
    session: Session, period: str, metric: str, scope: str, dims: Mapping[str, Any]
) -> Goal | None:
    """The goal of ``period``/``metric``/``scope`` with exactly ``dims``, if any."""
    query = select(Goal).where(Goal.period == period, Goal.metric == metric, Goal.scope == scope)
    for name, value in dims.items():
        column = getattr(Goal, name)
        query = query.where(column.is_(None) if value is None else column == value)
    return session.execute(query).scalars().first()
