"""Kind-specific validation: each resolver turns parsed fields into the stored columns
(``final``), finds the stored row each business key names, checks the rows the viewer may
write, and plans insert / update / unchanged / skip per row. One module per kind
(``resolve_<kind>``), their shared helpers in ``resolve_common``; this is the table that
picks the resolver for a kind.

Updating keeps the stored value wherever the file's cell is empty.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from salesboard.importing.context import Context
from salesboard.importing.resolve_collections import resolve_collections
from salesboard.importing.resolve_customers import resolve_customers
from salesboard.importing.resolve_goals import resolve_goals
from salesboard.importing.resolve_key_actions import resolve_key_actions
from salesboard.importing.resolve_opportunities import file_key, resolve_opportunities
from salesboard.importing.resolve_organisation import resolve_organisation
from salesboard.importing.resolve_ratings import resolve_ratings
from salesboard.importing.resolve_tracking import resolve_tracking
from salesboard.importing.resolve_users import resolve_users
from salesboard.importing.resolve_visits import resolve_visits

RESOLVERS: dict[str, Callable[[Context], dict[str, Any]]] = {
    "opportunities": resolve_opportunities,
    "key_actions": resolve_key_actions,
    "tracking": resolve_tracking,
    "visits": resolve_visits,
    "collections": resolve_collections,
    "ratings": resolve_ratings,
    "goals": resolve_goals,
    "customers": resolve_customers,
    "users": resolve_users,
    "organisation": resolve_organisation,
}

# The business key of each row, per kind whose files may be validated in chunks: it needs
# only the key columns parsed (``validate.collect_file_keys``).
FILE_KEYS: dict[str, Callable[[Context], dict[str, Any]]] = {"opportunities": file_key}

__all__ = ["FILE_KEYS", "RESOLVERS"]
