"""Feedback forms in the store: open, prefill, autosave drafts, the sign-off workflow and
the improvement items that carry over from month to month.

Workflow (each step stamped with who and when, and audited):

    draft --submit (rep)--> submitted --confirm (manager)--> confirmed (locked)
                                      --return (manager, comment)--> returned
    returned --save / submit (rep)--> submitted (counted as a resubmission)
    confirmed --amend--> a new revision (draft) of the same month

Every write names the ``version`` the user loaded; a stale one is refused with
``StaleForm`` carrying the stored form, so the caller can show both and let the user merge.
Visibility: a rep sees only their own forms, a manager the forms of the teams they lead,
leaders (read-only) and admins all; a form the viewer may not read is simply not found.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlalchemy import and_, func, or_, select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import PermissionDenied, Viewer, can_read_owned_by, require
from salesboard.calendar.periods import Period, parse_period, previous_period, same_period_last_year
from salesboard.feedback import actuals
from salesboard.feedback.config import FormConfig, load_config
from salesboard.feedback.form import (
    ITEM_STATUSES,
    MAX_TEXT,
    Problem,
    diff_bodies,
    kpi_row,
    new_body,
    normalized,
    overrides,
    parse_date,
    submission_problems,
    weighted_completion,
)
from salesboard.store.models import (
    FeedbackForm,
    ImprovementItem,
    Role,
    Team,
    TeamManager,
    User,
    utcnow,
)

FORM = FeedbackForm.__table__
ITEM = ImprovementItem.__table__
USER = User.__table__
TEAM = Team.__table__

STATUSES = ("draft", "submitted", "confirmed", "returned")
# The team view also lists reps who have not opened their form yet.
NOT_STARTED = "not_started"
EDITABLE_STATUSES = frozenset({"draft", "returned"})
# A stored body larger than this is refused (a form is a page of text, not a file store).
MAX_BODY_CHARS = 400_000


class FormError(ValueError):
    """A workflow step that is not allowed in the form's state; ``code`` names the rule."""

    def __init__(self, code: str, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.problems = problems or []


class StaleForm(Exception):
    """The form changed since the user loaded it: ``current`` is the stored form."""

    def __init__(self, current: FormView) -> None:
        super().__init__(
            f"form {current.id} was changed by {current.updated_by_name or 'someone'} "
            f"(version {current.version})"
        )
        self.current = current


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


# --- reading ---------------------------------------------------------------------------------


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(USER.c.id, USER.c.display_name).where(USER.c.id.in_(wanted)))
    return dict(rows.all())


def _view(session: Session, form: FeedbackForm) -> FormView:
    people = (
        form.rep_id, form.manager_id, form.updated_by, form.submitted_by, form.confirmed_by,
        form.returned_by,
    )  # fmt: skip
    names = _names(session, set(people))
    team = session.get(Team, form.team_id) if form.team_id else None
    latest = session.execute(
        select(func.max(FORM.c.revision)).where(
            FORM.c.rep_id == form.rep_id, FORM.c.period == form.period
        )
    ).scalar_one()
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
    return None if form_id is None else _view(session, session.get(FeedbackForm, form_id))


def get_form(session: Session, viewer: Viewer, form_id: int) -> FormView | None:
    """The form with ``form_id`` if ``viewer`` may read it, else None."""
    found = session.execute(
        select(FORM.c.id).where(FORM.c.id == form_id, _visible(viewer))
    ).scalar()
    return None if found is None else _view(session, session.get(FeedbackForm, found))


def revisions(session: Session, viewer: Viewer, rep_id: int, period: str) -> list[int]:
    """The revision numbers of the rep's form for ``period`` that ``viewer`` may read."""
    rows = session.execute(
        select(FORM.c.revision)
        .where(FORM.c.rep_id == rep_id, FORM.c.period == period, _visible(viewer))
        .order_by(FORM.c.revision)
    )
    return list(rows.scalars())


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


# --- prefill -----------------------------------------------------------------------------------


