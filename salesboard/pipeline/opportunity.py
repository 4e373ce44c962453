"""One opportunity for its detail view: the deal, its stage stays against the standards, its
key actions, and its history (stage changes and every recorded event, newest first).

Each function takes the viewer and returns nothing for a code they may not read, exactly as
for a code that does not exist, so the view cannot confirm a hidden deal exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from salesboard.accounts.access import Viewer, can_read_owned_by
from salesboard.calendar.clock import business_date
from salesboard.calendar.workdays import WorkCalendar, load_calendar
from salesboard.store.models import Customer, OpportunityEventKind, ProductLine, Region, Team
from salesboard.store.queries import frame_of
from salesboard.store.tables import (
    ACTION,
    ATTACHMENT,
    EVENT,
    HISTORY,
    OPP,
    STAGE,
    USER,
    VISIT,
    VISIT_DONE,
)

HISTORY_COLUMNS = (
    "happened_on", "kind", "old_value", "new_value", "note", "actor", "stage_zh", "stage_en",
)  # fmt: skip


@dataclass(frozen=True)
class OpportunityCard:
    """The deal as its detail view shows it (money in minor units)."""

    id: int
    code: str
    name: str
    customer: str
    owner: str
    team: str
    region_zh: str
    region_en: str
    product_zh: str
    product_en: str
    product_line_code: str
    stage_code: str
    stage_zh: str
    stage_en: str
    status: str
    amount_minor: int
    source: str
    created_on: date
    stage_entered_on: date
    expected_close_on: date | None
    won_on: date | None
    lost_on: date | None
    lost_reason: str
    last_activity_on: date | None
    risk_flag: str
    next_step: str
    version: int


def opportunity_card(session: Session, viewer: Viewer, code: str) -> OpportunityCard | None:
    """The deal ``code`` if ``viewer`` may read it, else None (also when it does not exist)."""
    customer, owner = Customer.__table__, USER
    team, region, line = Team.__table__, Region.__table__, ProductLine.__table__
    row = session.execute(
        select(
            OPP.c.id, OPP.c.code, OPP.c.name, customer.c.name.label("customer"),
            owner.c.display_name.label("owner"), team.c.name.label("team"),
            region.c.name_zh.label("region_zh"), region.c.name_en.label("region_en"),
            line.c.name_zh.label("product_zh"), line.c.name_en.label("product_en"),
            line.c.code.label("product_line_code"),
            STAGE.c.code.label("stage_code"), STAGE.c.name_zh.label("stage_zh"),
            STAGE.c.name_en.label("stage_en"), OPP.c.status, OPP.c.amount_minor, OPP.c.source,
            OPP.c.created_on, OPP.c.stage_entered_on, OPP.c.expected_close_on, OPP.c.won_on,
            OPP.c.lost_on, OPP.c.lost_reason, OPP.c.last_activity_on, OPP.c.risk_flag,
            OPP.c.next_step, OPP.c.version, OPP.c.owner_id, OPP.c.team_id,
        )
        .join(customer, customer.c.id == OPP.c.customer_id)
        .join(owner, owner.c.id == OPP.c.owner_id)
        .join(team, team.c.id == OPP.c.team_id)
        .join(region, region.c.id == OPP.c.region_id)
        .join(line, line.c.id == OPP.c.product_line_id)
        .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
        .where(OPP.c.code == code.strip().upper())
    ).one_or_none()  # fmt: skip
    if row is None or not can_read_owned_by(viewer, row.owner_id, row.team_id):
        return None
    values = dict(row._mapping)
    values.pop("owner_id"), values.pop("team_id")
    return OpportunityCard(**values)


def _rows_by_stage(session: Session, card: OpportunityCard, table, *columns, order_by=()):
    """``columns`` of the deal's rows in ``table`` (stage stays, key actions) joined to each
    row's stage, in ``order_by``."""
    query = (
        select(*columns)
        .join(STAGE, STAGE.c.id == table.c.stage_id)
        .where(table.c.opportunity_id == card.id)
        .order_by(*order_by)
    )
    return frame_of(session, query)


def opportunity_stays(
    session: Session, card: OpportunityCard, as_of: date, calendar: WorkCalendar | None = None
) -> pd.DataFrame:
    """The deal's stage stays, oldest first, with working days (up to ``as_of`` for the
    current one) against each standard: ``stage, name_zh, name_en, entered_on, left_on,
    days, standard_days, over``."""
    calendar = calendar or load_calendar(session)
    frame = _rows_by_stage(
        session,
        card,
        HISTORY,
        STAGE.c.code.label("stage"),
        STAGE.c.name_zh,
        STAGE.c.name_en,
        HISTORY.c.entered_on,
        HISTORY.c.left_on,
        STAGE.c.standard_days,
        order_by=(HISTORY.c.entered_on, HISTORY.c.id),
    )
    if frame.empty:
        return frame.assign(days=pd.Series(dtype="int64"), over=pd.Series(dtype="int64"))
    entered = pd.to_datetime(frame["entered_on"]).to_numpy(dtype="datetime64[D]")
    left = pd.to_datetime(frame["left_on"]).to_numpy(dtype="datetime64[D]")
    end = np.where(np.isnat(left), np.datetime64(as_of, "D"), left)
    frame["days"] = calendar.working_days_between_many(entered, end)
    standard = pd.to_numeric(frame["standard_days"], errors="coerce")
    frame["over"] = (frame["days"] - standard).clip(lower=0).fillna(0).astype("int64")
    return frame


