"""Reading the audit log: filtered, newest first, a page at a time, and exported.

Admins and leaders read it (``require(viewer.sees_everything)``). Every filter is a bound
parameter; the free-text search escapes LIKE wildcards, so ``%`` or ``_`` match themselves.
Times are stored in UTC and shown in the company's time zone (``SALESBOARD_TIMEZONE``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pandas as pd
from sqlalchemy import false, func, or_, select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, require
from salesboard.accounts.audit_text import code_label, readable_summary, readable_values
from salesboard.i18n import t
from salesboard.outputs import export
from salesboard.store.settings import get_settings
from salesboard.store.tables import AUDIT

PAGE_SIZE = 50
# An export holds at most this many entries (newest first); narrow the filters for more.
EXPORT_LIMIT = 100_000
COLUMNS = (
    "at",
    "actor_name",
    "action",
    "entity",
    "entity_id",
    "summary",
    "old_values",
    "new_values",
)


@dataclass(frozen=True)
class AuditQuery:
    """What to look for; empty fields do not filter. ``since``/``until`` are calendar days
    in the company's time zone (both inclusive); ``text`` is searched in the summary and the
    old and new values, case-insensitively."""

    actor: str = ""
    action: str = ""
    entity: str = ""
    entity_id: str = ""
    since: date | None = None
    until: date | None = None
    text: str = ""


@dataclass(frozen=True)
class AuditPage:
    """One page of matching entries (``frame`` columns: ``COLUMNS``, ``at`` in local time),
    the number of matches and of pages."""

    frame: pd.DataFrame
    total: int
    page: int
    pages: int


def company_zone() -> ZoneInfo:
    """The time zone audit times are shown in (``SALESBOARD_TIMEZONE``, default Asia/Shanghai)."""
    return ZoneInfo(get_settings().timezone)


def _require_reader(viewer: Viewer) -> None:
    require(viewer.sees_everything, "audit_readers", "only leaders and admins read the audit log")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=company_zone()).astimezone(UTC)


def _conditions(query: AuditQuery) -> list:
    conditions = []
    for column, value in (
        (AUDIT.c.actor_name, query.actor),
        (AUDIT.c.action, query.action),
        (AUDIT.c.entity, query.entity),
        (AUDIT.c.entity_id, query.entity_id.strip()),
    ):
        if value:
            conditions.append(column == value)
    if query.since is not None:
        conditions.append(AUDIT.c.at >= _day_start(query.since))
    if query.until is not None:
        conditions.append(AUDIT.c.at < _day_start(query.until + timedelta(days=1)))
    if query.since and query.until and query.since > query.until:
        conditions.append(false())
    text = query.text.strip().lower()
    if text:
        conditions.append(
            or_(
                *(
                    func.lower(column).contains(text, autoescape=True)
                    for column in (AUDIT.c.summary, AUDIT.c.old_values, AUDIT.c.new_values)
                )
            )
        )
    return conditions


def _local(stamps: pd.Series) -> pd.Series:
    """UTC stamps (naive from SQLite) as naive local wall-clock times for display."""
    if stamps.empty:
        return pd.to_datetime(stamps)
    converted = pd.to_datetime(stamps, utc=True).dt.tz_convert(company_zone())
    return converted.dt.tz_localize(None).dt.floor("s")


def _frame(session: Session, statement) -> pd.DataFrame:
    rows = session.execute(statement).all()
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["at"] = _local(frame["at"])
    return frame


def _select(query: AuditQuery):
    return (
        select(*(AUDIT.c[name] for name in COLUMNS))
        .where(*_conditions(query))
        .order_by(AUDIT.c.at.desc(), AUDIT.c.id.desc())
    )


def search_audit(
    session: Session, viewer: Viewer, query: AuditQuery, page: int = 1, page_size: int = PAGE_SIZE
) -> AuditPage:
    """Entries matching ``query``, newest first: page ``page`` (from 1) of ``page_size``."""
    _require_reader(viewer)
    total = int(
        session.execute(
            select(func.count()).select_from(AUDIT).where(*_conditions(query))
        ).scalar_one()
    )
    pages = max(1, math.ceil(total / page_size))
    page = min(max(1, page), pages)
    frame = _frame(session, _select(query).limit(page_size).offset((page - 1) * page_size))
    return AuditPage(frame, total, page, pages)


def audit_filter_choices(session: Session, viewer: Viewer) -> dict[str, list[str]]:
    """The actors, actions and entities present in the log, for the filter pickers."""
    _require_reader(viewer)
    return {
        name: sorted(v for v in session.execute(select(AUDIT.c[name]).distinct()).scalars() if v)
        for name in ("actor_name", "action", "entity")
    }


def audit_table(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` as a person reads it (``audit_text``): action and entity names, the summary
    and the old and new values in words, translated headings (for display and export)."""
    shown = frame.copy()
    shown["summary"] = [
        readable_summary(a, s, o, n, lang)
        for a, s, o, n in zip(
            frame["action"], frame["summary"], frame["old_values"], frame["new_values"],
            strict=True,
        )
    ]  # fmt: skip
    shown["action"] = [code_label("action", c, lang) for c in frame["action"]]
    shown["entity"] = [code_label("entity", c, lang) for c in frame["entity"]]
    for column in ("old_values", "new_values"):
        shown[column] = [readable_values(v, lang) for v in frame[column]]
    return shown.rename(columns={c: t(f"audit.col.{c}", lang) for c in COLUMNS})


def audit_export(session: Session, viewer: Viewer, query: AuditQuery, fmt: str, lang: str) -> bytes:
    """The entries matching ``query`` (newest first, at most ``EXPORT_LIMIT``) as ``fmt``
    ("xlsx" or "csv") with headings in ``lang``."""
    _require_reader(viewer)
    table = audit_table(_frame(session, _select(query).limit(EXPORT_LIMIT)), lang)
    if fmt == "csv":
        return export.to_csv_bytes(table)
    if fmt != "xlsx":
        raise ValueError(f"unknown export format {fmt!r}; use xlsx or csv")
    at = t("audit.col.at", lang)
    sheet = export.Sheet(
        name=t("audit.title", lang),
        frame=table,
        formats={at: "datetime"},
        title=f"{t('audit.title', lang)} ({get_settings().timezone})",
    )
    return export.to_xlsx([sheet])