def prefill_kpis(
    session: Session, rep_id: int, period: Period, config: FormConfig | None = None
) -> list[dict]:
    """KPI rows for the rep's month from the store: targets from the rep's goals (else the
    metric's default target), actuals, last month's and last year's actuals."""
    config = config or load_config(session)
    current, before, last_year = actuals.rep_actuals_many(
        session, rep_id, [period, previous_period(period), same_period_last_year(period)]
    )
    goals = actuals.rep_goal_targets(session, rep_id, period.label)
    rows = []
    for metric in config.shown:
        goal = goals.get(metric.goal_metric) if metric.goal_metric else None
        if goal is not None:
            target, source = float(goal), "goal"
            if metric.kind in ("amount", "count") and target.is_integer():
                target = int(target)
        elif metric.default_target is not None:
            target, source = metric.default_target, "default"
        else:
            target, source = None, None
        rows.append(
            kpi_row(
                metric,
                target=target,
                target_source=source,
                actual=current.get(metric.code),
                prev=before.get(metric.code),
                prev_year=last_year.get(metric.code),
            )
        )
    return rows


def carried_items(session: Session, rep_id: int, period: str) -> list[dict]:
    """Improvement items the rep raised before ``period`` to review on this month's form:
    every item of the previous month, and older ones not yet done."""
    previous = previous_period(parse_period(period)).label
    rows = session.execute(
        select(ITEM)
        .where(
            ITEM.c.rep_id == rep_id,
            ITEM.c.period < period,
            or_(ITEM.c.period == previous, ITEM.c.status != "done"),
        )
        .order_by(ITEM.c.period, ITEM.c.position, ITEM.c.id)
    ).all()
    return [
        {
            "item_id": row.id,
            "period": row.period,
            "problem": row.problem,
            "measure": row.measure,
            "owner": row.owner,
            "due_on": row.due_on.isoformat() if row.due_on else None,
            "status": row.status,
            "note": row.note,
        }
        for row in rows
    ]


def _form_row(session: Session, form_id: int) -> FeedbackForm:
    form = session.get(FeedbackForm, form_id)
    if form is None:
        raise FormError("not_found", f"no form {form_id}")
    return form


def _rep(session: Session, rep_id: int) -> User:
    rep = session.get(User, rep_id)
    if rep is None or rep.role != Role.REP:
        raise FormError("not_a_rep", f"user {rep_id} is not a sales rep")
    return rep


def _team_manager(session: Session, team_id: int | None) -> int | None:
    if team_id is None:
        return None
    return session.execute(
        select(TeamManager.user_id)
        .where(TeamManager.team_id == team_id)
        .order_by(TeamManager.user_id)
    ).scalar()


def _may_write_as_rep(actor: Viewer, form_rep_id: int) -> bool:
    return actor.is_admin or (actor.role == Role.REP and actor.user_id == form_rep_id)


def _may_review(actor: Viewer, team_id: int | None) -> bool:
    return actor.is_admin or (actor.role == Role.MANAGER and team_id in actor.team_ids)


def start_form(
    session: Session, actor: Viewer, rep_id: int, period: str, *, config: FormConfig | None = None
) -> FormView:
    """The rep's newest form for ``period``, created as a prefilled draft when there is none
    (by the rep, their manager or an admin)."""
    existing = find_form(session, actor, rep_id, period)
    if existing is not None:
        return existing
    rep = _rep(session, rep_id)
    allowed = _may_write_as_rep(actor, rep_id) or _may_review(actor, rep.team_id)
    require(allowed, "feedback.start", "you may not start this rep's form")
    month = parse_period(period)
    if month.kind != "month":
        raise FormError("bad_period", f"{period!r} is not a month like 2026-10")
    body = new_body(
        prefill_kpis(session, rep_id, month, config),
        actuals.suggested_actions(session, rep_id, month),
        carried_items(session, rep_id, month.label),
    )
    now = utcnow()
    form = FeedbackForm(
        rep_id=rep_id,
        period=month.label,
        revision=1,
        team_id=rep.team_id,
        manager_id=_team_manager(session, rep.team_id),
        status="draft",
        version=1,
        body=json.dumps(body, ensure_ascii=False),
        created_at=now,
        created_by=actor.user_id,
        updated_at=now,
        updated_by=actor.user_id,
    )
    session.add(form)
    session.flush()
    audit.record(
        session, actor, action="create", entity="feedback_form", entity_id=form.id,
        summary=f"feedback form {rep.username} {month.label}", new={"status": "draft"},
    )  # fmt: skip
    return _view(session, form)


