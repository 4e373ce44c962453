"""Edits made in the review's overdue table: risk flag, next step, a new planned date for
the current key action, and a comment.

Saving is per row, with optimistic concurrency: each row's ``UPDATE … WHERE id = :id AND
version = :seen`` runs in its own savepoint, so two managers editing different rows both
land, a row someone else changed since it was loaded is refused (named by its code) while
the other rows still save, and a row the actor may not change is refused too. Every saved
change writes ``opportunity_event`` rows (old and new value) and one audit entry, in the
same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, can_write_owned_by
from salesboard.store.models import (
    OpportunityEvent,
    OpportunityEventKind,
    OpportunityStatus,
    utcnow,
)
from salesboard.store.tables import ACTION, OPP

# The common risk flags, stored as the company writes them (seed 000 uses 延迟(客户原因));
# the English UI translates the known ones (``RISK_FLAG_EN``) and shows others as typed.
RISK_FLAGS = (
    "延迟(客户原因)",
    "延迟(内部原因)",
    "竞品威胁",
    "价格异议",
    "预算风险",
    "决策链变化",
    "需求变化",
    "等待内部支持",  # raised by a support request while it is open (salesboard.support.risk)
)
RISK_FLAG_EN = {
    "延迟(客户原因)": "Delayed (customer side)",
    "延迟(内部原因)": "Delayed (internal)",
    "竞品威胁": "Competitor threat",
    "价格异议": "Price objection",
    "预算风险": "Budget at risk",
    "决策链变化": "Decision chain changed",
    "需求变化": "Needs changed",
    "等待内部支持": "Waiting for internal support",
}
MAX_RISK_FLAG = 64
MAX_NEXT_STEP = 200
MAX_COMMENT = 1000
# The editable columns of the overdue table, as named in the editor's frame.
EDITABLE = ("risk_flag", "next_step", "new_planned_on", "comment")


def risk_flag_label(flag: str, lang: str) -> str:
    """A stored risk flag as shown in ``lang`` (unknown flags as typed)."""
    return RISK_FLAG_EN.get(flag, flag) if lang == "en" else flag


@dataclass(frozen=True)
class RowEdit:
    """What the user changed in one row; ``None`` means "left as it was"."""

    opportunity_id: int
    code: str
    seen_version: int
    risk_flag: str | None = None
    next_step: str | None = None
    planned_on: date | None = None
    comment: str | None = None

    def is_empty(self) -> bool:
        """True when nothing was changed."""
        return all(
            v is None for v in (self.risk_flag, self.next_step, self.planned_on, self.comment)
        )


@dataclass
class SaveReport:
    """The outcome of a save, per opportunity code."""

    saved: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # changed by someone else meanwhile
    denied: list[str] = field(default_factory=list)  # the actor may not change this deal
    invalid: list[tuple[str, str]] = field(default_factory=list)  # (code, reason code)

    @property
    def ok(self) -> bool:
        """True when every row with a change was saved."""
        return not (self.conflicts or self.denied or self.invalid)


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return str(value).strip()


def _day(value: Any) -> date | None:
    if value is None or value is pd.NaT or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return date.fromisoformat(value[:10]) if value else None
    if isinstance(value, pd.Timestamp):
        return value.date()
    return value


def edits_from_editor(
    rows: pd.DataFrame, edited_rows: Mapping[int | str, Mapping[str, Any]]
) -> list[RowEdit]:
    """The ``RowEdit`` of each row ``st.data_editor`` reports in ``edited_rows``
    ({row position: {column: new value}}) over ``rows``, the frame it was given (with
    ``opportunity_id``, ``code``, ``version``, ``risk_flag``, ``next_step`` and
    ``planned_on``). Values equal to what was loaded, and empty comments or dates, count as
    unchanged; rows with no change are left out."""
    edits = []
    for position, changes in sorted(edited_rows.items(), key=lambda item: int(item[0])):
        row = rows.iloc[int(position)]
        flag = _text(changes.get("risk_flag")) if "risk_flag" in changes else None
        step = _text(changes.get("next_step")) if "next_step" in changes else None
        if "risk_flag" in changes and flag is None:
            flag = ""  # the selectbox was cleared: remove the flag
        planned = _day(changes.get("new_planned_on"))
        edit = RowEdit(
            opportunity_id=int(row["opportunity_id"]),
            code=str(row["code"]),
            seen_version=int(row["version"]),
            risk_flag=None if flag == (row["risk_flag"] or "") else flag,
            next_step=None if step is None or step == (row["next_step"] or "") else step,
            planned_on=None if planned == _day(row.get("planned_on")) else planned,
            comment=_text(changes.get("comment")) or None,
        )
        if not edit.is_empty():
            edits.append(edit)
    return edits


def _validate(edit: RowEdit, today: date) -> str | None:
    """A reason code when ``edit`` cannot be saved as it is, else None."""
    if edit.risk_flag is not None and len(edit.risk_flag) > MAX_RISK_FLAG:
        return "risk_flag_too_long"
    if edit.next_step is not None and len(edit.next_step) > MAX_NEXT_STEP:
        return "next_step_too_long"
    if edit.comment is not None and len(edit.comment) > MAX_COMMENT:
        return "comment_too_long"
    if edit.planned_on is not None and edit.planned_on < today:
        return "planned_in_past"
    return None


def save_overdue_edits(
    session: Session, actor: Viewer, edits: Sequence[RowEdit], today: date
) -> SaveReport:
    """Save ``edits`` row by row (see the module docstring); ``today`` is the business date
    the events are recorded on. The caller's transaction commits the rows that saved."""
    report = SaveReport()
    for edit in edits:
        reason = _validate(edit, today)
        if reason:
            report.invalid.append((edit.code, reason))
            continue
        outcome = _save_row(session, actor, edit, today)
        if outcome == "saved":
            report.saved.append(edit.code)
        elif outcome == "conflict":
            report.conflicts.append(edit.code)
        elif outcome == "denied":
            report.denied.append(edit.code)
        else:
            report.invalid.append((edit.code, outcome))
    return report


