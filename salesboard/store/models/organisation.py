"""The organisation and its customers: regions, teams, users, team managers, product
lines, customer types, lead sources, customers.

Regions, teams, product lines, customer types and lead sources are never deleted once
something refers to them: ``active`` False retires one (kept on old records, not offered for
new ones)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from salesboard.store.models.base import Role, utcnow
from salesboard.store.models.rollups import summed_amount


class Region(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class Team(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    # The English name; empty: the team is called by ``name`` in both languages.
    name_en: str = Field(default="", max_length=64, sa_column_kwargs={"server_default": ""})
    region_id: int = Field(foreign_key="region.id", index=True)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    display_name: str = Field(max_length=64)
    email: str | None = Field(default=None, max_length=128)
    # The language of the user's reminders ("zh" or "en"); empty: the company default.
    language: str = Field(default="", max_length=8, sa_column_kwargs={"server_default": ""})
    role: str = Field(default=Role.REP, max_length=16)
    team_id: int | None = Field(default=None, foreign_key="team.id", index=True)
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    # argon2 hash; empty means the user cannot sign in with a password (e.g. OIDC only).
    password_hash: str = Field(default="", max_length=255)
    password_changed_at: datetime | None = None
    must_change_password: bool = False
    failed_logins: int = 0
    locked_until: datetime | None = None


class TeamManager(SQLModel, table=True):
    """Which teams a manager leads (sees and reviews); a manager may lead several teams."""

    __tablename__ = "team_manager"
    team_id: int = Field(foreign_key="team.id", primary_key=True)
    user_id: int = Field(foreign_key="user.id", primary_key=True, index=True)


class ProductLine(SQLModel, table=True):
    __tablename__ = "product_line"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class CustomerType(SQLModel, table=True):
    """A customer type a company uses (``Customer.customer_type`` holds its code)."""

    __tablename__ = "customer_type"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class LeadSource(SQLModel, table=True):
    """Where leads come from (``Opportunity.source`` holds its code)."""

    __tablename__ = "lead_source"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=32)
    name_zh: str = Field(max_length=64)
    name_en: str = Field(max_length=64)
    active: bool = Field(default=True, sa_column_kwargs={"server_default": sa.true()})


class Customer(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("name", "region_id"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=128, index=True)
    industry: str = Field(default="", max_length=64)
    region_id: int = Field(foreign_key="region.id", index=True)
    # enterprise / smb / government …: free codes so companies can add their own.
    customer_type: str = Field(default="enterprise", max_length=32)
    potential: str = Field(default="low", max_length=16)  # high / low (seed 001 matrix)
    # True: ``potential`` was set by hand (wins over the rule, ``salesboard.customers.matrix``);
    # False: the rule decides and the stored ``potential`` is not read.
    potential_by_hand: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True)
    created_on: date
    # The customer's first won deal (earliest won day, then id), its day, owner, team and
    # region, kept in step by triggers on ``opportunity`` (migrations 0029, 0031): a period's
    # new customers per rep, team or region are a range of ``ix_customer_first_won`` alone.
    # No foreign keys: a deal already refers to its customer.
    first_won_deal_id: int | None = None
    first_won_on: date | None = None
    first_won_owner_id: int | None = None
    first_won_team_id: int | None = None
    first_won_region_id: int | None = None
    # The amount of the customer's open deals, and of its deals won on or after the kept day
    # (``CustomerValueWindow.won_since``; nothing while it is unset), kept in step by
    # triggers on ``opportunity`` (migration 0035): the customer matrix of the whole company
    # reads the customers alone (``store.customer_totals``).
    won_since_minor: int = Field(default=0, sa_column=summed_amount(server_default="0"))
    open_minor: int = Field(default=0, sa_column=summed_amount(server_default="0"))


class CustomerValueWindow(SQLModel, table=True):
    """One row (``id`` 1): the day from which ``customer.won_since_minor`` counts wins (None:
    not set yet, nothing counted). Moved by ``store.customer_totals.advance``."""

    __tablename__ = "customer_value_window"
    id: int = Field(primary_key=True)
    won_since: date | None = None