# --- saving a draft ---------------------------------------------------------------------------


def _checked_body(body: dict) -> tuple[dict, str]:
    data = normalized(body)
    for row in data["items"]:
        if not row.get("key"):
            row["key"] = uuid.uuid4().hex[:12]
    for section in ("kpis", "actions", "items", "carried"):
        for n, row in enumerate(data[section], start=1):
            for name, value in row.items():
                if isinstance(value, str) and len(value) > MAX_TEXT:
                    raise FormError(
                        "too_long",
                        f"{section} row {n} {name}: {len(value):,} characters, at most {MAX_TEXT}",
                    )
    text = json.dumps(data, ensure_ascii=False, default=str)
    if len(text) > MAX_BODY_CHARS:
        raise FormError(
            "too_large", f"the form is {len(text):,} characters, at most {MAX_BODY_CHARS:,}"
        )
    return data, text


def _bump(
    session: Session, actor: Viewer, form: FeedbackForm, seen_version: int, values: dict
) -> None:
    """UPDATE … SET values, version + 1 WHERE version = seen; StaleForm when it moved."""
    result = session.execute(
        update(FORM)
        .where(FORM.c.id == form.id, FORM.c.version == seen_version)
        .values(version=FORM.c.version + 1, updated_at=utcnow(), updated_by=actor.user_id, **values)
    )
    if result.rowcount != 1:
        session.expire(form)
        raise StaleForm(_view(session, session.get(FeedbackForm, form.id)))
    session.expire(form)


def _sync_items(session: Session, actor: Viewer, form: FeedbackForm, body: dict) -> None:
    """Mirror the body's improvement plan into ``improvement_item`` and apply the carried
    items' status updates to the earlier months' rows."""
    now = utcnow()
    existing = {
        row.item_key: row
        for row in session.execute(
            select(ImprovementItem).where(
                ImprovementItem.rep_id == form.rep_id, ImprovementItem.period == form.period
            )
        ).scalars()
    }
    keep = set()
    for position, row in enumerate(body["items"]):
        key = str(row["key"])[:32]
        keep.add(key)
        item = existing.get(key) or ImprovementItem(
            rep_id=form.rep_id, period=form.period, item_key=key, form_id=form.id
        )
        item.form_id = form.id
        item.position = position
        for name in ("problem", "cause", "measure", "note"):
            setattr(item, name, str(row.get(name) or "")[:500])
        item.owner = str(row.get("owner") or "")[:64]
        item.cause_category = str(row.get("cause_category") or "")[:16]
        item.status = row.get("status") if row.get("status") in ITEM_STATUSES else "not_started"
        for name in ("due_on", "checkpoint_on"):
            parsed, _ = parse_date(row.get(name))
            setattr(item, name, date.fromisoformat(parsed) if parsed else None)
        item.updated_at, item.updated_by = now, actor.user_id
        session.add(item)
    for key, item in existing.items():
        if key not in keep:
            session.delete(item)
    for row in body["carried"]:
        item = session.get(ImprovementItem, row.get("item_id"))
        if item is None or item.rep_id != form.rep_id or item.period >= form.period:
            continue
        status = row.get("status") if row.get("status") in ITEM_STATUSES else item.status
        note = str(row.get("note") or "")[:500]
        if (status, note) != (item.status, item.note):
            item.status, item.note = status, note
            item.updated_at, item.updated_by = now, actor.user_id
            session.add(item)


