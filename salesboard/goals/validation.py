"""Validation of a goal draft: what a goal should be (``GoalDraft``), the errors that name the
field (``GoalError``, ``GoalConflict``) and the rules every write checks first.

Rules (each failure is a ``GoalError`` naming the field):
- targets are finite and not negative; the period label is a month, quarter or year;
- a goal's scope fixes its dimensions: a product-line goal names a product line, a region
  goal a region, a team goal a team (its region follows from the team), a rep goal a rep
  (their team and region follow); nothing deeper than its scope;
- a child has its parent's metric and period, a deeper scope, and every dimension of its
  parent (a region under 产品A is 产品A's region); no goal is its own ancestor;
- one goal per period, metric, scope and dimensions.

The writes that apply these rules live in ``writes`` (one goal), ``allocation`` (split,
seasonal spread, copy of a period) and ``table_edits`` (the goal table's edited rows).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from salesboard.calendar.periods import Period, parse_period
from salesboard.goals.tree import DIMENSIONS, METRIC_DIMENSIONS, SCOPE_DIMENSION, SCOPE_ORDER
from salesboard.store.models import Goal, GoalMetric, ProductLine, Region, Team, User
from salesboard.store.tables import GOAL

# Targets are stored with 4 decimals (Numeric(20, 4)).
QUANTUM = Decimal("0.0001")


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


def parse_goal_period(label: str) -> Period:
    """The period of a label such as 2026-10, 2026Q4 or 2026; GoalError naming ``period``
    otherwise."""
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
    period = parse_goal_period(draft.period)
    draft = replace(draft, target=target, period=period.label)
    draft = fill_dimensions(session, draft)
    _check_dimensions(draft)
    _exists(session, User, draft.owner_id, "owner_id")
    if draft.parent_id is not None:
        _check_parent(session, draft, goal_id)
    _check_unique(session, draft, goal_id)
    return draft


# The dimension a narrower one decides, in order: a rep's team, then that team's region.
# Per dimension: its table, the column naming a row, the field it fills, and the refusal
# when the draft names another.
_DECIDES = (
    ("user_id", User, "username", "team_id", "rep_team", "{name} is not in team {given}"),
    ("team_id", Team, "name", "region_id", "team_region", "team {name} is not in region {given}"),
)


def fill_dimensions(session: Session, draft: GoalDraft) -> GoalDraft:
    """``draft`` with its team and region filled in: the team of a rep goal and the region of
    a team goal follow from the rep and team (GoalError when they contradict the draft)."""
    _exists(session, ProductLine, draft.product_line_id, "product_line_id")
    _exists(session, Region, draft.region_id, "region_id")
    for field, model, name_attr, fills, code, message in _DECIDES:
        value = getattr(draft, field)
        if value is None:
            continue
        row = session.get(model, value)
        if row is None:
            raise GoalError(field, "unknown", f"no such {field} ({value})", value=value)
        name, decided, given = getattr(row, name_attr), getattr(row, fills), getattr(draft, fills)
        if decided is None:  # a rep in no team (every team has a region)
            raise GoalError(field, "no_team", f"{name} belongs to no team", name=name)
        if given is not None and given != decided:
            raise GoalError(fills, code, message.format(name=name, given=given), name=name)
        draft = replace(draft, **{fills: decided})
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