def _save_row(session: Session, actor: Viewer, edit: RowEdit, today: date) -> str:
    """Save one row inside a savepoint; returns "saved", "conflict", "denied" or a reason."""
    row = session.execute(
        select(
            OPP.c.owner_id, OPP.c.team_id, OPP.c.status, OPP.c.current_stage_id,
            OPP.c.risk_flag, OPP.c.next_step, OPP.c.version,
        ).where(OPP.c.id == edit.opportunity_id)
    ).one_or_none()  # fmt: skip
    if row is None or not can_write_owned_by(actor, row.owner_id, row.team_id):
        # A deal the actor may not see is refused the same way: its existence stays hidden.
        return "denied"
    if row.version != edit.seen_version:
        return "conflict"
    # A signed deal is still worked on in delivery (its late delivery or collection is
    # overdue like any other, issue 13); only a lost one is closed to edits.
    if row.status == OpportunityStatus.LOST:
        return "not_open"
    action = None
    if edit.planned_on is not None:
        action = session.execute(
            select(ACTION.c.id, ACTION.c.planned_on)
            .where(
                ACTION.c.opportunity_id == edit.opportunity_id,
                ACTION.c.stage_id == row.current_stage_id,
                ACTION.c.done_on.is_(None),
            )
            .order_by(ACTION.c.planned_on, ACTION.c.id)
            .limit(1)
        ).one_or_none()
        if action is None:
            return "no_open_action"
    with session.begin_nested():
        changed = session.execute(
            update(OPP)
            .where(OPP.c.id == edit.opportunity_id, OPP.c.version == edit.seen_version)
            .values(
                risk_flag=row.risk_flag if edit.risk_flag is None else edit.risk_flag,
                next_step=row.next_step if edit.next_step is None else edit.next_step,
                version=OPP.c.version + 1,
                updated_at=utcnow(),
            )
        ).rowcount
        if changed != 1:
            # Someone saved this row between our read and our write (nothing was written).
            return "conflict"
        old, new = _record_events(session, actor, edit, row, action, today)
        audit.record(
            session,
            actor,
            action="update",
            entity="opportunity",
            entity_id=edit.code,
            summary=f"pipeline review: {', '.join(new)}",
            old=old,
            new=new,
        )
    return "saved"


def _record_events(
    session: Session, actor: Viewer, edit: RowEdit, row, action, today: date
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Write the history events of ``edit`` (and move the key action's planned date);
    returns the (old, new) values for the audit entry."""
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}

    def event(kind: str, before: str, after: str, note: str = "") -> None:
        session.add(
            OpportunityEvent(
                opportunity_id=edit.opportunity_id,
                happened_on=today,
                actor_id=actor.user_id,
                kind=kind,
                old_value=before[:200],
                new_value=after[:200],
                note=note,
            )
        )

    if edit.risk_flag is not None and edit.risk_flag != row.risk_flag:
        event(OpportunityEventKind.RISK_FLAG, row.risk_flag, edit.risk_flag)
        old["risk_flag"], new["risk_flag"] = row.risk_flag, edit.risk_flag
    if edit.next_step is not None and edit.next_step != row.next_step:
        event(OpportunityEventKind.NEXT_STEP, row.next_step, edit.next_step)
        old["next_step"], new["next_step"] = row.next_step, edit.next_step
    if edit.planned_on is not None and action is not None and edit.planned_on != action.planned_on:
        session.execute(
            update(ACTION).where(ACTION.c.id == action.id).values(planned_on=edit.planned_on)
        )
        before = action.planned_on.isoformat()
        event(OpportunityEventKind.PLANNED_DATE, before, edit.planned_on.isoformat())
        old["planned_on"], new["planned_on"] = before, edit.planned_on.isoformat()
    if edit.comment:
        event(OpportunityEventKind.COMMENT, "", "", note=edit.comment)
        new["comment"] = edit.comment
    return old, new