def save_draft(
    session: Session, actor: Viewer, form_id: int, seen_version: int, body: dict
) -> FormView:
    """Store ``body`` as the form's draft if nobody saved since ``seen_version``.

    Only the rep (or an admin) edits, and only a draft or returned form. Raises
    ``StaleForm`` (someone else saved; nothing written), ``FormError`` (locked, too large) or
    ``PermissionDenied``.
    """
    form = _form_row(session, form_id)
    require(_may_write_as_rep(actor, form.rep_id), "feedback.edit", "only the rep edits the form")
    if form.status not in EDITABLE_STATUSES:
        raise FormError("locked", f"the form is {form.status} and cannot be edited")
    data, text = _checked_body(body)
    old = normalized(json.loads(form.body or "{}"))
    changes = diff_bodies(old, data)
    _bump(session, actor, form, seen_version, {"body": text})
    _sync_items(session, actor, form, data)
    if changes:
        audit.record(
            session, actor, action="update", entity="feedback_form", entity_id=form.id,
            summary=f"draft saved ({len(changes)} fields)",
            old={f"{c.section}.{c.row}.{c.field}": c.old for c in changes[:50]},
            new={f"{c.section}.{c.row}.{c.field}": c.new for c in changes[:50]},
        )  # fmt: skip
    return _view(session, form)


# --- transitions --------------------------------------------------------------------------------


def _require_fresh(session: Session, form: FeedbackForm, seen_version: int) -> None:
    """StaleForm when the form moved on since the user loaded ``seen_version``."""
    if form.version != seen_version:
        raise StaleForm(_view(session, form))


def _transition(
    session: Session, actor: Viewer, form: FeedbackForm, seen: int, status: str, values: dict
) -> FormView:
    before = form.status
    _bump(session, actor, form, seen, {"status": status, **values})
    audit.record(
        session, actor, action="transition", entity="feedback_form", entity_id=form.id,
        summary=f"{before} -> {status}", old={"status": before}, new={"status": status, **{
            k: v for k, v in values.items() if k == "return_comment"}},
    )  # fmt: skip
    return _view(session, form)


def submit(
    session: Session,
    actor: Viewer,
    form_id: int,
    seen_version: int,
    config: FormConfig | None = None,
) -> FormView:
    """draft / returned → submitted (the rep); ``FormError("invalid")`` lists the problems."""
    form = _form_row(session, form_id)
    require(
        _may_write_as_rep(actor, form.rep_id), "feedback.submit", "only the rep submits the form"
    )
    _require_fresh(session, form, seen_version)
    if form.status not in EDITABLE_STATUSES:
        raise FormError("illegal", f"a {form.status} form cannot be submitted")
    config = config or load_config(session)
    body = normalized(json.loads(form.body or "{}"))
    problems = submission_problems(body, parse_period(form.period).end, config)
    if problems:
        raise FormError("invalid", f"{len(problems)} problems block submission", problems)
    now = utcnow()
    values = {
        "submitted_at": now,
        "submitted_by": actor.user_id,
        "submissions": form.submissions + 1,
    }
    return _transition(session, actor, form, seen_version, "submitted", values)


def confirm(session: Session, actor: Viewer, form_id: int, seen_version: int) -> FormView:
    """submitted → confirmed (the rep's manager, or an admin); the form is then locked."""
    form = _form_row(session, form_id)
    require(actor.user_id != form.rep_id, "feedback.own", "a rep cannot confirm their own form")
    require(_may_review(actor, form.team_id), "feedback.review", "only the rep's manager confirms")
    _require_fresh(session, form, seen_version)
    if form.status != "submitted":
        raise FormError("illegal", f"a {form.status} form cannot be confirmed")
    values = {"confirmed_at": utcnow(), "confirmed_by": actor.user_id}
    return _transition(session, actor, form, seen_version, "confirmed", values)


