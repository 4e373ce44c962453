"""The customer matrix settings (客户分类矩阵, seed 001), one per company, stored as JSON in
``app_setting`` (key ``customer_matrix``); admins change them, audited:

- ``window_months``: current value = won amount over the trailing window (default 12);
- ``value_threshold_minor``: a customer's current value at or above it is "high" (default
  1,000,000 yuan);
- ``pipeline_threshold_minor``: potential by rule is high when the customer's open pipeline
  is at or above it (default 500,000 yuan) …
- ``high_potential_types``: … or when its customer type is one of these codes (default none);
- ``repurchase_months``: a repurchase is a second won deal within this many months
  (default 12; also the retention look-back).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from datetime import date
from typing import Any

from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.calendar import clock
from salesboard.customers.errors import CustomerError
from salesboard.figures.customers import DEFAULT_MONTHS, SETTING_KEY, months_back
from salesboard.store import customer_totals
from salesboard.store.models import AppSetting

MAX_MONTHS = 60
MAX_MINOR = 10**15  # ten trillion yuan: beyond any customer


@dataclass(frozen=True)
class MatrixSettings:
    """The matrix thresholds and windows (module docstring); money in minor units."""

    window_months: int = DEFAULT_MONTHS
    value_threshold_minor: int = 1_000_000 * 100
    pipeline_threshold_minor: int = 500_000 * 100
    high_potential_types: tuple[str, ...] = ()
    repurchase_months: int = DEFAULT_MONTHS


DEFAULT_SETTINGS = MatrixSettings()


def validate_settings(values: dict[str, Any]) -> MatrixSettings:
    """``values`` as settings, or ``CustomerError`` naming the field: months 1–60, money
    0 – 10^15 minor units, type codes as a list of text."""
    clean: dict[str, Any] = {}
    for name in ("window_months", "repurchase_months"):
        number = values.get(name, getattr(DEFAULT_SETTINGS, name))
        if not isinstance(number, int | float) or int(number) != number:
            raise CustomerError(
                "months", f"{name} must be whole months", name, low=1, high=MAX_MONTHS
            )
        if not 1 <= int(number) <= MAX_MONTHS:
            raise CustomerError("months", f"{name} out of range", name, low=1, high=MAX_MONTHS)
        clean[name] = int(number)
    for name in ("value_threshold_minor", "pipeline_threshold_minor"):
        number = values.get(name, getattr(DEFAULT_SETTINGS, name))
        if not isinstance(number, int | float) or not 0 <= number <= MAX_MINOR:
            raise CustomerError("amount", f"{name} out of range", name)
        clean[name] = int(number)
    types = values.get("high_potential_types", ())
    if isinstance(types, str) or not all(isinstance(t, str) for t in types):
        raise CustomerError(
            "types", "high_potential_types must be type codes", "high_potential_types"
        )
    clean["high_potential_types"] = tuple(sorted({t.strip() for t in types if t.strip()}))
    return MatrixSettings(**clean)


def load_settings(session: Session) -> MatrixSettings:
    """The company's matrix settings (the defaults when none are stored or they are bad)."""
    row = session.get(AppSetting, SETTING_KEY)
    if row is None or not row.value:
        return DEFAULT_SETTINGS
    try:
        return validate_settings(json.loads(row.value))
    except (ValueError, TypeError):
        return DEFAULT_SETTINGS


def save_settings(
    session: Session, actor: Viewer, values: dict[str, Any], today: date | None = None
) -> MatrixSettings:
    """Store the settings (admins only; validated, nothing written when refused), audited
    with the old and new values; a changed window moves the customers' kept day
    (``keep_window`` as of ``today``, default the business date)."""
    if not actor.is_admin:
        raise CustomerError("admin_only", f"{actor.username} may not change the matrix settings")
    old = load_settings(session)
    clean = validate_settings({**asdict(old), **values})
    row = session.get(AppSetting, SETTING_KEY) or AppSetting(key=SETTING_KEY, value="")
    before = row.value
    row.value = json.dumps(asdict(clean), sort_keys=True)
    session.add(row)
    audit.record(
        session, actor, action="update", entity="setting", entity_id=SETTING_KEY,
        summary="customer matrix settings", old={"value": before}, new={"value": row.value},
    )  # fmt: skip
    if clean.window_months != old.window_months:
        keep_window(session, today or clock.today(), clean)
    return replace(clean)


def keep_window(session: Session, today: date, settings: MatrixSettings | None = None) -> date:
    """Move the day the customers' kept wins count from (``store.customer_totals``) to the
    first day of the matrix's value window as of ``today`` (the company's settings unless
    given), in the session's transaction; returns it. Readers correct for a few days in
    between; the CLI's ``migrate`` and ``rollups --rebuild``, the demo and a changed window
    move it."""
    settings = settings or load_settings(session)
    since = months_back(today, settings.window_months)
    customer_totals.advance(session.connection(), since)
    return since
