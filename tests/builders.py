"""Test data from one set of factories: one small function per kind of row, with defaults
that make a valid row, so a test spells out only what its answer depends on.

Each builder takes an open write session, adds its row, flushes (so the id is set) and
returns it; a reference is a row or its id. The sample companies several test files share
(``tests/companies/``) are made of these. ``add_user`` / ``add_team`` are the engine-level
shortcuts for tests that start from an empty store and need someone to sign in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from salesboard.accounts.access import SYSTEM, Viewer, load_viewer
from salesboard.accounts.auth import create_user
from salesboard.calendar.periods import parse_period
from salesboard.feedback.queries import FormView
from salesboard.feedback.workflow import start_form
from salesboard.store.db import read_session, write_session
from salesboard.store.models import (
    Collection,
    Customer,
    GoalScope,
    KeyAction,
    Opportunity,
    OpportunityEvent,
    OpportunityStatus,
    ProductLine,
    Region,
    Role,
    Stage,
    StageHistory,
    Team,
    TeamManager,
    User,
    Visit,
)
from salesboard.store.models import Goal as GoalRow
from salesboard.store.reference_data import ensure_reference_data

WAN = 1_000_000  # minor units (分) per 万元
TEST_PASSWORD = "correct horse battery"
DAY = date(2026, 1, 5)  # a Monday: the default creation day of customers and deals
REGION_NAMES = {
    "east": ("华东", "East China"),
    "south": ("华南", "South China"),
    "north": ("华北", "North China"),
}

Ref = int | object  # a row or its id
Day = date | str  # a date or its ISO text
Stay = tuple[str, Day, Day | None]  # stage code, entered on, left on (None: still there)


def _id(ref: Ref | None) -> int | None:
    return ref if ref is None or isinstance(ref, int) else ref.id


def day(value: Day | None) -> date | None:
    """``value`` as a date (ISO text is parsed; None stays None)."""
    return date.fromisoformat(value) if isinstance(value, str) else value


def _add(s: Session, row):
    s.add(row)
    s.flush()
    return row


def stages(s: Session) -> dict[str, int]:
    """Stage ids by code; the default stages and settings are created on first use."""
    if "stage_ids" not in s.info:
        ensure_reference_data(s)
        s.info["stage_ids"] = dict(s.execute(select(Stage.code, Stage.id)).all())
    return s.info["stage_ids"]


def region(s: Session, code: str = "east", **fields) -> Region:
    """A region; east, south and north get their Chinese and English names."""
    zh, en = REGION_NAMES.get(code, (code, code.title()))
    return _add(s, Region(code=code, **{"name_zh": zh, "name_en": en, **fields}))


def product_line(s: Session, code: str = "cloud", **fields) -> ProductLine:
    """A product line (default 云服务 / Cloud)."""
    zh, en = ("云服务", "Cloud") if code == "cloud" else (f"产品{code}", f"Product {code}")
    return _add(s, ProductLine(code=code, **{"name_zh": zh, "name_en": en, **fields}))


def _first_or_new(s: Session, model, make):
    row = s.execute(select(model).order_by(model.id).limit(1)).scalar_one_or_none()
    return row if row is not None else make(s)


def _default_region(s: Session) -> Region:
    return _first_or_new(s, Region, region)


def _default_line(s: Session) -> ProductLine:
    return _first_or_new(s, ProductLine, product_line)


def team(s: Session, name: str = "一组", *, region: Ref | None = None, **fields) -> Team:
    """A team, in ``region`` (default: the store's first region, made if there is none)."""
    if region is None:
        region = _default_region(s)
    return _add(s, Team(name=name, region_id=_id(region), **fields))


def user(
    s: Session,
    username: str,
    role: str = Role.REP,
    *,
    team: Ref | None = None,
    manages: Iterable[Ref] = (),
    display_name: str | None = None,
    password: str | None = None,
    **fields,
) -> User:
    """A user in ``team`` who leads the teams ``manages`` names. With a ``password`` they are
    created the way the app does it (hashed, audited) and can sign in."""
    display_name = display_name or username
    if password is None:
        row = _add(
            s,
            User(
                username=username, display_name=display_name, role=role, team_id=_id(team),
                **fields,
            ),
        )  # fmt: skip
    else:
        row = create_user(
            s, SYSTEM, username=username, display_name=display_name, role=role,
            password=password, team_id=_id(team), must_change_password=False,
        )  # fmt: skip
        for key, value in fields.items():
            setattr(row, key, value)
        s.flush()
    s.add_all(TeamManager(team_id=_id(t), user_id=row.id) for t in manages)
    s.flush()
    return row


def customer(
    s: Session,
    name: str = "客户",
    *,
    region: Ref | None = None,
    owner: Ref | None = None,
    created_on: Day = DAY,
    **fields,
) -> Customer:
    """A customer (default region: the owner's team's, else the store's first region)."""
    if region is None:
        owner_team = s.get(Team, s.get(User, _id(owner)).team_id or 0) if owner else None
        region = owner_team.region_id if owner_team else _default_region(s)
    return _add(
        s,
        Customer(
            name=name, region_id=_id(region), owner_id=_id(owner), created_on=day(created_on),
            **fields,
        ),
    )  # fmt: skip


_new_customer = customer  # (``opportunity`` has a parameter of that name)


def _next_code(s: Session, created_on: date) -> str:
    prefix = f"XS{created_on:%Y%m}"
    taken = s.execute(select(func.count()).where(Opportunity.code.like(f"{prefix}%"))).scalar_one()
    return f"{prefix}{taken + 1:03d}"


def opportunity(
    s: Session,
    *,
    owner: Ref,
    customer: Ref | None = None,
    line: Ref | None = None,
    team: Ref | None = None,
    region: Ref | None = None,
    code: str | None = None,
    amount_minor: int = 100 * WAN,
    created_on: Day = DAY,
    status: str = OpportunityStatus.OPEN,
    stays: Iterable[Stay] = (),
    stage: str | None = None,
    stage_entered_on: Day | None = None,
    won_on: Day | None = None,
    lost_on: Day | None = None,
    lost_stage: str | None = None,
    **fields,
) -> Opportunity:
    """A deal with its stage history ``stays`` (one row each). Unless given, the current
    stage and the day it entered it follow from the last stay: a won deal won on the day it
    entered that stage; a lost deal sits in "lost" since it left that stage, which is the
    stage it was lost in. Without stays a won (signed) deal sits in "delivery" since ``won_on``, a
    lost one in "lost" since ``lost_on``, an open one in "lead" since its creation.
    Defaults: the owner's team, the customer's region, the store's first product line, a
    new customer, the next free code ``XS<yyyymm><nnn>`` of its creation month."""
    ids = stages(s)
    stays = [(code_, day(entered), day(left)) for code_, entered, left in stays]
    created_on, won_on, lost_on = day(created_on), day(won_on), day(lost_on)
    if stays:
        last_stage, last_entered, last_left = stays[-1]
        if status == OpportunityStatus.LOST:
            lost_stage = lost_stage or last_stage
            lost_on = lost_on or last_left
        elif status == OpportunityStatus.WON:
            won_on = won_on or last_entered
        if stage is None:
            stage = "lost" if status == OpportunityStatus.LOST else last_stage
            stage_entered_on = stage_entered_on or (lost_on if stage == "lost" else last_entered)
    default_stage = {OpportunityStatus.WON: "delivery", OpportunityStatus.LOST: "lost"}
    stage = stage or default_stage.get(status, "lead")
    stage_entered_on = day(stage_entered_on) or won_on or lost_on or created_on
    owner_row = s.get(User, _id(owner))
    code = code or _next_code(s, created_on)
    if customer is None:
        customer = _new_customer(s, f"{code}客户", region=region, owner=owner_row)
    customer_row = s.get(Customer, _id(customer))
    if line is None:
        line = _default_line(s)
    deal = _add(
        s,
        Opportunity(
            code=code, customer_id=customer_row.id, owner_id=owner_row.id,
            team_id=_id(team) or owner_row.team_id,
            region_id=_id(region) or customer_row.region_id, product_line_id=_id(line),
            amount_minor=amount_minor, created_on=created_on, status=status,
            current_stage_id=ids[stage], stage_entered_on=stage_entered_on,
            won_on=won_on, lost_on=lost_on,
            lost_stage_id=ids[lost_stage] if lost_stage else None, **fields,
        ),
    )  # fmt: skip
    s.add_all(
        StageHistory(opportunity_id=deal.id, stage_id=ids[code_], entered_on=entered, left_on=left)
        for code_, entered, left in stays
    )
    s.flush()
    return deal


def key_action(
    s: Session,
    deal: Ref,
    *,
    stage: str,
    planned_on: Day,
    done_on: Day | None = None,
    action: str = "客户痛点访谈",
    owner: Ref | None = None,
    **fields,
) -> KeyAction:
    """A key action of ``deal`` in ``stage`` (owner: the deal's)."""
    owner = owner or s.get(Opportunity, _id(deal)).owner_id
    return _add(
        s,
        KeyAction(
            opportunity_id=_id(deal), stage_id=stages(s)[stage], owner_id=_id(owner),
            action=action, planned_on=day(planned_on), done_on=day(done_on), **fields,
        ),
    )  # fmt: skip


def event(
    s: Session, deal: Ref, *, kind: str, happened_on: Day, actor: Ref | None = None, **fields
) -> OpportunityEvent:
    """One entry of a deal's change history (``old_value``, ``new_value``, ``note``)."""
    return _add(
        s,
        OpportunityEvent(
            opportunity_id=_id(deal), kind=kind, happened_on=day(happened_on),
            actor_id=_id(actor), **fields,
        ),
    )  # fmt: skip


def visit(
    s: Session, *, customer: Ref, rep: Ref, visited_on: Day, effective: bool = False, **fields
) -> Visit:
    """A visit; an effective one had a decision maker and obtained a clear need."""
    quality = {"with_decision_maker": effective, "need_obtained": effective}
    return _add(
        s,
        Visit(
            customer_id=_id(customer), rep_id=_id(rep), visited_on=day(visited_on),
            effective=effective, **{**quality, **fields},
        ),
    )  # fmt: skip


def collection(
    s: Session,
    deal: Ref,
    *,
    due_on: Day,
    due_minor: int,
    collected_on: Day | None = None,
    collected_minor: int = 0,
) -> Collection:
    """An amount due from ``deal`` and what was collected of it, when."""
    return _add(
        s,
        Collection(
            opportunity_id=_id(deal), due_on=day(due_on), due_minor=due_minor,
            collected_on=day(collected_on), collected_minor=collected_minor,
        ),
    )  # fmt: skip


def goal(
    s: Session,
    period: str,
    target: int | Decimal,
    *,
    metric: str = "revenue",
    scope: str | None = None,
    parent: Ref | None = None,
    owner: Ref | None = None,
    product_line: Ref | None = None,
    region: Ref | None = None,
    team: Ref | None = None,
    user: Ref | None = None,
) -> GoalRow:
    """A goal for ``period`` ("2026Q4", "2026-10", "2026"); its scope defaults to the
    narrowest dimension given (rep, team, region, product line, else the company)."""
    span = parse_period(period)
    if scope is None:
        dims = ((user, GoalScope.REP), (team, GoalScope.TEAM), (region, GoalScope.REGION))
        dims += ((product_line, GoalScope.PRODUCT_LINE),)
        scope = next((kind for ref, kind in dims if ref is not None), GoalScope.COMPANY)
    return _add(
        s,
        GoalRow(
            period=period, period_start=span.start, period_end=span.end, metric=metric,
            scope=scope, parent_id=_id(parent), owner_id=_id(owner),
            product_line_id=_id(product_line), region_id=_id(region), team_id=_id(team),
            user_id=_id(user), target=Decimal(target),
        ),
    )  # fmt: skip


def feedback_form(s: Session, rep: Ref, period: str = "2026-10") -> FormView:
    """The rep's form for ``period``, started by the rep the way the form page does it."""
    return start_form(s, load_viewer(s, _id(rep)), _id(rep), period)


def viewers_by_role(session: Session, per_role: int = 1) -> list[Viewer]:
    """The system viewer, then the first ``per_role`` stored leaders, managers and reps (by
    id): every kind of sight a figure is checked for."""
    viewers = [SYSTEM]
    for role in (Role.LEADER, Role.MANAGER, Role.REP):
        ids = session.scalars(select(User.id).where(User.role == role).order_by(User.id))
        viewers += [load_viewer(session, i) for i in list(ids)[:per_role]]
    return viewers


def viewer(engine: Engine, user_id: int) -> Viewer:
    """The Viewer (role and visibility) of a stored user."""
    with read_session(engine) as s:
        return load_viewer(s, user_id)


def add_user(
    engine: Engine,
    username: str = "admin",
    role: str = Role.ADMIN,
    *,
    team_id: int | None = None,
    password: str = TEST_PASSWORD,
) -> int:
    """Create a user who can sign in with ``password``; returns the id."""
    with write_session(engine) as s:
        return user(s, username, role, team=team_id, password=password).id


def add_team(engine: Engine, name: str = "一组") -> int:
    """The default stages, region east and one team in it (the usual start of a store test
    that needs reps); returns the team's id."""
    with write_session(engine) as s:
        stages(s)
        return team(s, name, region=region(s, "east")).id
