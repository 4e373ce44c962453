"""The figures several pages and reports show, each computed by one function with one rule
for whose rows count (the viewer's sight) and which days count (the period, through the
"as of" date), so a number reads the same on every page:

- ``facts``: what each goal metric counts (won amount, collections, new customers, visits,
  cycle days), grouped by the goal dimensions;
- ``attainment``: a viewer's (or a rep's, a team's) attainment over their own goal nodes
  (``goal_nodes``: whose goals, the top ones, which facts fall under them);
- ``sales``: won amount and count, win rate, open pipeline, key-action completion and
  on-time rate, proposals submitted;
- ``comparison``: "vs previous period" over the same number of working days.

Features (goals, feedback, pipeline) and the Overview call these; none computes its own.
"""
