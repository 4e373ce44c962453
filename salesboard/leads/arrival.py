"""A lead arrives (typed in, imported, or posted to the inbound API): its fields checked (a
refusal names the field and writes nothing), scored on the configured criteria, routed by
the first matching assignment rule and assigned at once — to the rule's rep, or to the next
rep of the rule's team in turn — so the ≤ 1 working hour clock of seed 002 runs from arrival.

The round robin holds each team's position in ``lead_team_cursor``, moved by one UPDATE that
takes the row lock first: on PostgreSQL concurrent arrivals for a team queue on it, on SQLite
the write transaction (``BEGIN IMMEDIATE``) does; no rep is skipped or given two leads in a
row by a race. A post with an idempotency key the source has used before returns the lead it
created (the same body) or is refused (``idempotency_conflict``), also under a race."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.calendar.clock import now
from salesboard.importing.numbers import ValueProblemError, parse_amount, to_minor_units
from salesboard.leads.errors import LeadError
from salesboard.leads.rules import LEVELS, matching_rule, next_in_rotation, score_lead
from salesboard.leads.settings import active_sources, load_criteria, load_rules
from salesboard.store.models import Region, Role
from salesboard.store.tables import LEAD, LEAD_CURSOR, USER

LIMITS = {"company": 128, "contact_name": 64, "contact_phone": 32, "contact_email": 128,
          "industry": 64, "message": 2000}  # fmt: skip
_PHONE = re.compile(r"^[0-9+\-() ]{3,32}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class LeadInput:
    """A lead as it comes in: ``region`` a region code, ``budget`` text (85万, ¥850,000) or
    yuan, ``urgency`` / ``fit`` high / medium / low or empty."""

    source: str
    company: str
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    industry: str = ""
    region: str = ""
    budget: object = None
    urgency: str = ""
    fit: str = ""
    message: str = ""
    extra: dict = field(default_factory=dict)

    def fingerprint(self) -> str:
        """SHA-256 of the fields: a retried post has the same, a different post another."""
        values = {k: ("" if v is None else str(v)) for k, v in asdict(self).items()}
        return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()


def may_add(actor: Viewer) -> bool:
    """Reps, managers and admins (and the API's source principals) add leads."""
    return actor.role in (Role.REP, Role.MANAGER, Role.ADMIN)


def _text(value: object, name: str, *, required: bool = False) -> str:
    text = "" if value is None else str(value).strip()
    if required and not text:
        raise LeadError("required", f"{name} is required", name, field=name)
    if len(text) > LIMITS[name]:
        raise LeadError("too_long", f"{name} over {LIMITS[name]}", name, field=name,
                        limit=LIMITS[name])  # fmt: skip
    return text


def _budget(value: object) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = parse_amount(value)
    except ValueProblemError:
        amount = None
    if amount is None or amount < 0:
        raise LeadError("bad_budget", f"not a budget: {value!r}", "budget", value=str(value))
    return to_minor_units(amount)


def clean_lead(session: Session, lead: LeadInput) -> dict[str, object]:
    """The lead's columns, checked: a known active source, a company, lengths, a phone and
    an e-mail that look like one, a known region, a budget, urgency and fit levels."""
    source = (lead.source or "").strip()
    if source not in active_sources(session):
        raise LeadError("unknown_source", f"no lead source {source!r}", "source", value=source)
    values: dict[str, object] = {
        name: _text(getattr(lead, name), name, required=name == "company") for name in LIMITS
    }
    if values["contact_phone"] and not _PHONE.match(str(values["contact_phone"])):
        raise LeadError("bad_phone", "not a phone number", "contact_phone",
                        value=values["contact_phone"])  # fmt: skip
    if values["contact_email"] and not _EMAIL.match(str(values["contact_email"])):
        raise LeadError("bad_email", "not an e-mail address", "contact_email",
                        value=values["contact_email"])  # fmt: skip
    region_id = None
    if (lead.region or "").strip():
        region_id = session.execute(
            select(Region.id).where(Region.code == lead.region.strip(), Region.active)
        ).scalar()
        if region_id is None:
            raise LeadError("unknown_region", f"no region {lead.region!r}", "region",
                            value=lead.region)  # fmt: skip
    for name in ("urgency", "fit"):
        level = str(getattr(lead, name) or "").strip().lower()
        if level and level not in LEVELS:
            raise LeadError("bad_level", f"{name} {level!r}", name, field=name, value=level)
        values[name] = level
    values.update(source=source, region_id=region_id, budget_minor=_budget(lead.budget))
    return values


def _rotation_turn(session: Session, team_id: int) -> int | None:
    """The rep of ``team_id`` whose turn it is, the team's cursor moved to them (None: the
    team has no active rep). The first UPDATE takes the cursor's row lock."""
    bump = update(LEAD_CURSOR).where(LEAD_CURSOR.c.team_id == team_id)
    if session.execute(bump.values(turns=LEAD_CURSOR.c.turns + 1)).rowcount != 1:
        try:
            with session.begin_nested():
                session.execute(insert(LEAD_CURSOR).values(team_id=team_id, turns=1))
        except IntegrityError:  # another arrival made the team's cursor first
            session.execute(bump.values(turns=LEAD_CURSOR.c.turns + 1))
    last = session.execute(
        select(LEAD_CURSOR.c.last_user_id).where(LEAD_CURSOR.c.team_id == team_id)
    ).scalar()
    reps = session.execute(
        select(USER.c.id).where(USER.c.team_id == team_id, USER.c.active, USER.c.role == Role.REP)
    ).scalars()
    chosen = next_in_rotation(list(reps), last)
    if chosen is not None:
        session.execute(bump.values(last_user_id=chosen))
    return chosen


def route(session: Session, region_id: int | None, industry: str) -> dict[str, object]:
    """Where a lead goes: ``rule_id``, ``team_id``, ``assigned_to`` (None when no rule
    matches, or the rule's team has no rep — it waits for its managers)."""
    rule = matching_rule(load_rules(session), region_id, industry)
    if rule is None:
        return {"rule_id": None, "team_id": None, "assigned_to": None}
    if rule.user_id is not None:
        person = session.execute(
            select(USER.c.id, USER.c.team_id).where(USER.c.id == rule.user_id, USER.c.active)
        ).one_or_none()
        if person is not None and person.team_id is not None:
            return {"rule_id": rule.id, "team_id": person.team_id, "assigned_to": person.id}
        return {"rule_id": rule.id, "team_id": None, "assigned_to": None}
    assert rule.team_id is not None
    return {"rule_id": rule.id, "team_id": rule.team_id,
            "assigned_to": _rotation_turn(session, rule.team_id)}  # fmt: skip


def _existing(session: Session, source: str, key: str):
    return session.execute(
        select(LEAD.c.id, LEAD.c.request_hash)
        .where(LEAD.c.source == source, LEAD.c.idempotency_key == key)
    ).one_or_none()  # fmt: skip


def _replay(found, fingerprint: str, key: str) -> int:
    if found.request_hash != fingerprint:
        raise LeadError("idempotency_conflict", f"key {key!r} was used for another lead",
                        "idempotency_key", key=key)  # fmt: skip
    return int(found.id)


def receive_lead(
    session: Session,
    actor: Viewer,
    lead: LeadInput,
    *,
    received_at: datetime | None = None,
    idempotency_key: str | None = None,
) -> tuple[int, bool]:
    """Store, score, route and assign a new lead in the caller's transaction; returns
    ``(lead id, created)`` — ``created`` False when ``idempotency_key`` replays a post."""
    if not may_add(actor):
        raise LeadError("read_only", f"{actor.username} may not add leads")
    values = clean_lead(session, lead)
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > 128:
        raise LeadError("too_long", "idempotency key over 128", "idempotency_key",
                        field="idempotency_key", limit=128)  # fmt: skip
    fingerprint = lead.fingerprint() if key else ""
    if key and (found := _existing(session, str(values["source"]), key)) is not None:
        return _replay(found, fingerprint, key), False
    arrived = received_at or now()
    if arrived.tzinfo is None:
        raise LeadError("naive_time", "received_at needs a time zone", "received_at")
    values["score"] = score_lead(values, load_criteria(session))
    try:
        with session.begin_nested():  # a racing duplicate key undoes the turn as well
            routed = route(session, values["region_id"], str(values["industry"]))  # type: ignore[arg-type]
            assigned = routed["assigned_to"] is not None
            row = {**values, **routed, "received_at": arrived, "idempotency_key": key,
                   "request_hash": fingerprint, "status": "assigned" if assigned else "new",
                   "assigned_at": now() if assigned else None, "created_by": actor.user_id,
                   "reject_reason": "", "reject_note": "", "version": 1}  # fmt: skip
            lead_id = int(session.execute(insert(LEAD).values(**row)).inserted_primary_key[0])
    except IntegrityError:
        found = _existing(session, str(values["source"]), key) if key else None
        if found is None:
            raise
        return _replay(found, fingerprint, key), False
    audit.record(session, actor, action="create", entity="lead", entity_id=lead_id,
                 summary=str(values["company"]),
                 new={k: row[k] for k in ("source", "company", "score", "status", "team_id",
                                          "assigned_to", "rule_id")})  # fmt: skip
    return lead_id, True
