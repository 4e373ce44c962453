"""The store, the bottom layer: nothing here imports another Salesboard package.

- ``settings``: every ``SALESBOARD_*`` variable, read once;
- ``db``: the one engine/session factory (SQLite WAL, foreign keys, busy timeout,
  ``BEGIN IMMEDIATE`` for writes; the same code on PostgreSQL);
- ``models/``: the tables, one module per area (money in integer minor units);
- ``schema`` and ``migrations/``: Alembic, so an existing store upgrades in place;
- ``queries`` (rows to frames, ISO dates, IN-list slices) and ``filters``
  (``OpportunityFilter``, the conditions every deal query composes);
- ``reference_data``: the default stages and settings; ``backup``: backup and restore.
"""
