"""Leads from a spreadsheet (CSV, XLSX, XLS): the file read by the import's readers (size
limits, encodings, header row), headers matched in Chinese or English, every row checked and
stored as an arriving lead — scored, routed and assigned — in one transaction. A row that
fails is reported with its spreadsheet row number and the field at fault, and then nothing is
written (fix the file and import it again); ``dry_run`` checks without writing.

The received time comes from a 接收时间 / received column (in the company's zone; a date alone
is 09:00), else the moment of the import."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time
from zoneinfo import ZoneInfo

import pandas as pd
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.clock import now
from salesboard.importing.mapping import header_key
from salesboard.importing.service import read_upload
from salesboard.leads.arrival import LeadInput, receive_lead
from salesboard.leads.errors import LeadError
from salesboard.store.settings import get_settings

# Field → the header spellings it is recognised by (compared through ``header_key``).
HEADERS = {
    "source": ("来源", "线索来源", "source", "lead source"),
    "company": ("公司", "公司名称", "客户", "客户名称", "company", "customer"),
    "contact_name": ("联系人", "姓名", "contact", "contact name", "name"),
    "contact_phone": ("电话", "手机", "联系电话", "phone", "mobile"),
    "contact_email": ("邮箱", "电子邮箱", "email", "e-mail"),
    "industry": ("行业", "industry"),
    "region": ("区域", "region"),
    "budget": ("预算", "budget"),
    "urgency": ("紧急度", "紧急程度", "urgency"),
    "fit": ("匹配度", "fit"),
    "message": ("留言", "备注", "message", "note"),
    "received_at": ("接收时间", "时间", "received", "received at"),
}
LEVEL_WORDS = {"高": "high", "中": "medium", "低": "low"}


@dataclass
class LeadImport:
    """What an import did or would do: rows read, lead ids stored, and the problems by row
    (spreadsheet row number, field, error code, values for the message)."""

    rows: int = 0
    created: list[int] = field(default_factory=list)
    problems: list[tuple[int, str, str, dict]] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def map_headers(columns: list[str]) -> dict[str, str]:
    """Field → column for the columns whose header names a lead field."""
    keys = {header_key(spelling): name for name, spellings in HEADERS.items()
            for spelling in spellings}  # fmt: skip
    mapped: dict[str, str] = {}
    for column in columns:
        name = keys.get(header_key(column))
        if name and name not in mapped:
            mapped[name] = column
    return mapped


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).strip()


def _received(text: str, zone: str) -> datetime:
    try:
        moment = pd.Timestamp(text)
    except (ValueError, TypeError) as error:
        raise LeadError(
            "bad_received", f"not a time: {text!r}", "received_at", value=text
        ) from error
    if pd.isna(moment):
        raise LeadError("bad_received", f"not a time: {text!r}", "received_at", value=text)
    local = moment.to_pydatetime()
    if local.tzinfo is None:
        if local.time() == time(0) and ":" not in text:
            local = local.replace(hour=9)
        local = local.replace(tzinfo=ZoneInfo(zone))
    if local > now():
        raise LeadError("bad_received", f"in the future: {text!r}", "received_at", value=text)
    return local


def _row_lead(values: dict[str, str]) -> LeadInput:
    levels = {k: LEVEL_WORDS.get(values.get(k, ""), values.get(k, "")) for k in ("urgency", "fit")}
    return LeadInput(
        source=values.get("source", ""), company=values.get("company", ""),
        contact_name=values.get("contact_name", ""), contact_phone=values.get("contact_phone", ""),
        contact_email=values.get("contact_email", ""), industry=values.get("industry", ""),
        region=values.get("region", ""), budget=values.get("budget") or None,
        urgency=levels["urgency"], fit=levels["fit"], message=values.get("message", ""),
    )  # fmt: skip


def import_leads(
    session: Session, actor: Viewer, data: bytes, name: str, *, dry_run: bool = False
) -> LeadImport:
    """Read ``data`` (file ``name``) and store its leads in the caller's transaction; on any
    problem (or ``dry_run``) the rows written are undone and the report says why."""
    table = read_upload(data, name)
    mapped = map_headers(table.columns)
    report = LeadImport(rows=len(table.frame),
                        unmapped=[c for c in table.columns if c not in mapped.values()])  # fmt: skip
    zone = get_settings().timezone
    for missing in ("source", "company"):
        if missing not in mapped:
            report.problems.append((table.header_row, missing, "missing_column", {}))
    if report.problems:
        return report
    savepoint = session.begin_nested()
    for row_number, row in table.frame.iterrows():
        values = {name: _cell(row[column]) for name, column in mapped.items()}
        try:
            received = _received(values["received_at"], zone) if values.get("received_at") else None
            lead_id, _ = receive_lead(session, actor, _row_lead(values), received_at=received)
            report.created.append(lead_id)
        except LeadError as error:
            report.problems.append((int(row_number), error.field, error.code, dict(error.params)))
    if report.problems or dry_run:
        savepoint.rollback()
        report.created = [] if report.problems else report.created
    else:
        savepoint.commit()
    return report
