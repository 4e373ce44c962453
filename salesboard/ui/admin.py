"""Small Streamlit helpers for the admin pages (users, audit log, account): run a write and
report the outcome in the user's language, show UTC stamps in the company's time zone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import streamlit as st
from sqlmodel import Session

from salesboard.accounts import auth, users
from salesboard.accounts.access import PermissionDenied
from salesboard.accounts.audit_search import company_zone
from salesboard.ui import refuse, tr, writing
from salesboard.ui.markdown import escape_markdown

_FLASH_KEY = "_admin_flash"


def local_time(stamp: datetime | None) -> str:
    """A UTC stamp as "YYYY-MM-DD HH:MM" in the company's time zone ("—" when unknown)."""
    if stamp is None:
        return "—"
    if stamp.tzinfo is None:  # SQLite hands back naive UTC
        stamp = stamp.replace(tzinfo=UTC)
    return stamp.astimezone(company_zone()).strftime("%Y-%m-%d %H:%M")


def error_text(exc: Exception) -> str:
    """The translated message for a refused change."""
    if isinstance(exc, users.UserError):
        return tr(f"users.error.{exc.code}", **exc.params)
    if isinstance(exc, auth.AuthError):
        return tr(f"auth.error.{exc.code}", **exc.params)
    if isinstance(exc, PermissionDenied):
        return tr("access.denied")
    return tr("users.error.refused")


def apply(change: Callable[[Session], Any], done: str) -> bool:
    """Run ``change`` in a write transaction; on success remember ``done`` for the next run
    and rerun, else show the translated error. Returns False when refused."""
    try:
        with writing() as session:
            change(session)
    except (users.UserError, auth.AuthError, PermissionDenied) as exc:
        st.error(escape_markdown(error_text(exc)))
        return False
    except ValueError as exc:  # a reason in English, for the log
        refuse(exc, "users.error.refused")
        return False
    st.session_state[_FLASH_KEY] = done
    st.rerun()
    return True


def show_flash() -> None:
    """Show the outcome of the change made in the previous run, once."""
    done = st.session_state.pop(_FLASH_KEY, None)
    if done:
        st.success(escape_markdown(done))
