"""The lists an admin keeps (regions, teams, product lines, customer types, lead
sources, reasons deals are lost, departments and support types): read, add, rename, retire and restore, and the managers of a team.

Codes never change once given: they are in URLs, imports and exports. Nothing is deleted:
an entry that records refer to is retired (``active`` False) and stays on those records.
Every change is admin-only and audited with the old and new values."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, func, select
from sqlmodel import Session, SQLModel

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require
from salesboard.i18n.names import same_name
from salesboard.store.models import (
    CustomerType,
    Department,
    LeadSource,
    LostReason,
    ProductLine,
    Region,
    Role,
    SupportType,
    Team,
    TeamManager,
    User,
)

CODE_PATTERN = re.compile(r"[a-z0-9][a-z0-9_\-]{0,31}")
NAME_LENGTH = 64


class OrganisationError(ValueError):
    """A refused change; ``code`` is translated by the UI and the CLI (``org.error.<code>``),
    ``field`` names the field at fault and ``params`` fill the message."""

    def __init__(self, error: str, message: str, field: str = "", **params: object) -> None:
        super().__init__(message)
        self.code = error
        self.field = field
        self.params = params


@dataclass(frozen=True)
class ListKind:
    """One list: its table and the column that identifies an entry to people (a team is
    known by its name; the others by a code)."""

    name: str
    model: type[SQLModel]
    key: str = "code"

    @property
    def has_code(self) -> bool:
        return self.key == "code"


KINDS: dict[str, ListKind] = {
    kind.name: kind
    for kind in (
        ListKind("region", Region),
        ListKind("team", Team, key="name"),
        ListKind("product_line", ProductLine),
        ListKind("customer_type", CustomerType),
        ListKind("lead_source", LeadSource),
        ListKind("lost_reason", LostReason),
        # Issue 17: who answers support requests and what they are asked for (members and a
        # type's department and standard: ``salesboard.organisation.departments``).
        ListKind("department", Department),
        ListKind("support_type", SupportType),
    )
}
ENTRY_COLUMNS = ("id", "key", "name_zh", "name_en", "active")


def list_kind(name: str) -> ListKind:
    """The list called ``name`` (``OrganisationError("unknown_kind")`` otherwise)."""
    if name not in KINDS:
        raise OrganisationError("unknown_kind", f"no list called {name!r}", kind=name)
    return KINDS[name]


def _require_admin(actor: Viewer) -> None:
    require(actor.is_admin, "admin_only", "only an admin may change the organisation")


def entries(session: Session, kind: str) -> pd.DataFrame:
    """Every entry of ``kind`` in the order it was added: id, key (the code; a team's name),
    name_zh, name_en (a team without an English name: its name), active; teams also carry
    their region's code and their managers' usernames (a list)."""
    spec = list_kind(kind)
    model = spec.model
    if kind == "team":
        rows = session.execute(
            select(Team.id, Team.name, Team.name, Team.name_en, Team.active, Region.code)
            .join(Region, Region.id == Team.region_id)
            .order_by(Team.id)
        ).all()
        frame = pd.DataFrame(rows, columns=[*ENTRY_COLUMNS, "region"])
        frame["name_en"] = frame["name_en"].where(frame["name_en"] != "", frame["name_zh"])
        managers = team_managers(session)
        frame["managers"] = [managers.get(int(i), []) for i in frame["id"]]
        return frame
    rows = session.execute(
        select(model.id, model.code, model.name_zh, model.name_en, model.active).order_by(model.id)
    ).all()
    return pd.DataFrame(rows, columns=list(ENTRY_COLUMNS))


def team_managers(session: Session) -> dict[int, list[str]]:
    """Team id → the usernames of its managers, alphabetically."""
    rows = session.execute(
        select(TeamManager.team_id, User.username)
        .join(User, User.id == TeamManager.user_id)
        .order_by(User.username)
    ).all()
    managers: dict[int, list[str]] = {}
    for team_id, username in rows:
        managers.setdefault(int(team_id), []).append(username)
    return managers


def _entry(session: Session, spec: ListKind, key: str) -> SQLModel:
    row = session.execute(
        select(spec.model).where(getattr(spec.model, spec.key) == key)
    ).scalar_one_or_none()
    if row is None:
        raise OrganisationError("unknown_entry", f"no {spec.name} {key!r}", "key", entry=key)
    return row


def _clean_names(spec: ListKind, name_zh: str, name_en: str) -> tuple[str, str]:
    zh, en = (name_zh or "").strip(), (name_en or "").strip()
    if not zh:
        raise OrganisationError("name_missing", "the Chinese name is empty", "name_zh")
    for field, value in (("name_zh", zh), ("name_en", en)):
        if len(value) > NAME_LENGTH:
            raise OrganisationError(
                "name_too_long", f"{field} is over {NAME_LENGTH} characters", field,
                limit=NAME_LENGTH,
            )  # fmt: skip
    # A team without an English name is called by its name in both languages.
    return zh, en if en or spec.name == "team" else zh


def _refuse_same_name(session: Session, spec: ListKind, zh: str, entry_id: int | None) -> None:
    column = spec.model.name if spec.name == "team" else spec.model.name_zh
    others = session.execute(select(column).where(spec.model.id != (entry_id or -1))).scalars()
    twin = same_name(zh, others)
    if twin is not None:
        raise OrganisationError(
            "name_taken", f"{zh!r} is already there as {twin!r}", "name_zh", name=twin
        )


def _region_id(session: Session, code: str | None) -> int:
    region = session.execute(select(Region).where(Region.code == (code or ""))).scalar()
    if region is None or not region.active:
        raise OrganisationError("unknown_region", f"no active region {code!r}", "region",
                                region=code or "")  # fmt: skip
    return region.id


def _values(spec: ListKind, row: SQLModel) -> dict:
    names = {"name": row.name} if spec.name == "team" else {"name_zh": row.name_zh}
    extra = {"region_id": row.region_id} if spec.name == "team" else {}
    return {**names, "name_en": row.name_en, "active": row.active, **extra}


def add_entry(
    session: Session,
    actor: Viewer,
    kind: str,
    *,
    code: str = "",
    name_zh: str,
    name_en: str = "",
    region: str | None = None,
) -> int:
    """Add an entry to ``kind`` and return its id. A code is lower-case letters, digits,
    ``_`` and ``-`` (teams have none: their name identifies them); a team needs an active
    region. Refused: a code or a Chinese name already there (also written differently)."""
    _require_admin(actor)
    spec = list_kind(kind)
    zh, en = _clean_names(spec, name_zh, name_en)
    fields: dict = {"name_en": en}
    if spec.has_code:
        code = (code or "").strip()
        if not CODE_PATTERN.fullmatch(code):
            raise OrganisationError("bad_code", f"code {code!r} is not a-z, 0-9, _ or -",
                                    "code", code=code)  # fmt: skip
        taken = select(func.count()).where(spec.model.code == code)
        if session.execute(taken).scalar_one():
            raise OrganisationError("code_taken", f"code {code!r} exists", "code", code=code)
        fields |= {"code": code, "name_zh": zh}
    else:
        fields |= {"name": zh, "region_id": _region_id(session, region)}
    _refuse_same_name(session, spec, zh, None)
    row = spec.model(**fields)
    session.add(row)
    session.flush()
    audit.record(session, actor, action="create", entity=kind, entity_id=row.id,
                 summary=zh, new=_values(spec, row))  # fmt: skip
    return int(row.id)


def change_entry(
    session: Session,
    actor: Viewer,
    kind: str,
    key: str,
    *,
    name_zh: str | None = None,
    name_en: str | None = None,
    active: bool | None = None,
    region: str | None = None,
) -> bool:
    """Rename, retire (``active=False``), restore or (a team) move an entry found by its key;
    returns whether anything changed. Refused: retiring a region with active teams or a team
    with active people, a Chinese name another entry has."""
    _require_admin(actor)
    spec = list_kind(kind)
    row = _entry(session, spec, key)
    before = _values(spec, row)
    current_zh = row.name if spec.name == "team" else row.name_zh
    zh, en = _clean_names(
        spec, current_zh if name_zh is None else name_zh,
        row.name_en if name_en is None else name_en,
    )  # fmt: skip
    if zh != current_zh:
        _refuse_same_name(session, spec, zh, row.id)
    if spec.name == "team":
        row.name = zh
        if region is not None:
            row.region_id = _region_id(session, region)
    else:
        row.name_zh = zh
    row.name_en = en
    if active is False and row.active:
        _refuse_retiring_in_use(session, spec, row)
    if active is not None:
        row.active = active
    old, new = audit.changed_fields(before, _values(spec, row))
    if not new:
        return False
    session.flush()
    action = "deactivate" if new.get("active") is False else "update"
    audit.record(session, actor, action=action, entity=kind, entity_id=row.id, summary=zh,
                 old=old, new=new)  # fmt: skip
    return True


def _refuse_retiring_in_use(session: Session, spec: ListKind, row: SQLModel) -> None:
    """A region keeps its active teams and a team its active people: retire those first."""
    if spec.name == "region":
        count = select(func.count()).where(Team.region_id == row.id, Team.active)
        code = "region_has_teams"
    elif spec.name == "team":
        count = select(func.count()).where(User.team_id == row.id, User.active)
        code = "team_has_people"
    else:
        return
    active = int(session.execute(count).scalar_one())
    if active:
        raise OrganisationError(code, f"{active} still active", "active", count=active)


def set_team_managers(session: Session, actor: Viewer, team: str, usernames: Sequence[str]) -> None:
    """The managers of ``team`` (by name) become exactly ``usernames``: active users with the
    manager role (one may lead several teams)."""
    _require_admin(actor)
    spec = KINDS["team"]
    row = _entry(session, spec, team)
    wanted = sorted(set(usernames))
    found = dict(
        session.execute(
            select(User.username, User.id).where(
                User.username.in_(wanted), User.active, User.role == Role.MANAGER
            )
        ).all()
    )
    missing = [u for u in wanted if u not in found]
    if missing:
        raise OrganisationError("not_a_manager", f"{missing[0]!r} is no active manager",
                                "managers", user=missing[0])  # fmt: skip
    before = team_managers(session).get(row.id, [])
    if before == wanted:
        return
    session.execute(delete(TeamManager).where(TeamManager.team_id == row.id))
    session.add_all(TeamManager(team_id=row.id, user_id=found[u]) for u in wanted)
    session.flush()
    audit.record(session, actor, action="update", entity="team", entity_id=row.id,
                 summary=row.name, old={"managers": before},
                 new={"managers": wanted})  # fmt: skip


def manager_choices(session: Session) -> dict[str, str]:
    """Username → display name of every active manager (who may lead teams)."""
    rows = session.execute(
        select(User.username, User.display_name)
        .where(User.active, User.role == Role.MANAGER)
        .order_by(User.display_name)
    ).all()
    return dict(rows)
