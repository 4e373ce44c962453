"""The sample companies several test files share, each small enough to work every answer out
by hand and each made of ``tests.builders``: ``goals`` (the seed's revenue tree of 2026Q4),
``pipeline`` (seven deals around the 2026 Spring Festival), ``importing`` (the company the
spreadsheet imports resolve names against) and ``feedback`` (a team and one rep's October)."""
