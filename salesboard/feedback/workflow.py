"""Writing feedback forms: start a month's form as a prefilled draft, autosave the draft
with a version check, and the sign-off steps (submit, confirm, return, resubmit, amend), each
stamped with who and when and audited. Who may take which step is ``permissions``'s.

Every write names the ``version`` the user loaded; a stale one is refused with
``StaleForm`` carrying the stored form, so the caller can show both and let the user merge.
A step the viewer may not take raises ``PermissionDenied``; one the form's state does not
allow raises ``FormError``.
"""

from __future__ import annotations

import json
import uuid
from datetime import date

from sqlalchemy import select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require
from salesboard.calendar.periods import parse_period
from salesboard.feedback.changes import diff_bodies
from salesboard.feedback.config import FormConfig, load_config
from salesboard.feedback.form import MAX_TEXT, Problem, normalized, submission_problems
from salesboard.feedback.improvement_items import mirror_items, month_items
from salesboard.feedback.permissions import (
    fills_in,
    is_open_for_editing,
    may_start,
    reviews_team,
)
from salesboard.feedback.prefill import prefilled_body
from salesboard.feedback.queries import FormView, find_form, form_view, latest_revision
from salesboard.store.models import FeedbackForm, Role, TeamManager, User, utcnow
from salesboard.store.tables import FORM

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


def start_form(
    session: Session,
    actor: Viewer,
    rep_id: int,
    period: str,
    *,
    config: FormConfig | None = None,
    as_of: date | None = None,
) -> FormView:
    """The rep's newest form for ``period``, created as a draft prefilled with the figures as
    of ``as_of`` (default today) when there is none (by the rep, their manager or an
    admin)."""
    existing = find_form(session, actor, rep_id, period)
    if existing is not None:
        return existing
    rep = _rep(session, rep_id)
    require(
        may_start(actor, rep_id, rep.team_id), "feedback.start", "you may not start this rep's form"
    )
    month = parse_period(period)
    if month.kind != "month":
        raise FormError("bad_period", f"{period!r} is not a month like 2026-10")
    body = prefilled_body(session, rep_id, month, config, as_of)
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
    return form_view(session, form)


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
        raise StaleForm(form_view(session, session.get(FeedbackForm, form.id)))
    session.expire(form)


def _closed_reason(view: FormView) -> str:
    """Why ``view`` is not open for editing, for the error message."""
    if not view.is_latest:
        return f"revision {view.revision} is superseded by revision {view.latest_revision}"
    return f"the form is {view.status}"


def save_draft(
    session: Session, actor: Viewer, form_id: int, seen_version: int, body: dict
) -> FormView:
    """Store ``body`` as the form's draft if nobody saved since ``seen_version``.

    Only the rep (or an admin) edits, and only the newest revision while a draft or
    returned. Raises ``StaleForm`` (someone else saved; nothing written), ``FormError``
    (locked, too large) or ``PermissionDenied``.
    """
    form = _form_row(session, form_id)
    require(fills_in(actor, form.rep_id), "feedback.edit", "only the rep edits the form")
    view = form_view(session, form)
    if not is_open_for_editing(view):
        raise FormError("locked", f"{_closed_reason(view)} and cannot be edited")
    data, text = _checked_body(body)
    changes = diff_bodies(view.body, data)
    _bump(session, actor, form, seen_version, {"body": text})
    mirror_items(session, actor, form, data)
    if changes:
        audit.record(
            session, actor, action="update", entity="feedback_form", entity_id=form.id,
            summary=f"draft saved ({len(changes)} fields)",
            old={f"{c.section}.{c.row}.{c.field}": c.old for c in changes[:50]},
            new={f"{c.section}.{c.row}.{c.field}": c.new for c in changes[:50]},
        )  # fmt: skip
    return form_view(session, form)


# --- transitions --------------------------------------------------------------------------------


def _require_fresh(session: Session, form: FeedbackForm, seen_version: int) -> None:
    """StaleForm when the form moved on since the user loaded ``seen_version``."""
    if form.version != seen_version:
        raise StaleForm(form_view(session, form))


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
    return form_view(session, form)


def submit(
    session: Session,
    actor: Viewer,
    form_id: int,
    seen_version: int,
    config: FormConfig | None = None,
) -> FormView:
    """draft / returned → submitted (the rep); ``FormError("invalid")`` lists the problems."""
    form = _form_row(session, form_id)
    require(fills_in(actor, form.rep_id), "feedback.submit", "only the rep submits the form")
    _require_fresh(session, form, seen_version)
    view = form_view(session, form)
    if not is_open_for_editing(view):
        raise FormError("illegal", f"{_closed_reason(view)} and cannot be submitted")
    config = config or load_config(session)
    problems = submission_problems(view.body, parse_period(form.period).end, config)
    if problems:
        raise FormError("invalid", f"{len(problems)} problems block submission", problems)
    values = {
        "submitted_at": utcnow(),
        "submitted_by": actor.user_id,
        "submissions": form.submissions + 1,
    }
    return _transition(session, actor, form, seen_version, "submitted", values)


def _reviewable(session: Session, actor: Viewer, form_id: int, seen_version: int, step: str):
    """The submitted form ``actor`` confirms or returns as its rep's manager (or an admin)."""
    form = _form_row(session, form_id)
    require(actor.user_id != form.rep_id, "feedback.own", f"a rep cannot {step} their own form")
    require(
        reviews_team(actor, form.team_id), "feedback.review", f"only the rep's manager may {step}"
    )
    _require_fresh(session, form, seen_version)
    if form.status != "submitted":
        raise FormError("illegal", f"a {form.status} form cannot be {step}ed")
    return form


def confirm(session: Session, actor: Viewer, form_id: int, seen_version: int) -> FormView:
    """submitted → confirmed (the rep's manager, or an admin); the form is then locked."""
    form = _reviewable(session, actor, form_id, seen_version, "confirm")
    values = {"confirmed_at": utcnow(), "confirmed_by": actor.user_id}
    return _transition(session, actor, form, seen_version, "confirmed", values)


def return_form(
    session: Session, actor: Viewer, form_id: int, seen_version: int, comment: str
) -> FormView:
    """submitted → returned with the manager's comment (required)."""
    form = _reviewable(session, actor, form_id, seen_version, "return")
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
    require(
        may_start(actor, form.rep_id, form.team_id), "feedback.amend", "you may not amend this form"
    )
    if form.status != "confirmed":
        raise FormError(
            "illegal", f"only a confirmed form can be amended, this one is {form.status}"
        )
    latest = latest_revision(session, form.rep_id, form.period)
    if latest != form.revision:
        raise FormError("illegal", f"revision {latest} already amends this form")
    body = normalized(json.loads(form.body))
    # The amendment starts from the items' current status (they may have moved since).
    items = month_items(session, form.rep_id, form.period)
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
    return form_view(session, new)
