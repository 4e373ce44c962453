"""How big the demo company is, its money units, and the two facts the tests and the demo
story rely on: the one misaligned goal and the team that clearly outperforms."""

from __future__ import annotations

from dataclasses import dataclass

from salesboard.store import models as m

YUAN = 100  # minor units (分) per yuan
WAN_YUAN = 10_000 * YUAN  # goal targets are whole 万元


@dataclass(frozen=True)
class DemoSize:
    """How big the demo company is; counts are rows, ``visits_per_opportunity`` a mean."""

    teams_per_region: tuple[int, int, int]  # south, east, north
    reps: int
    customers: int
    opportunities: int
    actions_per_stage: int
    visits_per_opportunity: float


SIZES: dict[str, DemoSize] = {
    "small": DemoSize((2, 1, 1), 12, 150, 400, 2, 2.0),
    "default": DemoSize((2, 1, 1), 25, 2_000, 8_000, 2, 2.5),
    "large": DemoSize((4, 4, 4), 120, 250_000, 1_000_000, 1, 0.5),
}


@dataclass(frozen=True)
class MisalignedGoal:
    """The one goal whose children deliberately do not add up (in ``today``'s quarter):
    its target is ``excess`` above the sum of its teams' targets."""

    metric: str
    scope: str
    product_line_code: str
    region_code: str
    excess: float


MISALIGNED_GOAL = MisalignedGoal(
    metric=m.GoalMetric.REVENUE,
    scope=m.GoalScope.REGION,
    product_line_code="smart_mfg",
    region_code="south",
    excess=0.15,
)
# The team that clearly outperforms (higher win rate, faster cycle).
STRONG_TEAM = "华东销售一组"
