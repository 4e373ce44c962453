"""What "today" is: the real date, or ``SALESBOARD_TODAY`` for reproducible demos and tests."""

from __future__ import annotations

from datetime import date

from salesboard.store.settings import get_settings


def today() -> date:
    """The business date the app reports as of."""
    fixed = get_settings().today.strip()
    return date.fromisoformat(fixed) if fixed else date.today()