def opportunity_actions(session: Session, card: OpportunityCard) -> pd.DataFrame:
    """The deal's key actions by stage and planned date: ``stage_zh, stage_en, action,
    planned_on, done_on, deliverable, customer_feedback, risk_flag``."""
    return _rows_by_stage(
        session,
        card,
        ACTION,
        STAGE.c.name_zh.label("stage_zh"),
        STAGE.c.name_en.label("stage_en"),
        ACTION.c.action,
        ACTION.c.planned_on,
        ACTION.c.done_on,
        ACTION.c.deliverable,
        ACTION.c.customer_feedback,
        ACTION.c.risk_flag,
        order_by=(STAGE.c.position, ACTION.c.planned_on, ACTION.c.id),
    )


def opportunity_history(session: Session, card: OpportunityCard) -> pd.DataFrame:
    """Everything that happened to the deal, newest first: stage entries (from the stage
    history), key actions done and visits made (from their tables, so imported and demo
    work shows too) and the recorded events (creation, edits, re-plans, comments, notes …):
    ``HISTORY_COLUMNS``; a stage entry has kind "stage", the stage code as new value and the
    stage's names (empty for other events)."""
    events = frame_of(
        session,
        select(
            EVENT.c.happened_on,
            EVENT.c.kind,
            EVENT.c.old_value,
            EVENT.c.new_value,
            EVENT.c.note,
            USER.c.display_name.label("actor"),
            EVENT.c.id.label("order"),
        )
        .outerjoin(USER, USER.c.id == EVENT.c.actor_id)
        .where(EVENT.c.opportunity_id == card.id, EVENT.c.kind.not_in(FROM_TABLES)),
    )
    stays = _rows_by_stage(
        session,
        card,
        HISTORY,
        HISTORY.c.entered_on.label("happened_on"),
        STAGE.c.code.label("new_value"),
        STAGE.c.name_zh.label("stage_zh"),
        STAGE.c.name_en.label("stage_en"),
        HISTORY.c.id.label("order"),
    )
    stays = stays.assign(kind="stage", old_value="", note="", actor="")
    stays["order"] = -stays["order"]  # stage entries before same-day events
    combined = pd.concat([stays, events, *_work_done(session, card)], ignore_index=True)
    if combined.empty:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))
    combined["happened_on"] = pd.to_datetime(combined["happened_on"]).dt.date
    combined = combined.sort_values(["happened_on", "order"], ascending=[False, False])
    return combined.reindex(columns=list(HISTORY_COLUMNS)).fillna("").reset_index(drop=True)


# Event kinds the timeline reads from their own tables instead (a stage event duplicates the
# stage history's row; key actions done and visits have their rows, imported ones included).
FROM_TABLES = (
    OpportunityEventKind.STAGE, OpportunityEventKind.ACTION_DONE, OpportunityEventKind.VISIT,
)  # fmt: skip


def _work_done(session: Session, card: OpportunityCard) -> list[pd.DataFrame]:
    """The deal's key actions done (deliverable as the new value, the action and the
    customer's feedback as the note), visits made (effective or not, contact, need,
    commitment) and files attached (the file name), as timeline rows."""
    actions = frame_of(
        session,
        select(
            ACTION.c.done_on.label("happened_on"), ACTION.c.deliverable.label("new_value"),
            ACTION.c.action, ACTION.c.customer_feedback, USER.c.display_name.label("actor"),
        )
        .outerjoin(USER, USER.c.id == ACTION.c.owner_id)
        .where(ACTION.c.opportunity_id == card.id, ACTION.c.done_on.is_not(None)),
    )  # fmt: skip
    actions["note"] = [
        f"{a}：{f}" if f else a
        for a, f in zip(actions["action"], actions["customer_feedback"], strict=True)
    ]
    visits = frame_of(
        session,
        select(
            VISIT.c.visited_on.label("happened_on"), VISIT.c.effective, VISIT.c.contact_name,
            VISIT.c.need, VISIT.c.commitment, USER.c.display_name.label("actor"),
        )
        .outerjoin(USER, USER.c.id == VISIT.c.rep_id)
        .where(VISIT.c.opportunity_id == card.id, VISIT_DONE),
    )  # fmt: skip
    visits["new_value"] = ["effective" if e else "visit" for e in visits["effective"]]
    visits["note"] = [
        " · ".join(part for part in parts if part)
        for parts in zip(visits["contact_name"], visits["need"], visits["commitment"], strict=True)
    ]
    files = frame_of(
        session,
        select(
            ATTACHMENT.c.uploaded_at.label("happened_on"), ATTACHMENT.c.filename.label("new_value"),
            USER.c.display_name.label("actor"),
        )
        .outerjoin(USER, USER.c.id == ATTACHMENT.c.uploaded_by)
        .where(ATTACHMENT.c.opportunity_id == card.id),
    )  # fmt: skip
    files["note"] = ""
    files["happened_on"] = [business_date(moment) for moment in files["happened_on"]]
    return [
        frame.assign(kind=kind, old_value="", order=0)
        for frame, kind in ((actions, OpportunityEventKind.ACTION_DONE),
                            (visits, OpportunityEventKind.VISIT),
                            (files, OpportunityEventKind.ATTACHMENT))
        if not frame.empty
    ]  # fmt: skip
