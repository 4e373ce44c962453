"""A stage's checklist for one deal: the stage's key actions and deliverable (Stage settings)
with what the deal has done of them, and the key actions a deal gets when it enters a stage.

A key action is stored by its Chinese name (the English name comes from the stage settings),
so a listed action is matched to the deal's rows by name within the stage."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, insert, select
from sqlmodel import Session

from salesboard.calendar.workdays import WorkCalendar
from salesboard.store.reference_data import LIST_SEPARATOR_EN, LIST_SEPARATOR_ZH
from salesboard.store.tables import ACTION, ATTACHMENT, STAGE


@dataclass(frozen=True)
class StageInfo:
    """A stage as moves and checklists need it."""

    id: int
    code: str
    position: int
    kind: str
    name_zh: str
    name_en: str
    standard_days: int | None
    actions_zh: tuple[str, ...]
    actions_en: tuple[str, ...]
    deliverable_zh: str
    deliverable_en: str
    required: bool
    active: bool


@dataclass(frozen=True)
class ChecklistItem:
    """One line of a stage's checklist: a listed key action (``key_action_id`` of the deal's
    row, if any) or the stage's deliverable (``is_deliverable``)."""

    stage_code: str
    name_zh: str
    name_en: str
    is_deliverable: bool
    required: bool
    done: bool
    key_action_id: int | None = None
    planned_on: date | None = None
    done_on: date | None = None


def _split(text: str | None, separator: str) -> tuple[str, ...]:
    return tuple(n.strip() for n in (text or "").split(separator.strip()) if n.strip())


def stages(session: Session) -> list[StageInfo]:
    """Every stage in process order."""
    rows = session.execute(select(STAGE).order_by(STAGE.c.position, STAGE.c.id)).all()
    return [
        StageInfo(
            id=r.id, code=r.code, position=r.position, kind=r.kind, name_zh=r.name_zh,
            name_en=r.name_en, standard_days=r.standard_days,
            actions_zh=_split(r.key_actions_zh, LIST_SEPARATOR_ZH),
            actions_en=_split(r.key_actions_en, LIST_SEPARATOR_EN),
            deliverable_zh=r.deliverable_zh or "", deliverable_en=r.deliverable_en or "",
            required=bool(r.key_actions_required), active=bool(r.active),
        )
        for r in rows
    ]  # fmt: skip


def english_name(stage: StageInfo, name_zh: str) -> str:
    """The English name of the stage's key action ``name_zh`` (itself when unknown)."""
    if len(stage.actions_zh) == len(stage.actions_en) and name_zh in stage.actions_zh:
        return stage.actions_en[stage.actions_zh.index(name_zh)]
    return name_zh


def stage_checklist(session: Session, opportunity_id: int, stage: StageInfo) -> list[ChecklistItem]:
    """The checklist of ``stage`` for the deal: each listed key action (done when the deal's
    row of that name in the stage has a done date), then the deliverable (done when a key
    action of the stage records a deliverable or has a file attached)."""
    rows = session.execute(
        select(ACTION.c.id, ACTION.c.action, ACTION.c.planned_on, ACTION.c.done_on,
               ACTION.c.deliverable)
        .where(ACTION.c.opportunity_id == opportunity_id, ACTION.c.stage_id == stage.id)
        .order_by(ACTION.c.planned_on, ACTION.c.id)
    ).all()  # fmt: skip
    items = []
    for name in stage.actions_zh:
        mine = [r for r in rows if r.action == name]
        done = next((r for r in mine if r.done_on is not None), None)
        row = done or (mine[0] if mine else None)
        items.append(
            ChecklistItem(
                stage_code=stage.code, name_zh=name, name_en=english_name(stage, name),
                is_deliverable=False, required=stage.required, done=done is not None,
                key_action_id=row.id if row else None, planned_on=row.planned_on if row else None,
                done_on=done.done_on if done else None,
            )
        )  # fmt: skip
    if stage.deliverable_zh:
        files = session.execute(
            select(func.count())
            .select_from(ATTACHMENT.join(ACTION, ACTION.c.id == ATTACHMENT.c.key_action_id))
            .where(ACTION.c.opportunity_id == opportunity_id, ACTION.c.stage_id == stage.id)
        ).scalar_one()
        recorded = any((r.deliverable or "").strip() for r in rows)
        items.append(
            ChecklistItem(
                stage_code=stage.code, name_zh=stage.deliverable_zh,
                name_en=stage.deliverable_en or stage.deliverable_zh, is_deliverable=True,
                required=stage.required, done=bool(files) or recorded,
            )
        )  # fmt: skip
    return items


def plan_stage_actions(
    session: Session,
    opportunity_id: int,
    owner_id: int,
    stage: StageInfo,
    entered_on: date,
    calendar: WorkCalendar,
) -> int:
    """Give the deal the stage's listed key actions it does not have yet, planned evenly
    within the stage's time standard in working days (all on the entry day when the stage
    has none); returns how many were added."""
    have = set(
        session.execute(
            select(ACTION.c.action).where(
                ACTION.c.opportunity_id == opportunity_id, ACTION.c.stage_id == stage.id
            )
        ).scalars()
    )
    wanted = [name for name in stage.actions_zh if name not in have]
    days = stage.standard_days or 0
    rows = [
        {
            "opportunity_id": opportunity_id, "stage_id": stage.id, "owner_id": owner_id,
            "action": name,
            "planned_on": calendar.add_working_days(
                entered_on, -(-days * (stage.actions_zh.index(name) + 1) // len(stage.actions_zh))
            ),
            "deliverable": "", "customer_feedback": "", "risk_flag": "",
        }
        for name in wanted
    ]  # fmt: skip
    if rows:
        session.execute(insert(ACTION), rows)
    return len(rows)
