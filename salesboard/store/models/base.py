"""What every table module shares: the metadata with named constraints, UTC stamps, money
columns and the enumerations of the domain.

Money is stored as integer minor units (分 for CNY) in BIGINT columns, never float.
Dates that carry business meaning are ``date``; audit stamps are UTC ``datetime``.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, MetaData
from sqlmodel import SQLModel

# Named constraints let Alembic's SQLite batch mode drop and recreate them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata


def utcnow() -> datetime:
    """Timezone-aware now in UTC, for audit stamps."""
    return datetime.now(UTC)


def money_column(**kwargs) -> Column:
    """A BIGINT column of money in minor units (not null unless told otherwise)."""
    return Column(BigInteger, nullable=kwargs.pop("nullable", False), **kwargs)


class Role(enum.StrEnum):
    """What a user may see and do (enforced in queries by a later issue)."""

    REP = "rep"
    MANAGER = "manager"
    LEADER = "leader"
    ADMIN = "admin"
    # Supporting departments' people (issue 17): their support queue and My account only.
    SUPPORT = "support"


class OpportunityStatus(enum.StrEnum):
    OPEN = "open"
    WON = "won"
    LOST = "lost"


class StageKind(enum.StrEnum):
    """Open stages move forward (a deal in one can still be lost; contract signing is the last
    of them); ``won`` stages come after the contract is signed (delivery: still controlled,
    its key actions can be overdue); ``lost`` is terminal."""

    OPEN = "open"
    WON = "won"
    LOST = "lost"


class GoalScope(enum.StrEnum):
    COMPANY = "company"
    PRODUCT_LINE = "product_line"
    REGION = "region"
    TEAM = "team"
    REP = "rep"


class GoalMetric(enum.StrEnum):
    """Goal metrics; money metrics are in minor units, counts are plain numbers."""

    REVENUE = "revenue"
    NEW_CUSTOMERS = "new_customers"
    COLLECTION = "collection"
    VISITS = "visits"
    CYCLE_DAYS = "cycle_days"  # lower is better
    # 客单价: won amount ÷ won deals (issue 17) — an average, like the cycle
    ORDER_VALUE = "order_value"


LOWER_IS_BETTER_METRICS = frozenset({GoalMetric.CYCLE_DAYS})
MONEY_METRICS = frozenset({GoalMetric.REVENUE, GoalMetric.COLLECTION, GoalMetric.ORDER_VALUE})
