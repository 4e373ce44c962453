"""Goals: the decomposition tree (company → product line → region → team → rep), actuals
rolled up to every node, attainment against the time elapsed, the decomposition check,
editing, forecast and leaderboard.

Pure functions over frames live in ``tree``; SQL in ``queries``; the assembled, viewer-aware
tree in ``view``; wording and exports in ``present``; figures in ``charts``.
"""

from salesboard.goals.tree import (
    attainment_table,
    decomposition_findings,
    order_tree,
    restrict_to_viewer,
    rollup_facts,
)
from salesboard.goals.view import GoalTreeView, goal_tree

__all__ = [
    "GoalTreeView",
    "attainment_table",
    "decomposition_findings",
    "goal_tree",
    "order_tree",
    "restrict_to_viewer",
    "rollup_facts",
]
