"""Reading feedback forms: the ``FormView`` the pages and reports see, finding a rep's form
for a month, the reps a viewer may open, and the manager's team overview (status per rep,
open improvement items).

Visibility is part of every query: a rep sees only their own forms, a manager the forms of
the teams in their ``team_ids``, leaders (read-only) and admins all; a form the viewer may
not read is simply not found.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import and_, func, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.feedback.changes import Change, diff_bodies
from salesboard.feedback.form import normalized, overrides, weighted_completion
from salesboard.feedback.permissions import EDITABLE_STATUSES
from salesboard.store.models import FeedbackForm, Role, Team
from salesboard.store.queries import greatest_per
from salesboard.store.tables import FORM, ITEM, TEAM, USER

# The team view also lists reps who have not opened their form yet.
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class FormView:
    """A stored form revision as the pages see it (stamps with the names behind them)."""

    id: int
    rep_id: int
    rep_name: str
    period: str
    revision: int
    team_id: int | None
    team_name: str
    manager_id: int | None
    manager_name: str
    status: str
    version: int
    body: dict
    submissions: int
    created_at: datetime
    updated_at: datetime
    updated_by_name: str
    submitted_at: datetime | None
    submitted_by_name: str
    confirmed_at: datetime | None
    confirmed_by_name: str
    returned_at: datetime | None
    returned_by_name: str
    return_comment: str
    latest_revision: int = 1
    stamps: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def locked(self) -> bool:
        """Submitted and confirmed forms cannot be edited (a returned one can)."""
        return self.status not in EDITABLE_STATUSES

    @property
    def is_latest(self) -> bool:
        """True for the newest revision of the month."""
        return self.revision == self.latest_revision


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(USER.c.id, USER.c.display_name).where(USER.c.id.in_(wanted)))
    return dict(rows.all())


def latest_revision(session: Session, rep_id: int, period: str) -> int | None:
    """The newest revision number of the rep's form for ``period`` (None without a form)."""
    return session.execute(
        select(func.max(FORM.c.revision)).where(FORM.c.rep_id == rep_id, FORM.c.period == period)
    ).scalar_one()


def form_view(session: Session, form: FeedbackForm) -> FormView:
    """The ``FormView`` of a stored form row (no visibility check: callers have done it)."""
    people = (
        form.rep_id, form.manager_id, form.updated_by, form.submitted_by, form.confirmed_by,
        form.returned_by,
    )  # fmt: skip
    names = _names(session, set(people))
    team = session.get(Team, form.team_id) if form.team_id else None
    latest = latest_revision(session, form.rep_id, form.period)
    try:
        body = normalized(json.loads(form.body or "{}"))
    except ValueError:
        body = normalized({})
    return FormView(
        id=form.id,
        rep_id=form.rep_id,
        rep_name=names.get(form.rep_id, ""),
        period=form.period,
        revision=form.revision,
        team_id=form.team_id,
        team_name=team.name if team else "",
        manager_id=form.manager_id,
        manager_name=names.get(form.manager_id, ""),
        status=form.status,
        version=form.version,
        body=body,
        submissions=form.submissions,
        created_at=form.created_at,
        updated_at=form.updated_at,
        updated_by_name=names.get(form.updated_by, "system" if form.updated_by is None else ""),
        submitted_at=form.submitted_at,
        submitted_by_name=names.get(form.submitted_by, ""),
        confirmed_at=form.confirmed_at,
        confirmed_by_name=names.get(form.confirmed_by, ""),
        returned_at=form.returned_at,
        returned_by_name=names.get(form.returned_by, ""),
        return_comment=form.return_comment,
        latest_revision=int(latest or form.revision),
    )


def _visible(viewer: Viewer):
    """SQL condition: the forms ``viewer`` may read."""
    if viewer.sees_everything:
        return FORM.c.id.is_not(None)
    if viewer.role == Role.REP:
        return FORM.c.rep_id == viewer.user_id
    if viewer.role == Role.MANAGER:
        return FORM.c.team_id.in_(viewer.team_ids or (-1,))
    return FORM.c.id.is_(None)


def find_form(
    session: Session, viewer: Viewer, rep_id: int, period: str, revision: int | None = None
) -> FormView | None:
    """The rep's form for ``period`` (newest revision unless given), or None when there is
    none or ``viewer`` may not read it."""
    query = select(FORM.c.id).where(
        FORM.c.rep_id == rep_id, FORM.c.period == period, _visible(viewer)
    )
    if revision is not None:
        query = query.where(FORM.c.revision == revision)
    form_id = session.execute(query.order_by(FORM.c.revision.desc()).limit(1)).scalar()
    return None if form_id is None else form_view(session, session.get(FeedbackForm, form_id))


def get_form(session: Session, viewer: Viewer, form_id: int) -> FormView | None:
    """The form with ``form_id`` if ``viewer`` may read it, else None."""
    found = session.execute(
        select(FORM.c.id).where(FORM.c.id == form_id, _visible(viewer))
    ).scalar()
    return None if found is None else form_view(session, session.get(FeedbackForm, found))


