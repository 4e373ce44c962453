"""Settings a company edits in the app: its working calendar and key/value settings."""

from __future__ import annotations

from datetime import date

from sqlmodel import Field, SQLModel


class CalendarOverride(SQLModel, table=True):
    """A company-specific day off or extra working day; wins over the public calendar."""

    __tablename__ = "calendar_override"
    day: date = Field(primary_key=True)
    is_working: bool
    note: str = Field(default="", max_length=200)


class AppSetting(SQLModel, table=True):
    """Key/value settings edited in the app (currency unit, thresholds …) as JSON text."""

    __tablename__ = "app_setting"
    key: str = Field(primary_key=True, max_length=64)
    value: str = ""
