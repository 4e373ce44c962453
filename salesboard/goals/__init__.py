"""Goals: the decomposition tree (company → product line → region → team → rep), actuals
rolled up to every node, attainment against the time elapsed, the decomposition check,
goal setting, forecast and leaderboard.

Where things live:
- the tree: pure functions over frames in ``tree``; SQL in ``queries``; the assembled,
  viewer-aware tree in ``view``; wording and exports in ``present`` and ``report``; number
  formats in ``format``; figures in ``charts``;
- goal setting: the rules a goal draft must pass in ``validation``; create / update / delete
  (audited, version-checked) in ``writes``; split, seasonal spread and copy of a period in
  ``allocation``; the goal table's edited rows in ``table_edits``; the read side of the
  setup page in ``planning``; the XLSX template in ``template``;
- forecast: run-rate and weighted pipeline in ``forecast``, its back-test in ``backtest``,
  the monthly trend in ``trend``; the ranking of reps and teams in ``leaderboard``.
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
