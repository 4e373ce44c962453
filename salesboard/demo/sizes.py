"""How big the demo company is, its money units, and the two facts the tests and the demo
story rely on: the one misaligned goal and the team that clearly outperforms."""

from __future__ import annotations

from dataclasses import dataclass

from salesboard.store import models as m

YUAN = 100  # minor units (分) per yuan
WAN_YUAN = 10_000 * YUAN  # goal targets are whole 万元


@dataclass(frozen=True)
class DemoSize:
    """How big the demo company is; counts are rows, ``visits_per_opportunity`` a mean.

    ``chunk`` (deals) makes the generation stream: deals and their stage history, key
    actions, visits and collections are generated and written that many at a time, so
    memory stays bounded whatever the size. ``key_action_months`` keeps key actions to the
    deals created in that many months before ``today`` (None: every deal has them)."""

    teams_per_region: tuple[int, int, int]  # south, east, north
    reps: int
    customers: int
    opportunities: int
    actions_per_stage: int
    visits_per_opportunity: float
    leads_per_rep: int | None = None  # None: the leads module's default
    chunk: int | None = None
    key_action_months: int | None = None


SIZES: dict[str, DemoSize] = {
    "small": DemoSize((2, 1, 1), 12, 150, 400, 2, 2.0),
    "default": DemoSize((2, 1, 1), 25, 2_000, 8_000, 2, 2.5),
    "large": DemoSize((4, 4, 4), 120, 250_000, 1_000_000, 1, 0.5, leads_per_rep=1000),
    # PostgreSQL only (COPY, streamed in chunks). ``large`` ×10 in deals (≈35M stage-history
    # rows); customers ×4 (10 deals each: the generated company names run out near 460,000
    # a region); teams ×2 and reps ×5 (≈400 deals a rep a year, ``large`` ×2). Bounded so
    # the load fits 15 minutes: key actions only for the deals of the last six months (≈7M
    # rows instead of ≈35M: they drive the next step and the weekly review, both about
    # recent deals), half the visits per deal of ``large`` (≈3.5M), 200 leads a rep.
    "xl": DemoSize(
        (8, 8, 8),
        600,
        1_000_000,
        10_000_000,
        1,
        0.25,
        leads_per_rep=200,
        chunk=500_000,
        key_action_months=6,
    ),  # fmt: skip
}
# Sizes only PostgreSQL takes (``generate`` refuses them on SQLite).
POSTGRES_ONLY = frozenset({"xl"})


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
