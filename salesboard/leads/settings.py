"""The company's lead settings (admins): working hours and the time-to-assign standard
(``app_setting``), the scoring criteria and the assignment rules — read by arrival and the
figures, changed only by admins and audited."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, require
from salesboard.leads.errors import LeadError
from salesboard.leads.rules import SCORED_FIELDS, Criterion, Rule, WorkingHours, parse_clock
from salesboard.store.models import AppSetting, LeadSource, ProductLine, Region, Role
from salesboard.store.queries import frame_of
from salesboard.store.settings import get_settings
from salesboard.store.tables import LEAD_CRITERION, LEAD_RULE, TEAM, USER

SETTING_KEY = "leads.settings"
DEFAULTS = {"work_start": "09:00", "work_end": "18:00", "standard_minutes": 60}
MAX_POINTS = 1000


@dataclass(frozen=True)
class LeadSettings:
    """Working hours (company zone) and the time-to-assign standard in working minutes."""

    hours: WorkingHours
    standard_minutes: int

    def as_dict(self) -> dict[str, object]:
        return {
            "work_start": self.hours.start.strftime("%H:%M"),
            "work_end": self.hours.end.strftime("%H:%M"),
            "standard_minutes": self.standard_minutes,
        }


def load_settings(session: Session) -> LeadSettings:
    """The stored lead settings (09:00–18:00 and 60 minutes when none are stored)."""
    row = session.get(AppSetting, SETTING_KEY)
    values = {**DEFAULTS, **(json.loads(row.value) if row is not None and row.value else {})}
    hours = WorkingHours(
        parse_clock(str(values["work_start"])), parse_clock(str(values["work_end"])),
        get_settings().timezone,
    )  # fmt: skip
    return LeadSettings(hours, int(values["standard_minutes"]))


def save_settings(
    session: Session, actor: Viewer, work_start: str, work_end: str, standard_minutes: int
) -> None:
    """Store the working hours ("HH:MM") and the standard (minutes, 1–2880); admins only."""
    require(actor.is_admin, "admin_only", "only an admin changes lead settings")
    try:
        start, end = parse_clock(work_start), parse_clock(work_end)
    except ValueError as error:
        raise LeadError("bad_clock", str(error), "work_start") from error
    if end <= start:
        raise LeadError("hours_order", "the working day ends before it starts", "work_end")
    if not 1 <= int(standard_minutes) <= 2880:
        raise LeadError("bad_standard", "the standard is 1–2880 minutes", "standard_minutes")
    before = load_settings(session).as_dict()
    after = {"work_start": start.strftime("%H:%M"), "work_end": end.strftime("%H:%M"),
             "standard_minutes": int(standard_minutes)}  # fmt: skip
    row = session.get(AppSetting, SETTING_KEY) or AppSetting(key=SETTING_KEY)
    row.value = json.dumps(after, sort_keys=True)
    session.add(row)
    old, new = audit.changed_fields(before, after)
    audit.record(session, actor, action="update", entity="setting", entity_id=SETTING_KEY,
                 summary="lead settings", old=old, new=new)  # fmt: skip


def load_criteria(session: Session) -> list[Criterion]:
    """The scoring criteria, by field and value."""
    rows = session.execute(
        select(LEAD_CRITERION.c.field, LEAD_CRITERION.c.value, LEAD_CRITERION.c.points)
        .order_by(LEAD_CRITERION.c.field, LEAD_CRITERION.c.id)
    ).all()  # fmt: skip
    return [Criterion(*row) for row in rows]


def save_criteria(session: Session, actor: Viewer, criteria: list[Criterion]) -> None:
    """Replace the scoring criteria (admins only): known fields, a value, points 0–1000,
    a budget value a whole number of yuan; scores of stored leads stay as they were given."""
    require(actor.is_admin, "admin_only", "only an admin changes lead scoring")
    clean: list[Criterion] = []
    for row, c in enumerate(criteria, start=1):
        value = str(c.value).strip()
        if c.field not in SCORED_FIELDS:
            raise LeadError("bad_criterion", f"row {row}: field {c.field}", "field", row=row)
        if not value or len(value) > 64 or (c.field == "budget" and not value.isdigit()):
            raise LeadError("bad_criterion", f"row {row}: value {value!r}", "value", row=row)
        if not 0 <= int(c.points) <= MAX_POINTS:
            raise LeadError("bad_criterion", f"row {row}: points {c.points}", "points", row=row)
        clean.append(Criterion(c.field, value, int(c.points)))
    before = [c.__dict__ for c in load_criteria(session)]
    session.execute(delete(LEAD_CRITERION))
    if clean:
        session.execute(insert(LEAD_CRITERION), [c.__dict__ for c in clean])
    audit.record(session, actor, action="update", entity="setting", entity_id="lead_scoring",
                 summary="lead scoring criteria", old={"criteria": before},
                 new={"criteria": [c.__dict__ for c in clean]})  # fmt: skip


def load_rules(session: Session, active_only: bool = True) -> list[Rule]:
    """The assignment rules by priority."""
    query = select(LEAD_RULE.c.id, LEAD_RULE.c.position, LEAD_RULE.c.region_id,
                   LEAD_RULE.c.industry, LEAD_RULE.c.team_id, LEAD_RULE.c.user_id)  # fmt: skip
    if active_only:
        query = query.where(LEAD_RULE.c.active)
    return [Rule(*row) for row in session.execute(query.order_by(LEAD_RULE.c.position))]


def rules_frame(session: Session) -> pd.DataFrame:
    """The active rules as the settings page lists them: ``id, position, region_id,
    industry, team_id, team, user_id, rep``."""
    query = (
        select(LEAD_RULE.c.id, LEAD_RULE.c.position, LEAD_RULE.c.region_id, LEAD_RULE.c.industry,
               LEAD_RULE.c.team_id, TEAM.c.name.label("team"), LEAD_RULE.c.user_id,
               USER.c.display_name.label("rep"))
        .outerjoin(TEAM, TEAM.c.id == LEAD_RULE.c.team_id)
        .outerjoin(USER, USER.c.id == LEAD_RULE.c.user_id)
        .where(LEAD_RULE.c.active).order_by(LEAD_RULE.c.position, LEAD_RULE.c.id)
    )  # fmt: skip
    return frame_of(session, query)


def add_rule(
    session: Session,
    actor: Viewer,
    *,
    region: str | None,
    industry: str = "",
    team: int | None = None,
    rep: str | None = None,
) -> int:
    """A new assignment rule after the existing ones (admins only): ``region`` a code (None:
    any), ``industry`` text ("" any), to ``team`` (round robin) or ``rep`` (a username)."""
    require(actor.is_admin, "admin_only", "only an admin changes assignment rules")
    region_id = None
    if region:
        region_id = session.execute(
            select(Region.id).where(Region.code == region, Region.active)
        ).scalar()
        if region_id is None:
            raise LeadError("unknown_region", f"no region {region!r}", "region", value=region)
    industry = (industry or "").strip()
    if len(industry) > 64:
        raise LeadError("too_long", "industry over 64", "industry", field="industry", limit=64)
    if (team is None) == (not rep):
        raise LeadError("rule_target", "a rule routes to a team or a rep", "team")
    user_id = None
    if rep:
        user_id = session.execute(
            select(USER.c.id).where(USER.c.username == rep, USER.c.active,
                                    USER.c.role.in_((Role.REP, Role.MANAGER)),
                                    USER.c.team_id.is_not(None))
        ).scalar()  # fmt: skip
        if user_id is None:
            raise LeadError("unknown_rep", f"no rep {rep!r}", "rep", value=rep)
    elif session.execute(select(TEAM.c.id).where(TEAM.c.id == team, TEAM.c.active)).first() is None:
        raise LeadError("unknown_team", f"no team {team}", "team", value=str(team))
    last = session.execute(
        select(LEAD_RULE.c.position).order_by(LEAD_RULE.c.position.desc())
    ).scalar()
    values = {"position": (last or 0) + 1, "region_id": region_id, "industry": industry,
              "team_id": team if not rep else None, "user_id": user_id, "active": True}  # fmt: skip
    rule_id = session.execute(insert(LEAD_RULE).values(**values)).inserted_primary_key[0]
    audit.record(session, actor, action="create", entity="lead_rule", entity_id=rule_id,
                 summary=f"{region or '*'} / {industry or '*'}", new=values)  # fmt: skip
    return int(rule_id)


def retire_rule(session: Session, actor: Viewer, rule_id: int) -> None:
    """Stop using a rule (kept: leads it routed still name it); admins only."""
    require(actor.is_admin, "admin_only", "only an admin changes assignment rules")
    changed = session.execute(
        update(LEAD_RULE).where(LEAD_RULE.c.id == rule_id, LEAD_RULE.c.active).values(active=False)
    ).rowcount
    if changed != 1:
        raise LeadError("not_found", f"no rule {rule_id}", "rule", id=rule_id)
    audit.record(session, actor, action="delete", entity="lead_rule", entity_id=rule_id,
                 summary=f"rule {rule_id} retired", old={"active": True}, new={"active": False})  # fmt: skip


def active_sources(session: Session) -> dict[str, tuple[str, str]]:
    """The lead sources new leads may name: code → (Chinese, English name)."""
    rows = session.execute(
        select(LeadSource.code, LeadSource.name_zh, LeadSource.name_en)
        .where(LeadSource.active).order_by(LeadSource.id)
    ).all()  # fmt: skip
    return {code: (zh, en) for code, zh, en in rows}


def lookup_names(session: Session) -> dict[str, dict]:
    """Names the pages show codes and ids with: ``sources`` code → (zh, en) (retired too),
    ``regions`` id → (code, zh, en), ``teams`` id → (name, English name), ``lines`` the
    active product lines code → (zh, en)."""
    return {
        "sources": {c: (zh, en) for c, zh, en in session.execute(
            select(LeadSource.code, LeadSource.name_zh, LeadSource.name_en))},
        "regions": {i: (c, zh, en) for i, c, zh, en in session.execute(
            select(Region.id, Region.code, Region.name_zh, Region.name_en).order_by(Region.id))},
        "teams": {i: (n, en or n) for i, n, en in session.execute(
            select(TEAM.c.id, TEAM.c.name, TEAM.c.name_en).where(TEAM.c.active).order_by(TEAM.c.id))},
        "lines": {c: (zh, en) for c, zh, en in session.execute(
            select(ProductLine.code, ProductLine.name_zh, ProductLine.name_en)
            .where(ProductLine.active).order_by(ProductLine.id))},
    }  # fmt: skip