def return_form(
    session: Session, actor: Viewer, form_id: int, seen_version: int, comment: str
) -> FormView:
    """submitted → returned with the manager's comment (required)."""
    form = _form_row(session, form_id)
    require(actor.user_id != form.rep_id, "feedback.own", "a rep cannot return their own form")
    require(_may_review(actor, form.team_id), "feedback.review", "only the rep's manager returns")
    _require_fresh(session, form, seen_version)
    if form.status != "submitted":
        raise FormError("illegal", f"a {form.status} form cannot be returned")
    comment = (comment or "").strip()
    if not comment:
        raise FormError("comment_required", "say what to change when returning a form")
    if len(comment) > 2000:
        raise FormError("too_long", "the comment is longer than 2,000 characters")
    values = {"returned_at": utcnow(), "returned_by": actor.user_id, "return_comment": comment}
    return _transition(session, actor, form, seen_version, "returned", values)


def amend(session: Session, actor: Viewer, form_id: int) -> FormView:
    """A new draft revision of a confirmed form (the rep, their manager or an admin); the
    confirmed revision stays as it was signed."""
    form = _form_row(session, form_id)
    allowed = _may_write_as_rep(actor, form.rep_id) or _may_review(actor, form.team_id)
    require(allowed, "feedback.amend", "you may not amend this form")
    if form.status != "confirmed":
        raise FormError(
            "illegal", f"only a confirmed form can be amended, this one is {form.status}"
        )
    latest = session.execute(
        select(func.max(FORM.c.revision)).where(
            FORM.c.rep_id == form.rep_id, FORM.c.period == form.period
        )
    ).scalar_one()
    if latest != form.revision:
        raise FormError("illegal", f"revision {latest} already amends this form")
    body = normalized(json.loads(form.body))
    # The amendment starts from the items' current status (they may have moved since).
    items = {
        row.item_key: row
        for row in session.execute(
            select(ImprovementItem).where(
                ImprovementItem.rep_id == form.rep_id, ImprovementItem.period == form.period
            )
        ).scalars()
    }
    for row in body["items"]:
        if row.get("key") in items:
            row["status"] = items[row["key"]].status
    now = utcnow()
    new = FeedbackForm(
        rep_id=form.rep_id, period=form.period, revision=form.revision + 1, team_id=form.team_id,
        manager_id=form.manager_id, status="draft", version=1,
        body=json.dumps(body, ensure_ascii=False), created_at=now, created_by=actor.user_id,
        updated_at=now, updated_by=actor.user_id,
    )  # fmt: skip
    session.add(new)
    session.flush()
    audit.record(
        session, actor, action="create", entity="feedback_form", entity_id=new.id,
        summary=f"amendment {new.revision} of form {form.id}",
        new={"status": "draft", "revision": new.revision},
    )  # fmt: skip
    return _view(session, new)


def amendment_diff(session: Session, viewer: Viewer, form: FormView):
    """For an amendment: the changes against the previous (confirmed) revision; else []."""
    if form.revision <= 1:
        return []
    before = find_form(session, viewer, form.rep_id, form.period, form.revision - 1)
    return [] if before is None else diff_bodies(before.body, form.body)


# --- the manager's view -----------------------------------------------------------------------


def team_status(session: Session, viewer: Viewer, period: str) -> pd.DataFrame:
    """One row per rep ``viewer`` may see, for ``period``: ``rep_id, rep, username, team,
    status`` (``not_started`` without a form), ``revision, version, completion`` (weighted,
    ratio), ``overrides, submitted_at, confirmed_at, updated_at``."""
    reps = visible_reps(session, viewer)
    latest = (
        select(FORM.c.rep_id, func.max(FORM.c.revision).label("revision"))
        .where(FORM.c.period == period)
        .group_by(FORM.c.rep_id)
        .subquery()
    )
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


def require_readable(viewer: Viewer, form: FormView | None) -> FormView:
    """``form`` when ``viewer`` may read it; PermissionDenied otherwise (never reveals it)."""
    if form is None or not can_read_owned_by(viewer, form.rep_id, form.team_id):
        raise PermissionDenied("feedback.read", "no such form")
    return form
