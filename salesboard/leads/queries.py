"""Reading leads within the viewer's scope: the list, one lead, time to assign in working
minutes against the standard, the breaches (for the Leads page and the weekly review), a
rep's new leads (My work) and lead → opportunity conversion by source and month.

Scope: a rep sees the leads assigned to them; a manager the leads of their teams (assigned,
or routed to the team and waiting); leaders and admins every lead. A lead out of scope reads
exactly like one that does not exist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import case, false, func, literal, select, true
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.clock import now
from salesboard.calendar.workdays import load_calendar
from salesboard.leads.errors import LeadError
from salesboard.leads.rules import working_minutes_many
from salesboard.leads.settings import LeadSettings, load_settings
from salesboard.store.models import Role
from salesboard.store.queries import frame_of, minutes_between, sum_if
from salesboard.store.tables import LEAD, OPP, TEAM, USER

STATUSES = ("new", "assigned", "converted", "rejected")
OPEN_STATUSES = ("new", "assigned")
LIST_LIMIT = 500


def visible(viewer: Viewer):
    """SQL condition on ``lead``: the leads ``viewer`` may see."""
    if viewer.sees_everything:
        return true()
    if viewer.role == Role.REP:
        return LEAD.c.assigned_to == viewer.user_id
    if viewer.role == Role.MANAGER and viewer.team_ids:
        return LEAD.c.team_id.in_(viewer.team_ids)
    return false()


def _columns():
    return (
        LEAD, USER.c.display_name.label("assignee"), USER.c.username.label("assignee_username"),
        TEAM.c.name.label("team"), OPP.c.code.label("deal_code"),
    )  # fmt: skip


def _joined(query):
    return (
        query.outerjoin(USER, USER.c.id == LEAD.c.assigned_to)
        .outerjoin(TEAM, TEAM.c.id == LEAD.c.team_id)
        .outerjoin(OPP, OPP.c.id == LEAD.c.opportunity_id)
    )


def with_time_to_assign(
    frame: pd.DataFrame, session: Session, at: datetime, settings: LeadSettings | None = None
) -> pd.DataFrame:
    """``frame`` (lead rows) with ``minutes_to_assign`` — working minutes from arrival to
    the first assignment, or to ``at`` (or its closing) while it waits — and ``breach``."""
    settings = settings or load_settings(session)
    out = frame.copy()
    received = _stamps(out["received_at"])
    ended = _stamps(out["assigned_at"]).fillna(_stamps(out["closed_at"])).fillna(pd.Timestamp(at))
    minutes = working_minutes_many(received, ended, load_calendar(session), settings.hours)
    out["minutes_to_assign"] = pd.Series(minutes, index=out.index, dtype="int64")
    out["waiting"] = out["assigned_at"].isna() & out["status"].isin(OPEN_STATUSES)
    out["breach"] = out["minutes_to_assign"] > settings.standard_minutes
    return out


def list_leads(
    session: Session,
    viewer: Viewer,
    statuses: tuple[str, ...] = (),
    source: str | None = None,
    search: str = "",
    at: datetime | None = None,
    limit: int = LIST_LIMIT,
) -> pd.DataFrame:
    """The leads ``viewer`` may see, newest first (at most ``limit``), with their assignee,
    team, deal code, time to assign and breach."""
    query = _joined(select(*_columns())).where(visible(viewer))
    if statuses:
        query = query.where(LEAD.c.status.in_(statuses))
    if source:
        query = query.where(LEAD.c.source == source)
    if search.strip():
        query = query.where(LEAD.c.company.contains(search.strip(), autoescape=True))
    frame = frame_of(
        session, query.order_by(LEAD.c.received_at.desc(), LEAD.c.id.desc()).limit(limit)
    )
    return with_time_to_assign(frame, session, at or now())


def lead_for(session: Session, viewer: Viewer, lead_id: int) -> dict:
    """One lead as ``viewer`` sees it (``not_found`` when they may not)."""
    row = session.execute(
        _joined(select(*_columns())).where(LEAD.c.id == lead_id, visible(viewer))
    ).one_or_none()
    if row is None:
        raise LeadError("not_found", f"no lead {lead_id}", "lead", id=lead_id)
    return dict(row._mapping)


def status_counts(session: Session, viewer: Viewer) -> dict[str, int]:
    """How many leads ``viewer`` sees in each status."""
    rows = session.execute(
        select(LEAD.c.status, func.count()).where(visible(viewer)).group_by(LEAD.c.status)
    ).all()
    return {status: int(count) for status, count in rows}


def _stamps(values: pd.Series) -> pd.Series:
    """Stored UTC stamps (SQLite text, PostgreSQL datetimes) as aware pandas stamps."""
    return pd.to_datetime(values, utc=True, format="mixed")


@dataclass(frozen=True)
class Breaches:
    """The leads over the time-to-assign standard: how many, and the longest waits."""

    count: int
    longest: pd.DataFrame  # list rows + minutes_to_assign, waiting; the longest first


def lead_breaches(
    session: Session,
    viewer: Viewer,
    since: datetime | None = None,
    at: datetime | None = None,
    limit: int | None = None,
) -> Breaches:
    """The leads in ``viewer``'s scope received since ``since`` whose time to assign is over
    the standard (assigned late, or still waiting): all of them counted, the ``limit``
    longest (all when None) as list rows plus ``minutes_to_assign``, ``waiting``.

    Working minutes never exceed wall-clock minutes, so the database hands over only the
    leads whose wall-clock wait is over the standard (a minute's margin for rounding), and
    only their stamps; their working minutes are counted exactly here, and the list rows
    are read for the longest alone (a leader's quarter holds ten thousand breaches)."""
    at = at or now()
    settings = load_settings(session)
    ended = func.coalesce(
        LEAD.c.assigned_at, LEAD.c.closed_at, literal(at, type_=LEAD.c.received_at.type)
    )
    stamps = select(
        LEAD.c.id, LEAD.c.received_at, LEAD.c.assigned_at, LEAD.c.closed_at, LEAD.c.status
    ).where(
        visible(viewer), minutes_between(ended, LEAD.c.received_at) > settings.standard_minutes - 1
    )
    if since is not None:
        stamps = stamps.where(LEAD.c.received_at >= since)
    timed = with_time_to_assign(frame_of(session, stamps), session, at, settings)
    late = timed[timed["breach"]].sort_values(["minutes_to_assign", "id"], ascending=[False, True])
    shown = late if limit is None else late.head(limit)
    rows = _rows_of(session, [int(i) for i in shown["id"]])
    # Inner: a lead removed between the two reads is left out, not shown as an empty row.
    longest = shown[["id", "minutes_to_assign", "waiting"]].merge(rows, on="id", how="inner")
    return Breaches(len(late), longest.reset_index(drop=True))


def _rows_of(session: Session, ids: list[int], chunk: int = 5_000) -> pd.DataFrame:
    """The list rows of the leads ``ids`` (read in chunks: IN lists stay short)."""
    parts = [
        frame_of(session, _joined(select(*_columns())).where(LEAD.c.id.in_(ids[i : i + chunk])))
        for i in range(0, max(len(ids), 1), chunk)
    ]
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def new_leads_for(session: Session, viewer: Viewer, limit: int = 20) -> pd.DataFrame:
    """A rep's leads to follow up (assigned to them, not yet converted or rejected), oldest
    first: ``id, company, contact_name, contact_phone, received_at, score``."""
    if viewer.user_id is None:
        return pd.DataFrame(columns=["id", "company", "contact_name", "contact_phone",
                                     "received_at", "score"])  # fmt: skip
    query = (
        select(LEAD.c.id, LEAD.c.company, LEAD.c.contact_name, LEAD.c.contact_phone,
               LEAD.c.received_at, LEAD.c.score)
        .where(LEAD.c.assigned_to == viewer.user_id, LEAD.c.status == "assigned")
        .order_by(LEAD.c.received_at).limit(limit)
    )  # fmt: skip
    return frame_of(session, query)


def _month_starts(start: date, end: date) -> list[date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def conversion_by_source(
    session: Session, viewer: Viewer, start: date, end: date, zone: str
) -> pd.DataFrame:
    """Lead → opportunity conversion by source and month received (company zone), for the
    leads ``viewer`` sees received from ``start`` to ``end``: ``month, source, received,
    converted, rate`` (converted so far of that month's leads; rate a ratio). Counted in
    SQL: a month runs from its first moment in the company zone to the next month's."""
    tz = ZoneInfo(zone)
    months = _month_starts(start, end)
    labels = [m.strftime("%Y-%m") for m in months]
    received = LEAD.c.received_at
    bounds = [datetime.combine(m, time.min, tz) for m in months[1:]]
    month = (
        case(*[(received < b, label) for b, label in zip(bounds, labels, strict=False)],
             else_=labels[-1])
        if bounds else literal(labels[0])
    )  # fmt: skip
    leads = (
        select(month.label("month"), LEAD.c.source, LEAD.c.status)
        .where(visible(viewer),
               received >= datetime.combine(start, time.min, tz),
               received <= datetime.combine(end, time.max, tz))
        .subquery()
    )  # fmt: skip
    frame = frame_of(
        session,
        select(leads.c.month, leads.c.source, func.count().label("received"),
               sum_if(leads.c.status == "converted").label("converted"))
        .group_by(leads.c.month, leads.c.source)
        .order_by(leads.c.month, leads.c.source),
    )  # fmt: skip
    columns = ["month", "source", "received", "converted", "rate"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["received"] = frame["received"].astype(int)
    frame["converted"] = frame["converted"].astype(int)
    frame["rate"] = frame["converted"] / frame["received"]
    return frame[columns]


def lead_view(session: Session, viewer: Viewer, lead_id: int) -> dict:
    """``lead_for`` with ``minutes_to_assign``, ``waiting`` and ``breach`` (as of now)."""
    lead = lead_for(session, viewer, lead_id)
    timed = with_time_to_assign(pd.DataFrame([lead]), session, now()).iloc[0]
    return {**lead, **{k: timed[k] for k in ("minutes_to_assign", "waiting", "breach")}}
