"""The weekly pipeline review (issue 3).

- ``deals``: the open-deal frame (input of the overdue rule) and the display columns and
  joins every deal list shares;
- ``funnel`` (cohort and flow, comparisons, drill-down), ``durations`` (stage time against
  the standards, the bottleneck), ``overdue`` (the overdue table, newly overdue, the count),
  ``edits`` (the overdue table's edits with version check and history), ``changes`` (what
  changed since last week), ``risks`` (risk flags and feedback themes), ``kpis`` (stage KPIs
  against thresholds), ``stage_settings``, ``opportunity`` (one deal's detail);
- ``view_filters`` (the filter bar's options and URL codes), ``report`` (XLSX/CSV/JSON/HTML),
  ``charts``.

Every function returning business rows takes a ``viewer`` and narrows its filter with
``accounts.access.scoped_filter`` inside the query; every write takes an ``actor``.
"""
