"""The weekly pipeline review (issue 3): funnel with comparisons and drill-down, stage
durations against their standards, the overdue table and its edits, what changed since last
week, common risks, stage KPIs against thresholds, the exported report and stage settings.

Every function returning business rows takes a ``viewer`` and narrows its filter with
``salesboard.access.scoped_filter`` inside the query; every write takes an ``actor``.
"""