def amendment_diff(session: Session, viewer: Viewer, form: FormView) -> list[Change]:
    """For an amendment: the changes against the previous (confirmed) revision; else []."""
    if form.revision <= 1:
        return []
    before = find_form(session, viewer, form.rep_id, form.period, form.revision - 1)
    return [] if before is None else diff_bodies(before.body, form.body)


def visible_reps(session: Session, viewer: Viewer) -> pd.DataFrame:
    """Reps whose forms ``viewer`` may open: ``id, username, display_name, team_id, team``."""
    query = (
        select(
            USER.c.id,
            USER.c.username,
            USER.c.display_name,
            USER.c.team_id,
            TEAM.c.name.label("team"),
        )  # fmt: skip
        .outerjoin(TEAM, TEAM.c.id == USER.c.team_id)
        .where(USER.c.role == Role.REP, USER.c.active.is_(True))
        .order_by(TEAM.c.name, USER.c.display_name, USER.c.id)
    )
    if viewer.role == Role.REP:
        query = query.where(USER.c.id == viewer.user_id)
    elif viewer.role == Role.MANAGER:
        query = query.where(USER.c.team_id.in_(viewer.team_ids or (-1,)))
    elif not viewer.sees_everything:
        query = query.where(USER.c.id.is_(None))
    rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=["id", "username", "display_name", "team_id", "team"])


# --- the manager's overview ---------------------------------------------------------------------


def team_status(session: Session, viewer: Viewer, period: str) -> pd.DataFrame:
    """One row per rep ``viewer`` may see, for ``period``: ``rep_id, rep, username, team,
    status`` (``not_started`` without a form), ``revision, version, completion`` (weighted,
    ratio), ``overrides, submitted_at, confirmed_at, updated_at``."""
    reps = visible_reps(session, viewer)
    latest = greatest_per(
        FORM.c.rep_id, FORM.c.revision, FORM.c.period == period, label="revision"
    ).subquery()
    forms = session.execute(
        select(
            FORM.c.rep_id,
            FORM.c.revision,
            FORM.c.status,
            FORM.c.version,
            FORM.c.body,
            FORM.c.submitted_at,
            FORM.c.confirmed_at,
            FORM.c.updated_at,
        )  # fmt: skip
        .join(latest, and_(latest.c.rep_id == FORM.c.rep_id, latest.c.revision == FORM.c.revision))
        .where(FORM.c.period == period, _visible(viewer))
    ).all()
    by_rep = {row.rep_id: row for row in forms}
    records = []
    for rep in reps.itertuples(index=False):
        row = by_rep.get(rep.id)
        body = normalized(json.loads(row.body)) if row else {"kpis": []}
        records.append(
            {
                "rep_id": rep.id,
                "rep": rep.display_name,
                "username": rep.username,
                "team": rep.team,
                "status": row.status if row else NOT_STARTED,
                "revision": row.revision if row else None,
                "version": row.version if row else None,
                "completion": weighted_completion(body["kpis"]) if row else None,
                "overrides": len(overrides(body)) if row else 0,
                "submitted_at": row.submitted_at if row else None,
                "confirmed_at": row.confirmed_at if row else None,
                "updated_at": row.updated_at if row else None,
            }
        )
    columns = [
        "rep_id", "rep", "username", "team", "status", "revision", "version", "completion",
        "overrides", "submitted_at", "confirmed_at", "updated_at",
    ]  # fmt: skip
    return pd.DataFrame(records, columns=columns)


def open_items(session: Session, viewer: Viewer, as_of: date) -> pd.DataFrame:
    """Improvement items not done, of the reps ``viewer`` may see, overdue first:
    ``id, rep, period, problem, measure, owner, due_on, checkpoint_on, status, note,
    overdue`` (due date passed)."""
    reps = visible_reps(session, viewer)
    columns = [
        "id", "rep", "period", "problem", "measure", "owner", "due_on", "checkpoint_on",
        "status", "note", "overdue",
    ]  # fmt: skip
    if reps.empty:
        return pd.DataFrame(columns=columns)
    names = dict(zip(reps["id"], reps["display_name"], strict=True))
    rows = session.execute(
        select(ITEM)
        .where(ITEM.c.rep_id.in_([int(i) for i in reps["id"]]), ITEM.c.status != "done")
        .order_by(ITEM.c.due_on, ITEM.c.id)
    ).all()
    records = [
        {
            "id": row.id,
            "rep": names.get(row.rep_id, ""),
            "period": row.period,
            "problem": row.problem,
            "measure": row.measure,
            "owner": row.owner,
            "due_on": row.due_on,
            "checkpoint_on": row.checkpoint_on,
            "status": row.status,
            "note": row.note,
            "overdue": row.due_on is not None and row.due_on < as_of,
        }
        for row in rows
    ]
    frame = pd.DataFrame(records, columns=columns)
    return frame.sort_values(["overdue", "due_on"], ascending=[False, True], kind="stable")
