"""Wrong sign-ins for names without a usable account (none, deactivated, locked by an
admin). They are counted and lock out after as many failures, for as long, as a real
account's, so the sign-in answers never tell such a name from a real account with a wrong
password.

Kept in this process's memory, not in the store: a flood of made-up names must not grow a
table (and writes nothing a backup or an audit would carry). Bounded; entries go after a
day. Behind a sticky proxy a browser keeps talking to one process, so its count holds.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from datetime import datetime, timedelta

from salesboard.store.settings import get_settings

_FORGET_AFTER = timedelta(days=1)
_MAX_NAMES = 10_000
_KEY_LENGTH = 128
_lock = threading.Lock()
# name -> (failures, locked until or None, last failure); oldest first
_names: OrderedDict[str, tuple[int, datetime | None, datetime]] = OrderedDict()


def _key(username: str) -> str:
    return username.strip()[:_KEY_LENGTH]


def locked_until(username: str, now: datetime) -> datetime | None:
    """Until when sign-ins as ``username`` are refused as locked, if they are now."""
    with _lock:
        entry = _names.get(_key(username))
    if entry is None or entry[1] is None:
        return None
    return entry[1] if entry[1] > now else None


def record_failure(username: str, now: datetime) -> datetime | None:
    """Count a failed sign-in as ``username``; returns the lock's end when this failure
    reaches the threshold (the count starts over), else None."""
    settings = get_settings()
    key = _key(username)
    with _lock:
        while _names and (
            len(_names) >= _MAX_NAMES or next(iter(_names.values()))[2] < now - _FORGET_AFTER
        ):
            _names.popitem(last=False)
        failures, _until, _last = _names.pop(key, (0, None, now))
        failures += 1
        until = None
        if failures >= settings.lockout_threshold:
            failures, until = 0, now + timedelta(minutes=settings.lockout_minutes)
        _names[key] = (failures, until or _until, now)
    return until


def forget_all() -> None:
    """Drop every count (tests, and a restart does the same)."""
    with _lock:
        _names.clear()
