"""Tables of cross-department support (资源协调, issue 17, DOMAIN §6).

- ``department``: a supporting department (技术部, 财务部 …): code, names, ``active``;
- ``department_member``: who works a department's queue (any user; the ``support`` role is
  for people who do nothing else in Salesboard);
- ``support_type``: a kind of help (技术方案, 价格审批 …), the department it goes to by
  default and its response standard in working days;
- ``support_request``: one request from a deal — what, expected date, urgency
  (low / normal / high), status (open / in_progress / closed / cancelled), when it was
  raised, first answered and closed (UTC stamps, and the company-calendar day of each, which
  the working-day clock counts on), the resolution, whether it raises the deal's risk flag
  while open, and ``version`` against lost updates;
- ``support_history``: every step of a request (raised, accepted, progress note, closed,
  cancelled) with its note and who did it.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import utcnow


class Department(SQLModel, table=True):
    """A department that answers support requests (retired with ``active`` False)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class DepartmentMember(SQLModel, table=True):
    """A person who works a department's queue."""

    __tablename__ = "department_member"
    department_id: int = Field(foreign_key="department.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class SupportType(SQLModel, table=True):
    """A kind of help a deal can ask for, its default department and response standard."""

    __tablename__ = "support_type"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    department_id: int | None = Field(default=None, foreign_key="department.id")
    response_days: int = Field(default=2)  # working days to the first response
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class SupportRequest(SQLModel, table=True):
    """A request for help from a deal to a department; stamps are UTC, ``*_on`` days are the
    company's calendar days the working-day clock counts on."""

    __tablename__ = "support_request"
    __table_args__ = (
        Index("ix_support_request_department_status", "department_id", "status"),
        Index("ix_support_request_status_requested", "status", "requested_on"),
    )
    id: int | None = Field(default=None, primary_key=True)
    opportunity_id: int = Field(foreign_key="opportunity.id", index=True)
    type_id: int = Field(foreign_key="support_type.id")
    department_id: int = Field(foreign_key="department.id")
    what: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    expected_on: date | None = None
    urgency: str = Field(default="normal", max_length=8)
    status: str = Field(default="open", max_length=16)
    sets_risk: bool = False
    # Whether raising it set the deal's risk flag (closing then clears it, see support.risk).
    risk_raised: bool = False
    requested_by: int | None = Field(default=None, foreign_key="user.id")
    requested_at: datetime = Field(default_factory=utcnow)
    requested_on: date
    responded_at: datetime | None = None
    responded_on: date | None = None
    responded_by: int | None = Field(default=None, foreign_key="user.id")
    closed_at: datetime | None = None
    closed_on: date | None = None
    closed_by: int | None = Field(default=None, foreign_key="user.id")
    resolution: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow)
    updated_by: int | None = Field(default=None, foreign_key="user.id")


class SupportHistory(SQLModel, table=True):
    """One step of a request: raised / accepted / progress / closed / cancelled / edited."""

    __tablename__ = "support_history"
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="support_request.id", index=True)
    kind: str = Field(max_length=16)
    status: str = Field(default="", max_length=16)  # the request's status after the step
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    actor_id: int | None = Field(default=None, foreign_key="user.id")
    happened_at: datetime = Field(default_factory=utcnow)
