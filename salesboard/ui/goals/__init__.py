"""Streamlit pieces of the goal pages, one module per job.

- ``shared``: the metric picker and the period-and-metric header (in the URL), unit
  captions, number format and pace colours — used by every goal page;
- attainment page: ``drill`` (the drilled goal, breadcrumb, treemap with click-to-drill,
  drill select box), ``attainment`` (tiles, the children's table, downloads),
  ``decomposition_check`` (goals that do not add up or have no owner);
- ``forecast``: the trend & forecast page (goal picker, monthly trend, forecast tiles and
  comparison, back-test, the hour-long cache of the back-test);
- ``leaderboard``: the ranked table of the leaderboard page;
- goal setup page, one module per tab: ``setup_tree`` (edit the tree, delete a goal),
  ``setup_add``, ``setup_split``, ``setup_spread``, ``setup_copy``, ``setup_template``, and
  what they share in ``setup_shared`` (period picker, writes with their outcome, labels).
"""
