"""Departments' members and support types' settings (issue 17, 资源协调): the parts of the
``department`` and ``support_type`` lists that are more than a code and two names.

Members may be any active user (a price approver may be a sales manager); people who do
nothing but answer requests get the ``support`` role, which opens their queue and My
account only. Admin-only and audited, as every organisation change."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import delete, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.organisation.lists import KINDS, OrganisationError, _entry, _require_admin
from salesboard.store.models import Department, DepartmentMember, SupportType, User

MAX_RESPONSE_DAYS = 60


def departments(session: Session, active_only: bool = False) -> pd.DataFrame:
    """Departments: ``id, code, name_zh, name_en, active, members`` (usernames, a list)."""
    query = select(Department.id, Department.code, Department.name_zh, Department.name_en,
                   Department.active).order_by(Department.id)  # fmt: skip
    if active_only:
        query = query.where(Department.active)
    frame = pd.DataFrame(session.execute(query).all(),
                         columns=["id", "code", "name_zh", "name_en", "active"])  # fmt: skip
    members = department_members(session)
    frame["members"] = [members.get(int(i), []) for i in frame["id"]]
    return frame


def department_members(session: Session) -> dict[int, list[str]]:
    """Department id → its members' usernames, alphabetically."""
    rows = session.execute(
        select(DepartmentMember.department_id, User.username)
        .join(User, User.id == DepartmentMember.user_id)
        .order_by(User.username)
    ).all()
    members: dict[int, list[str]] = {}
    for department_id, username in rows:
        members.setdefault(int(department_id), []).append(username)
    return members


def member_choices(session: Session) -> dict[str, str]:
    """Username → display name of every active user (any of them may answer requests)."""
    rows = session.execute(
        select(User.username, User.display_name).where(User.active).order_by(User.display_name)
    ).all()
    return dict(rows)


def set_members(session: Session, actor: Viewer, department: str, usernames: Sequence[str]) -> None:
    """The members of ``department`` (by code) become exactly ``usernames`` (active users)."""
    _require_admin(actor)
    row = _entry(session, KINDS["department"], department)
    wanted = sorted(set(usernames))
    found = dict(
        session.execute(
            select(User.username, User.id).where(User.username.in_(wanted), User.active)
        ).all()
    )
    missing = [u for u in wanted if u not in found]
    if missing:
        raise OrganisationError("unknown_user", f"{missing[0]!r} is no active user", "members",
                                user=missing[0])  # fmt: skip
    before = department_members(session).get(row.id, [])
    if before == wanted:
        return
    session.execute(delete(DepartmentMember).where(DepartmentMember.department_id == row.id))
    session.add_all(DepartmentMember(department_id=row.id, user_id=found[u]) for u in wanted)
    session.flush()
    audit.record(session, actor, action="update", entity="department", entity_id=row.id,
                 summary=row.name_zh, old={"members": before}, new={"members": wanted})  # fmt: skip


def support_types(session: Session, active_only: bool = False) -> pd.DataFrame:
    """Support types: ``id, code, name_zh, name_en, active, department`` (its code, "" when
    none) and ``response_days`` (working days)."""
    query = (
        select(SupportType.id, SupportType.code, SupportType.name_zh, SupportType.name_en,
               SupportType.active, Department.code.label("department"),
               SupportType.response_days)
        .outerjoin(Department, Department.id == SupportType.department_id)
        .order_by(SupportType.id)
    )  # fmt: skip
    if active_only:
        query = query.where(SupportType.active)
    frame = pd.DataFrame(
        session.execute(query).all(),
        columns=["id", "code", "name_zh", "name_en", "active", "department", "response_days"],
    )
    frame["department"] = frame["department"].fillna("")
    return frame


def set_type_settings(
    session: Session, actor: Viewer, code: str, *, department: str, response_days: int
) -> bool:
    """Set a support type's default department (an active one's code) and response standard
    (0–60 working days); returns whether anything changed."""
    _require_admin(actor)
    row = _entry(session, KINDS["support_type"], code)
    try:
        days = int(response_days)
    except (TypeError, ValueError):
        days = -1
    if not 0 <= days <= MAX_RESPONSE_DAYS:
        raise OrganisationError("bad_response_days", f"{response_days!r} not 0–60",
                                "response_days", limit=MAX_RESPONSE_DAYS)  # fmt: skip
    target = session.execute(
        select(Department).where(Department.code == (department or ""), Department.active)
    ).scalar_one_or_none()
    if target is None:
        raise OrganisationError("unknown_department", f"no active department {department!r}",
                                "department", department=department or "")  # fmt: skip
    before = {"department_id": row.department_id, "response_days": row.response_days}
    old, new = audit.changed_fields(before, {"department_id": target.id, "response_days": days})
    if not new:
        return False
    row.department_id, row.response_days = target.id, days
    session.flush()
    audit.record(session, actor, action="update", entity="support_type", entity_id=row.id,
                 summary=row.name_zh, old=old, new=new)  # fmt: skip
    return True
