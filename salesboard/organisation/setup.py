"""The first-run checklist (issue 14 item 6): what a company still has to set up before its
figures mean anything — organisation, people, customers, deals, goals, stage standards — each
step ticking itself from what the store holds."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.store.models import (
    AuditLog,
    Customer,
    Goal,
    Opportunity,
    ProductLine,
    Region,
    Role,
    Team,
    User,
)


@dataclass(frozen=True)
class SetupStep:
    """One step: its code (``setup.step.<code>`` in i18n), whether the store shows it done,
    and the page (file in ``pages/``) where it is done."""

    code: str
    done: bool
    page: str


def _count(session: Session, model, *where) -> int:
    return int(session.execute(select(func.count()).select_from(model).where(*where)).scalar())


def setup_steps(session: Session) -> list[SetupStep]:
    """The checklist in the order a company works through it."""
    organisation = all(
        _count(session, model, model.active) for model in (Region, Team, ProductLine)
    )
    people = _count(session, User, User.active, User.role == Role.REP) > 0
    # The stage standards count as reviewed once an admin saved the stage settings.
    stages = _count(session, AuditLog, AuditLog.entity == "stage") > 0
    return [
        SetupStep("organisation", organisation, "pages/organisation_settings.py"),
        SetupStep("people", people, "pages/users_admin.py"),
        SetupStep("customers", _count(session, Customer) > 0, "pages/data_upload.py"),
        SetupStep("deals", _count(session, Opportunity) > 0, "pages/data_upload.py"),
        SetupStep("goals", _count(session, Goal) > 0, "pages/goal_settings.py"),
        SetupStep("stages", stages, "pages/stage_settings.py"),
    ]
