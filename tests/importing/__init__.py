"""Tests of the spreadsheet reading and value-parsing layer (salesboard.importing)."""

from hypothesis import settings

# No example database in the work tree; no per-example deadline (CI machines vary).
settings.register_profile("salesboard", database=None, deadline=None)
settings.load_profile("salesboard")
