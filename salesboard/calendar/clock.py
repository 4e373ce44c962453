"""What "today" is: the date in the company's time zone (``SALESBOARD_TIMEZONE``), or
``SALESBOARD_TODAY`` for reproducible demos and tests. Never the server's own date: a server
in UTC is still on yesterday until 08:00 in Shanghai."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from salesboard.store.settings import get_settings


def now() -> datetime:
    """The current moment, timezone-aware (UTC)."""
    return datetime.now(UTC)


def today() -> date:
    """The business date the app reports as of, in the company's time zone."""
    settings = get_settings()
    fixed = settings.today.strip()
    if fixed:
        return date.fromisoformat(fixed)
    return now().astimezone(ZoneInfo(settings.timezone)).date()


def business_date(moment: datetime) -> date:
    """The company's date of a stored UTC stamp (a naive stamp is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ZoneInfo(get_settings().timezone)).date()
