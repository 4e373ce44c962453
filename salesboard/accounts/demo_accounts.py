"""The demo company's sign-in (kept with the accounts, so the sign-in screen does not load the
demo generator): one password for every demo user, and one account per role for the sign-in
page to list (only when the store holds the demo)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlmodel import Session

from salesboard.store.models import AppSetting, Role, User

DEMO_PASSWORD = "salesboard"
# The app setting that marks a store as the demo company (its value: when it was made).
DEMO_SETTING = "demo_company"


def demo_day(session: Session) -> date | None:
    """The day the demo company was made as of (its pages' natural "today"), or None when
    the store is not the demo (or the mark carries no day)."""
    row = session.get(AppSetting, DEMO_SETTING)
    try:
        return date.fromisoformat(json.loads(row.value)["today"]) if row is not None else None
    except (ValueError, TypeError, KeyError):
        return None


def demo_accounts(session: Session) -> list[tuple[str, str]]:
    """(username, role) of one demo user per role, or [] when the store is not the demo."""
    if session.get(AppSetting, DEMO_SETTING) is None:
        return []
    accounts = []
    for role in (Role.ADMIN, Role.LEADER, Role.MANAGER, Role.REP, Role.SUPPORT):
        name = session.execute(
            select(User.username).where(User.role == role).order_by(User.id).limit(1)
        ).scalar_one_or_none()
        if name:
            accounts.append((name, str(role)))
    return accounts
