"""Creating a deal in the app (the seed's 新建商机): a customer picked or created within the
creator's scope, a product line, an amount in 万 or yuan, an expected close and a lead source;
the code is generated (``codes``), the deal starts in the first open stage (线索获取) with that
stage's key actions planned, and its creation is the first entry of its timeline.

Scope: a rep creates deals they own, a manager for themselves or a rep of a team they lead,
an admin for anyone; leaders read only. Customers in scope are those of the regions of the
creator's teams (everyone's for leaders and admins)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pandas as pd
from sqlalchemy import false, insert, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.calendar.workdays import load_calendar
from salesboard.deals.checklist import plan_stage_actions, stages
from salesboard.deals.codes import next_code
from salesboard.deals.errors import DealError
from salesboard.deals.writing import DealRow, check_day, clean_text, event
from salesboard.importing.numbers import ValueProblemError, parse_amount, to_minor_units
from salesboard.store.models import (
    CustomerType,
    LeadSource,
    OpportunityEventKind,
    OpportunityStatus,
    ProductLine,
    Region,
    Role,
    StageKind,
)
from salesboard.store.queries import frame_of
from salesboard.store.tables import CUSTOMER, HISTORY, OPP, TEAM, USER

MAX_CUSTOMER_NAME = 128
MAX_DEAL_NAME = 200


def _scope_regions(session: Session, viewer: Viewer) -> list[int] | None:
    """The regions whose customers ``viewer`` works with (None: all)."""
    if viewer.sees_everything:
        return None
    if not viewer.team_ids:
        return []
    return list(
        session.execute(select(TEAM.c.region_id).where(TEAM.c.id.in_(viewer.team_ids))).scalars()
    )


def customers_in_scope(session: Session, viewer: Viewer, search: str = "", limit: int = 50):
    """Customers ``viewer`` may open deals for whose name contains ``search``, by name:
    ``id, name, region_id`` (at most ``limit``)."""
    query = select(CUSTOMER.c.id, CUSTOMER.c.name, CUSTOMER.c.region_id).order_by(CUSTOMER.c.name)
    regions = _scope_regions(session, viewer)
    if regions is not None:
        query = query.where(CUSTOMER.c.region_id.in_(regions))
    if search.strip():
        query = query.where(CUSTOMER.c.name.contains(search.strip(), autoescape=True))
    return frame_of(session, query.limit(limit))


def _customer_id(session: Session, viewer: Viewer, customer: int | str) -> int | None:
    """The id of ``customer`` (an id, or an exact name) within ``viewer``'s scope."""
    column = CUSTOMER.c.id if isinstance(customer, int) else CUSTOMER.c.name
    query = select(CUSTOMER.c.id).where(column == (customer if isinstance(customer, int)
                                                   else customer.strip()))  # fmt: skip
    regions = _scope_regions(session, viewer)
    if regions is not None:
        query = query.where(CUSTOMER.c.region_id.in_(regions))
    found = session.execute(query.limit(2)).scalars().all()
    if len(found) > 1:
        raise DealError("customer_ambiguous", f"several customers named {customer}", "customer",
                        customer=str(customer))  # fmt: skip
    return found[0] if found else None


def parse_deal_amount(value: object) -> int:
    """A deal amount typed as 85万, ¥850,000 or 850000 (yuan) in minor units, positive."""
    if isinstance(value, int):
        amount = Decimal(value) / 100
    else:
        try:
            amount = parse_amount(value)
        except ValueProblemError:
            amount = None
        if amount is None:
            raise DealError("amount_invalid", f"not an amount: {value!r}", "amount",
                            value=str(value or ""))  # fmt: skip
    if amount <= 0:
        raise DealError("amount_invalid", f"not a positive amount: {value!r}", "amount",
                        value=str(value))  # fmt: skip
    return to_minor_units(amount) if not isinstance(value, int) else value


def _owner(session: Session, actor: Viewer, owner: str | None):
    """The owner row (id, team_id, region_id) of a new deal, as ``actor`` may assign."""
    username = owner or actor.username
    row = session.execute(
        select(USER.c.id, USER.c.role, USER.c.team_id, TEAM.c.region_id)
        .outerjoin(TEAM, TEAM.c.id == USER.c.team_id)
        .where(USER.c.username == username, USER.c.active)
    ).one_or_none()
    visible = row is not None and (
        actor.sees_everything
        or row.id == actor.user_id
        or (actor.role == Role.MANAGER and row.team_id in actor.team_ids)
    )
    if not visible or row.role not in (Role.REP, Role.MANAGER):
        raise DealError("owner_unknown", f"no rep {username!r}", "owner", owner=username)
    if row.team_id is None:
        raise DealError("owner_without_team", f"{username} has no team", "owner", owner=username)
    return row


def list_entry_id(session: Session, model, code: str, field: str) -> int:
    """The id of the active ``model`` entry ``code`` (``unknown_<field>`` otherwise)."""
    row = session.execute(
        select(model.id).where(model.code == code, model.active)  # type: ignore[attr-defined]
    ).first()
    if row is None:
        raise DealError(f"unknown_{field}", f"no {field} {code!r}", field, value=code)
    return int(row[0])


