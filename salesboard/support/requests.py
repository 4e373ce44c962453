"""Support requests (资源协调): raised from a deal, answered by a department, each step
audited and kept in the request's history, every write checked against the version the
user saw.

Who sees what (``visible``): leaders and admins every request; a rep the requests of their
deals, a manager those of their teams' deals (the deal scope of ``accounts.access``); a
department's members the requests sent to their department — with the deal's header (code,
name, customer, stage, owner) and nothing else of the deal. A request the viewer may not see
reads exactly like one that does not exist (``not_found``).

Who does what:
- raise and cancel: whoever may change the deal (its rep, their manager, an admin), on an
  open or won deal;
- accept, write progress, close with a resolution: the members of the request's department
  (and admins). The first of these steps is the first response (``salesboard.support.clock``).
Statuses: open → in_progress → closed; open or in_progress → cancelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Select, false, insert, or_, select, true, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.deals.errors import DealError
from salesboard.deals.writing import deal_for_write, require_not_lost
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import utcnow
from salesboard.store.queries import frame_of
from salesboard.store.tables import (
    CUSTOMER,
    DEPARTMENT,
    MEMBER,
    OPP,
    STAGE,
    SUPPORT,
    SUPPORT_HISTORY,
    SUPPORT_TYPE,
    USER,
)
from salesboard.support import risk
from salesboard.support.clock import with_clock
from salesboard.support.errors import SupportError

URGENCIES = ("low", "normal", "high")
STATUSES = ("open", "in_progress", "closed", "cancelled")
OPEN_STATUSES = ("open", "in_progress")
MAX_WHAT = 2000
MAX_NOTE = 2000


def member_department_ids(session: Session, viewer: Viewer) -> tuple[int, ...]:
    """The departments ``viewer`` works the queue of."""
    if viewer.user_id is None:
        return ()
    rows = session.execute(select(MEMBER.c.department_id).where(MEMBER.c.user_id == viewer.user_id))
    return tuple(sorted(int(i) for i in rows.scalars()))


def _deal_scope(viewer: Viewer):
    """SQL condition on ``opportunity``: the deals ``viewer`` may read (the access rule)."""
    clause = scoped_filter(viewer, NO_FILTER).apply(select(OPP.c.id)).whereclause
    return true() if clause is None else clause


def visible(viewer: Viewer):
    """SQL condition on ``support_request`` joined to ``opportunity``: the requests
    ``viewer`` may see (their deals' and their departments')."""
    if viewer.sees_everything:
        return true()
    mine = SUPPORT.c.department_id.in_(
        select(MEMBER.c.department_id).where(MEMBER.c.user_id == (viewer.user_id or -1))
    )
    return or_(mine, _deal_scope(viewer))


def may_answer(viewer: Viewer, department_id: int, departments: tuple[int, ...]) -> bool:
    """Department members (``departments``: the viewer's) and admins answer requests."""
    return viewer.is_admin or department_id in departments


@dataclass(frozen=True)
class Request:
    """A request as a page shows it: its columns (``LIST_COLUMNS``), whether the viewer may
    answer it (accept, progress, close) and cancel it."""

    id: int
    version: int  # the version the viewer read (a write checks it)
    values: dict[str, Any]
    answerable: bool
    cancellable: bool

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def _base_query() -> Select:
    requester = USER.alias("requester")
    owner = USER.alias("owner")
    return (
        select(
            SUPPORT.c.id, OPP.c.code, OPP.c.name.label("deal_name"),
            CUSTOMER.c.name.label("customer"), STAGE.c.name_zh.label("stage_zh"),
            STAGE.c.name_en.label("stage_en"), owner.c.display_name.label("owner"),
            OPP.c.owner_id, OPP.c.team_id, OPP.c.status.label("deal_status"),
            SUPPORT_TYPE.c.code.label("type"), SUPPORT_TYPE.c.name_zh.label("type_zh"),
            SUPPORT_TYPE.c.name_en.label("type_en"), SUPPORT_TYPE.c.response_days,
            SUPPORT.c.department_id, DEPARTMENT.c.code.label("department"),
            DEPARTMENT.c.name_zh.label("department_zh"),
            DEPARTMENT.c.name_en.label("department_en"), SUPPORT.c.what, SUPPORT.c.expected_on,
            SUPPORT.c.urgency, SUPPORT.c.status, SUPPORT.c.sets_risk, SUPPORT.c.risk_raised,
            SUPPORT.c.requested_on, requester.c.display_name.label("requested_by"),
            SUPPORT.c.responded_on, SUPPORT.c.closed_on, SUPPORT.c.resolution,
            SUPPORT.c.opportunity_id, SUPPORT.c.version,
        )
        .select_from(SUPPORT)
        .join(OPP, OPP.c.id == SUPPORT.c.opportunity_id)
        .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
        .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
        .join(owner, owner.c.id == OPP.c.owner_id)
        .join(SUPPORT_TYPE, SUPPORT_TYPE.c.id == SUPPORT.c.type_id)
        .join(DEPARTMENT, DEPARTMENT.c.id == SUPPORT.c.department_id)
        .outerjoin(requester, requester.c.id == SUPPORT.c.requested_by)
    )  # fmt: skip


LIST_COLUMNS = tuple(c.name for c in _base_query().selected_columns)


def request_for(session: Session, viewer: Viewer, request_id: int) -> Request:
    """The request ``request_id`` as ``viewer`` sees it (``not_found`` when they may not)."""
    row = session.execute(
        _base_query().where(SUPPORT.c.id == int(request_id), visible(viewer))
    ).one_or_none()
    if row is None:
        raise SupportError("not_found", f"no support request {request_id}", id=request_id)
    values = dict(row._mapping)
    answerable = may_answer(viewer, values["department_id"], member_department_ids(session, viewer))
    try:
        deal_for_write(session, viewer, values["code"])
        cancellable = True
    except DealError:
        cancellable = False
    open_ = values["status"] in OPEN_STATUSES
    return Request(int(values["id"]), int(values["version"]), values, answerable and open_,
                   cancellable and open_)  # fmt: skip


def _text(value: object, field: str, limit: int, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise SupportError("required", f"{field} is required", field)
    if len(text) > limit:
        raise SupportError("too_long", f"{field} over {limit}", field, limit=limit)
    return text


def _history(session: Session, actor: Viewer, request_id: int, kind: str, status: str,
             note: str = "") -> None:  # fmt: skip
    session.execute(
        insert(SUPPORT_HISTORY).values(request_id=request_id, kind=kind, status=status, note=note,
                                       actor_id=actor.user_id, happened_at=utcnow())
    )  # fmt: skip


def _audit(session: Session, actor: Viewer, request_id: int, verb: str, summary: str, **changes):
    audit.record(session, actor, action=verb, entity="support_request", entity_id=request_id,
                 summary=summary[:200], **changes)  # fmt: skip


def _type_row(session: Session, type_code: str):
    row = session.execute(
        select(SUPPORT_TYPE.c.id, SUPPORT_TYPE.c.department_id, SUPPORT_TYPE.c.name_zh)
        .where(SUPPORT_TYPE.c.code == (type_code or ""), SUPPORT_TYPE.c.active.is_(True))
    ).one_or_none()  # fmt: skip
    if row is None:
        raise SupportError("unknown_type", f"no active support type {type_code!r}", "type",
                           type=type_code or "")  # fmt: skip
    return row


def _department_id(session: Session, code: str) -> int:
    found = session.execute(
        select(DEPARTMENT.c.id).where(DEPARTMENT.c.code == code, DEPARTMENT.c.active.is_(True))
    ).scalar_one_or_none()
    if found is None:
        raise SupportError("unknown_department", f"no active department {code!r}", "department",
                           department=code)  # fmt: skip
    return int(found)


def raise_request(
    session: Session,
    actor: Viewer,
    code: str,
    *,
    type_code: str,
    what: str,
    expected_on: date | None,
    urgency: str = "normal",
    sets_risk: bool = False,
    department: str | None = None,
    today: date,
) -> int:
    """A new open request from deal ``code`` to ``department`` (default: the type's) raised
    on ``today`` (the company's day); with ``sets_risk`` it raises the deal's risk flag while
    open (``salesboard.support.risk``). Returns its id."""
    deal = deal_for_write(session, actor, code)  # not_found / read_only as any deal write
    require_not_lost(deal)
    kind = _type_row(session, type_code)
    text = _text(what, "what", MAX_WHAT, required=True)
    if urgency not in URGENCIES:
        raise SupportError("unknown_urgency", f"unknown urgency {urgency!r}", "urgency")
    if expected_on is not None and expected_on < today:
        raise SupportError("expected_in_past", f"expected {expected_on} before {today}",
                           "expected_on", day=today.isoformat())  # fmt: skip
    if department:
        department_id = _department_id(session, department)
    elif kind.department_id is not None:
        department_id = int(kind.department_id)
    else:
        raise SupportError("no_department", f"type {type_code} has no department", "department")
    now = utcnow()
    values = {"opportunity_id": deal.id, "type_id": kind.id, "department_id": department_id,
              "what": text, "expected_on": expected_on, "urgency": urgency, "status": "open",
              "sets_risk": bool(sets_risk)}  # fmt: skip
    request_id = session.execute(
        insert(SUPPORT).values(
            **values, risk_raised=False, requested_by=actor.user_id, requested_at=now,
            requested_on=today, resolution="", version=1, updated_at=now,
            updated_by=actor.user_id,
        ).returning(SUPPORT.c.id)
    ).scalar_one()  # fmt: skip
    request_id = int(request_id)
    if sets_risk and risk.raise_flag(session, actor, deal.code, request_id, today):
        session.execute(update(SUPPORT).where(SUPPORT.c.id == request_id).values(risk_raised=True))
    _history(session, actor, request_id, "raised", "open", text)
    _audit(session, actor, request_id, "create", f"{deal.code} {kind.name_zh}",
           new={**values, "code": deal.code})  # fmt: skip
    return request_id


def _for_step(
    session: Session, actor: Viewer, request_id: int, seen_version: int, *, answer: bool
) -> Request:
    request = request_for(session, actor, request_id)
    if request["status"] not in OPEN_STATUSES:
        raise SupportError("not_open", f"request {request_id} is {request['status']}",
                           status=request["status"])  # fmt: skip
    if not (request.answerable if answer else request.cancellable):
        raise SupportError("read_only", f"{actor.username} may not change {request_id}")
    if seen_version != request.version:
        raise SupportError("conflict", f"request {request_id} was changed meanwhile")
    return request


def _bump(session: Session, actor: Viewer, request: Request, **values: Any) -> None:
    changed = session.execute(
        update(SUPPORT)
        .where(SUPPORT.c.id == request.id, SUPPORT.c.version == request.version)
        .values(**values, version=SUPPORT.c.version + 1, updated_at=utcnow(),
                updated_by=actor.user_id)
    ).rowcount  # fmt: skip
    if changed != 1:
        raise SupportError("conflict", f"request {request.id} was changed meanwhile")


def _first_response(request: Request, actor: Viewer, today: date) -> dict[str, Any]:
    if request["responded_on"] is not None:
        return {}
    return {"responded_on": today, "responded_at": utcnow(), "responded_by": actor.user_id}


def answer(
    session: Session,
    actor: Viewer,
    request_id: int,
    seen_version: int,
    *,
    note: str = "",
    today: date,
) -> None:
    """Accept the request or write progress on it (``note``): it becomes in progress, and the
    first such step is its first response. A progress step without a note on a request
    already in progress is refused (``required``)."""
    request = _for_step(session, actor, request_id, seen_version, answer=True)
    text = _text(note, "note", MAX_NOTE, required=request["status"] == "in_progress")
    kind = "accepted" if request["status"] == "open" else "progress"
    _bump(session, actor, request, status="in_progress", **_first_response(request, actor, today))
    _history(session, actor, request.id, kind, "in_progress", text)
    _audit(session, actor, request.id, "transition", f"{request['code']} {kind}",
           old={"status": request["status"]}, new={"status": "in_progress", "note": text})  # fmt: skip


def _finish(session: Session, actor: Viewer, request: Request, status: str, text: str,
            today: date, extra: dict[str, Any]) -> None:  # fmt: skip
    _bump(session, actor, request, status=status, closed_on=today, closed_at=utcnow(),
          closed_by=actor.user_id, **extra)  # fmt: skip
    _history(session, actor, request.id, status, status, text)
    _audit(session, actor, request.id, "transition", f"{request['code']} {status}",
           old={"status": request["status"]}, new={"status": status, "note": text})  # fmt: skip
    if request["sets_risk"]:
        risk.release_flag(session, actor, int(request["opportunity_id"]), request.id, today)


def close_request(
    session: Session,
    actor: Viewer,
    request_id: int,
    seen_version: int,
    *,
    resolution: str,
    today: date,
) -> None:
    """Close the request with its ``resolution`` (required); closing an unanswered request
    is also its first response. A "sets risk" request releases the deal's flag."""
    request = _for_step(session, actor, request_id, seen_version, answer=True)
    text = _text(resolution, "resolution", MAX_NOTE, required=True)
    extra = {"resolution": text, **_first_response(request, actor, today)}
    _finish(session, actor, request, "closed", text, today, extra)


def cancel_request(
    session: Session,
    actor: Viewer,
    request_id: int,
    seen_version: int,
    *,
    reason: str = "",
    today: date,
) -> None:
    """Withdraw the request (whoever may change the deal); it then never breaches."""
    request = _for_step(session, actor, request_id, seen_version, answer=False)
    text = _text(reason, "reason", MAX_NOTE)
    _finish(session, actor, request, "cancelled", text, today, {})


def _frame(
    session: Session, query: Select, as_of: date, calendar: WorkCalendar | None
) -> pd.DataFrame:
    """The rows of ``query`` with the response clock on the company calendar (the stored one
    unless ``calendar`` is given)."""
    frame = frame_of(session, query).reindex(columns=list(LIST_COLUMNS))
    return with_clock(frame, as_of, calendar or load_calendar(session))


def deal_requests(
    session: Session,
    viewer: Viewer,
    opportunity_id: int,
    as_of: date,
    *,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """The requests of one deal ``viewer`` may see, newest first, with the response clock
    (``LIST_COLUMNS`` + ``waited_days, over_days, breached``)."""
    query = (
        _base_query()
        .where(SUPPORT.c.opportunity_id == int(opportunity_id), visible(viewer))
        .order_by(SUPPORT.c.id.desc())
    )
    return _frame(session, query, as_of, calendar)


def queue(
    session: Session,
    viewer: Viewer,
    as_of: date,
    department_ids: tuple[int, ...] = (),
    statuses: tuple[str, ...] = OPEN_STATUSES,
    mine: bool = False,
    *,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """The requests ``viewer`` may see in ``statuses`` (all when empty), of
    ``department_ids`` (all when empty), only their departments' with ``mine``: open ones
    first, then in progress, closed last; high urgency first; by expected date (none last),
    oldest request first."""
    query = _base_query().where(visible(viewer))
    if statuses:
        query = query.where(SUPPORT.c.status.in_(statuses))
    if department_ids:
        query = query.where(SUPPORT.c.department_id.in_(department_ids))
    if mine:
        owned = member_department_ids(session, viewer)
        query = query.where(SUPPORT.c.department_id.in_(owned) if owned else false())
    frame = _frame(session, query, as_of, calendar)
    order = frame.assign(
        _status=frame["status"].map({s: i for i, s in enumerate(STATUSES)}),
        _urgency=frame["urgency"].map({"high": 0, "normal": 1, "low": 2}),
        _no_date=frame["expected_on"].isna(),
    ).sort_values(["_status", "_urgency", "_no_date", "expected_on", "requested_on", "id"])
    return frame.loc[order.index].reset_index(drop=True)


def breaches(
    session: Session,
    viewer: Viewer,
    as_of: date,
    since: date | None = None,
    filters: OpportunityFilter = NO_FILTER,
    *,
    calendar: WorkCalendar | None = None,
) -> pd.DataFrame:
    """The breaching requests ``viewer`` may see on deals within ``filters``: those still
    waiting past their standard on ``as_of``, and those answered late on or after ``since``
    (none when None); most working days over first."""
    waiting = SUPPORT.c.status == "open"
    late = false() if since is None else SUPPORT.c.responded_on >= since
    query = filters.apply(
        _base_query().where(visible(viewer), or_(waiting, late), SUPPORT.c.requested_on <= as_of)
    )
    frame = _frame(session, query, as_of, calendar)
    frame = frame[frame["breached"]]
    return frame.sort_values(["over_days", "requested_on", "id"], ascending=[False, True, True],
                             ignore_index=True)  # fmt: skip


def request_history(session: Session, viewer: Viewer, request_id: int) -> pd.DataFrame:
    """The steps of a request ``viewer`` may see, oldest first: ``happened_at, actor, kind,
    status, note``."""
    request_for(session, viewer, request_id)  # not_found when hidden
    query = (
        select(SUPPORT_HISTORY.c.happened_at, USER.c.display_name.label("actor"),
               SUPPORT_HISTORY.c.kind, SUPPORT_HISTORY.c.status, SUPPORT_HISTORY.c.note)
        .select_from(SUPPORT_HISTORY.outerjoin(USER, USER.c.id == SUPPORT_HISTORY.c.actor_id))
        .where(SUPPORT_HISTORY.c.request_id == int(request_id))
        .order_by(SUPPORT_HISTORY.c.id)
    )  # fmt: skip
    return frame_of(session, query)


def type_choices(session: Session) -> pd.DataFrame:
    """The active support types a deal may ask for: ``code, name_zh, name_en, department``
    (code), ``response_days``."""
    query = (
        select(SUPPORT_TYPE.c.code, SUPPORT_TYPE.c.name_zh, SUPPORT_TYPE.c.name_en,
               DEPARTMENT.c.code.label("department"), SUPPORT_TYPE.c.response_days)
        .outerjoin(DEPARTMENT, DEPARTMENT.c.id == SUPPORT_TYPE.c.department_id)
        .where(SUPPORT_TYPE.c.active.is_(True))
        .order_by(SUPPORT_TYPE.c.id)
    )  # fmt: skip
    return frame_of(session, query).reindex(
        columns=["code", "name_zh", "name_en", "department", "response_days"]
    )


def department_choices(session: Session) -> pd.DataFrame:
    """The active departments: ``id, code, name_zh, name_en``."""
    query = select(DEPARTMENT.c.id, DEPARTMENT.c.code, DEPARTMENT.c.name_zh,
                   DEPARTMENT.c.name_en).where(DEPARTMENT.c.active.is_(True)).order_by(DEPARTMENT.c.id)  # fmt: skip
    return frame_of(session, query).reindex(columns=["id", "code", "name_zh", "name_en"])
