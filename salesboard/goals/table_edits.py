"""The goal table's edits turned into writes: ``st.data_editor``'s ``edited_rows`` over the
shown goals become version-checked goal updates, with the errors by row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.goals.validation import GoalError, as_target
from salesboard.goals.writes import update_goal


@dataclass
class EditOutcome:
    """What ``apply_table_edits`` did: goals changed, and the errors by row."""

    changed: list[int] = field(default_factory=list)
    errors: list[tuple[int, GoalError]] = field(default_factory=list)


def apply_table_edits(
    session: Session,
    actor: Viewer,
    rows: Sequence[Mapping[str, Any]],
    edited_rows: Mapping[int | str, Mapping[str, Any]],
    *,
    scale: float = 1.0,
) -> EditOutcome:
    """Turn ``st.data_editor``'s ``edited_rows`` ({row position: {column: new value}}) over
    the shown ``rows`` (each with ``id``, ``version``) into goal updates. ``target`` values
    are in display units: stored = value × ``scale``. All or nothing: any error and nothing
    is changed (the caller's transaction rolls back on the raised error)."""
    outcome = EditOutcome()
    for position, change in sorted(edited_rows.items(), key=lambda kv: int(kv[0])):
        row = rows[int(position)]
        changes: dict[str, Any] = {}
        if "target" in change:
            value = change["target"]
            if value is None:
                outcome.errors.append(
                    (int(position), GoalError("target", "required", "a target is needed"))
                )
                continue
            try:
                # Checked as typed (display units), so a message quotes what the user entered.
                changes["target"] = as_target(as_target(value) * Decimal(str(scale)))
            except GoalError as error:
                outcome.errors.append((int(position), error))
                continue
        if "owner_id" in change:
            changes["owner_id"] = change["owner_id"]
        if not changes:
            continue
        try:
            update_goal(session, actor, int(row["id"]), int(row["version"]), **changes)
            outcome.changed.append(int(row["id"]))
        except GoalError as error:
            outcome.errors.append((int(position), error))
    return outcome