def create_customer(
    session: Session,
    actor: Viewer,
    name: str,
    *,
    on: date,
    region: str | None = None,
    industry: str = "",
    customer_type: str = "enterprise",
) -> int:
    """A new customer ``name`` in ``region`` (code; default: the region of the actor's
    team), audited; ``customer_exists`` when the region already has one of that name."""
    if not actor.can_edit_opportunities:
        raise DealError("read_only", f"{actor.username} may not add customers")
    name = clean_text(name, "customer", MAX_CUSTOMER_NAME, required=True)
    regions = _scope_regions(session, actor)
    if region:
        region_id = list_entry_id(session, Region, region, "region")
    elif regions:
        region_id = regions[0]
    else:
        raise DealError("region_required", "choose the customer's region", "region")
    if regions is not None and region_id not in regions:
        raise DealError("unknown_region", f"no region {region!r}", "region", value=region or "")
    list_entry_id(session, CustomerType, customer_type, "customer_type")
    exists = session.execute(
        select(CUSTOMER.c.id).where(CUSTOMER.c.name == name, CUSTOMER.c.region_id == region_id)
    ).first()
    if exists:
        raise DealError("customer_exists", f"{name} exists", "customer", customer=name)
    customer_id = session.execute(
        insert(CUSTOMER).values(
            name=name, industry=clean_text(industry, "industry", 64), region_id=region_id,
            customer_type=customer_type, potential="low",
            owner_id=actor.user_id if actor.role == Role.REP else None, created_on=on,
        )
    ).inserted_primary_key[0]  # fmt: skip
    audit.record(session, actor, action="create", entity="customer", entity_id=customer_id,
                 summary=name, new={"name": name, "region_id": region_id})  # fmt: skip
    return int(customer_id)


def create_deal(
    session: Session,
    actor: Viewer,
    *,
    customer: int | str,
    product_line: str,
    amount: object,
    on: date,
    today: date | None = None,
    name: str = "",
    expected_close_on: date | None = None,
    source: str = "",
    owner: str | None = None,
) -> str:
    """Create a deal (see the module docstring) and return its code. ``customer`` is an id
    or an exact name within scope; ``amount`` 85万 / 850000 (yuan) text or minor units."""
    if not actor.can_edit_opportunities:
        raise DealError("read_only", f"{actor.username} may not create deals")
    customer_id = _customer_id(session, actor, customer)
    if customer_id is None:
        raise DealError("unknown_customer", f"no customer {customer!r}", "customer",
                        customer=str(customer))  # fmt: skip
    line_id = list_entry_id(session, ProductLine, product_line, "product_line")
    if source:
        list_entry_id(session, LeadSource, source, "source")
    amount_minor = parse_deal_amount(amount)
    deal_name = clean_text(name, "name", MAX_DEAL_NAME)
    check_day(on, today or on, "created_on")
    if expected_close_on is not None and expected_close_on < on:
        raise DealError("close_before_created", "expected close before today", "expected_close",
                        day=on.isoformat())  # fmt: skip
    person = _owner(session, actor, owner)
    first = next((s for s in stages(session) if s.kind == StageKind.OPEN and s.active), None)
    if first is None:
        raise DealError("no_open_stage", "the process has no active open stage", "stage")
    if not deal_name:
        customer_name = session.execute(
            select(CUSTOMER.c.name).where(CUSTOMER.c.id == customer_id)
        ).scalar_one()
        line_name = session.get(ProductLine, line_id).name_zh
        deal_name = f"{customer_name}{line_name}项目"[:MAX_DEAL_NAME]
    code = next_code(session, on)
    deal_id = session.execute(
        insert(OPP).values(
            code=code, name=deal_name, customer_id=customer_id, owner_id=person.id,
            team_id=person.team_id, region_id=person.region_id, product_line_id=line_id,
            amount_minor=amount_minor, source=source, created_on=on,
            current_stage_id=first.id, stage_entered_on=on, status=OpportunityStatus.OPEN,
            lost_reason="", lost_reason_code="", expected_close_on=expected_close_on,
            last_activity_on=on, risk_flag="", next_step="", version=1,
        )
    ).inserted_primary_key[0]  # fmt: skip
    session.execute(
        insert(HISTORY).values(opportunity_id=deal_id, stage_id=first.id, entered_on=on)
    )
    plan_stage_actions(session, deal_id, person.id, first, on, load_calendar(session))
    deal = DealRow(
        id=deal_id, code=code, owner_id=person.id, team_id=person.team_id,
        customer_id=customer_id, status=OpportunityStatus.OPEN, current_stage_id=first.id,
        stage_position=first.position, stage_kind=first.kind, stage_entered_on=on,
        last_activity_on=on, created_on=on, version=1,
    )  # fmt: skip
    event(session, actor, deal, OpportunityEventKind.CREATED, on, new=code, note=deal_name)
    audit.record(session, actor, action="create", entity="opportunity", entity_id=code,
                 summary=deal_name, new={"customer_id": customer_id, "amount_minor": amount_minor,
                                         "product_line": product_line, "owner_id": person.id})  # fmt: skip
    return code


def owners_for(session: Session, actor: Viewer) -> pd.DataFrame:
    """The people ``actor`` may make owner of a new deal: ``username, display_name``."""
    query = select(USER.c.username, USER.c.display_name).where(
        USER.c.active, USER.c.role.in_((Role.REP, Role.MANAGER)), USER.c.team_id.is_not(None)
    )
    if not actor.sees_everything:
        query = query.where(
            (USER.c.id == actor.user_id)
            | (USER.c.team_id.in_(actor.team_ids) if actor.role == Role.MANAGER else false())
        )
    return frame_of(session, query.order_by(USER.c.display_name))
