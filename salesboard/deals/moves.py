"""Moving a deal through the stages, winning and losing it (DOMAIN.md §1).

- Forward past key actions or deliverables still undone (of the current stage and of any
  stage skipped) needs a reason, unless an admin made those stages' key actions optional;
  the reason is stored on the move's event and shown in the weekly review.
- Back to an earlier stage always needs a reason.
- **Win** = the contract is signed: the deal leaves its stage for the first won stage
  (delivery), ``won_on`` the signing date, through the same checklist gate.
- **Lose**: a reason from the company's list (Organisation settings) plus optional text; the
  deal's current stage becomes the terminal lost stage and ``lost_stage_id`` the stage it was
  lost in (the stage history keeps no row for the lost stage, as imports and the demo do).

Every move closes the current stage stay, opens the next (with the new stage's key actions
planned), bumps the version, and writes the event and the audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import insert, select, update
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.calendar.workdays import load_calendar
from salesboard.deals.checklist import (
    ChecklistItem,
    StageInfo,
    plan_stage_actions,
    stage_checklist,
    stages,
)
from salesboard.deals.errors import DealError
from salesboard.deals.writing import (
    DealRow,
    bump,
    check_day,
    clean_text,
    deal_for_write,
    event,
    record,
    require_open,
    touch,
)
from salesboard.store.models import OpportunityEventKind, OpportunityStatus, StageKind
from salesboard.store.tables import HISTORY, LOST_REASON

MAX_REASON = 500


@dataclass(frozen=True)
class MovePlan:
    """What moving a deal to ``target`` would leave undone (the gate), and whether it is a
    move back; ``needs_reason`` when either applies."""

    current: StageInfo
    target: StageInfo
    undone: tuple[ChecklistItem, ...]
    backwards: bool

    @property
    def needs_reason(self) -> bool:
        return self.backwards or bool(self.undone)


def _stage(all_stages: list[StageInfo], code: str) -> StageInfo:
    for stage in all_stages:
        if stage.code == code and stage.active:
            return stage
    raise DealError("unknown_stage", f"no active stage {code!r}", "stage", stage=code)


def _current(all_stages: list[StageInfo], deal: DealRow) -> StageInfo:
    return next(s for s in all_stages if s.id == deal.current_stage_id)


def _undone_between(
    session: Session, deal: DealRow, all_stages: list[StageInfo], current: StageInfo,
    target: StageInfo,
) -> tuple[ChecklistItem, ...]:  # fmt: skip
    """Required checklist items left undone by leaving ``current`` for ``target``: the
    current stage's and those of every open stage skipped on the way."""
    passed = [
        s for s in all_stages
        if s.kind == StageKind.OPEN and current.position <= s.position < target.position
    ]  # fmt: skip
    return tuple(
        item
        for stage in passed
        for item in stage_checklist(session, deal.id, stage)
        if item.required and not item.done
    )


def plan_move(session: Session, actor: Viewer, code: str, to_stage: str) -> MovePlan:
    """What moving deal ``code`` to stage ``to_stage`` involves (the checklist gate), for the
    form to show before the move; refuses what ``move_stage`` would refuse regardless of a
    reason."""
    deal = deal_for_write(session, actor, code)
    require_open(deal)
    all_stages = stages(session)
    current, target = _current(all_stages, deal), _stage(all_stages, to_stage)
    if target.id == current.id:
        raise DealError("same_stage", f"{deal.code} is in {to_stage}", "stage", stage=to_stage)
    if target.kind == StageKind.LOST:
        raise DealError("use_lose", "lose the deal with a reason instead", "stage")
    backwards = target.position < current.position
    undone = () if backwards else _undone_between(session, deal, all_stages, current, target)
    return MovePlan(current, target, undone, backwards)


def _enter(
    session: Session, deal: DealRow, target: StageInfo, on: date, *, plan_actions: bool = True
) -> None:
    """Close the current stay on ``on`` and open ``target``'s (with its key actions)."""
    session.execute(
        update(HISTORY)
        .where(HISTORY.c.opportunity_id == deal.id, HISTORY.c.left_on.is_(None))
        .values(left_on=on)
    )
    if target.kind == StageKind.LOST:
        return
    session.execute(
        insert(HISTORY).values(opportunity_id=deal.id, stage_id=target.id, entered_on=on)
    )
    if plan_actions:
        plan_stage_actions(session, deal.id, deal.owner_id, target, on, load_calendar(session))


def _gate(plan: MovePlan, reason: str) -> None:
    if plan.backwards and not reason:
        raise DealError("reason_for_back", "moving back needs a reason", "reason")
    if plan.undone and not reason:
        names = "、".join(item.name_zh for item in plan.undone)
        names_en = "; ".join(item.name_en for item in plan.undone)
        raise DealError(
            "gate", f"undone: {names_en}; give a reason to move on", "reason",
            actions=names, actions_en=names_en, count=len(plan.undone),
        )  # fmt: skip


def move_stage(
    session: Session,
    actor: Viewer,
    code: str,
    to_stage: str,
    *,
    seen_version: int | None = None,
    reason: str = "",
    on: date,
    today: date | None = None,
) -> MovePlan:
    """Move deal ``code`` to stage ``to_stage`` on ``on`` (see the module docstring);
    moving into a won stage wins the deal (``won_on`` = ``on``). Returns the plan it passed."""
    reason = clean_text(reason, "reason", MAX_REASON)
    plan = plan_move(session, actor, code, to_stage)
    deal = deal_for_write(session, actor, code, seen_version=seen_version)
    check_day(on, today or on, "on", not_before=deal.stage_entered_on)
    _gate(plan, reason)
    values = {"current_stage_id": plan.target.id, "stage_entered_on": on, **touch(deal, on)}
    if plan.target.kind == StageKind.WON:
        values.update(status=OpportunityStatus.WON, won_on=on)
    bump(session, deal, **values)
    _enter(session, deal, plan.target, on)
    event(session, actor, deal, OpportunityEventKind.STAGE, on, old=plan.current.code,
          new=plan.target.code, note=reason)  # fmt: skip
    if plan.target.kind == StageKind.WON:
        event(session, actor, deal, OpportunityEventKind.STATUS, on, old="open", new="won")
    record(session, actor, deal, "update", f"stage {plan.current.code} → {plan.target.code}",
           old={"stage": plan.current.code}, new={"stage": plan.target.code,
                                                  **({"reason": reason} if reason else {})})  # fmt: skip
    return plan


def first_won_stage(session: Session) -> StageInfo:
    """The first active won stage (delivery): where a signed deal goes."""
    for stage in stages(session):
        if stage.kind == StageKind.WON and stage.active:
            return stage
    raise DealError("no_won_stage", "the process has no active won stage", "stage")


def win_deal(
    session: Session,
    actor: Viewer,
    code: str,
    *,
    signed_on: date,
    seen_version: int | None = None,
    reason: str = "",
    today: date | None = None,
) -> MovePlan:
    """The contract of deal ``code`` was signed on ``signed_on``: it is won and moves on to
    delivery, through the checklist gate."""
    return move_stage(
        session, actor, code, first_won_stage(session).code, seen_version=seen_version,
        reason=reason, on=signed_on, today=today,
    )  # fmt: skip


def lost_reasons(session: Session, *, include_retired: bool = False) -> list[tuple[str, str, str]]:
    """The company's lost reasons: (code, Chinese name, English name), in list order."""
    query = select(LOST_REASON.c.code, LOST_REASON.c.name_zh, LOST_REASON.c.name_en)
    if not include_retired:
        query = query.where(LOST_REASON.c.active)
    return [tuple(r) for r in session.execute(query.order_by(LOST_REASON.c.id))]


def lose_deal(
    session: Session,
    actor: Viewer,
    code: str,
    *,
    reason_code: str,
    text: str = "",
    on: date,
    seen_version: int | None = None,
    today: date | None = None,
) -> None:
    """Deal ``code`` is lost on ``on`` for ``reason_code`` (an active entry of the lost
    reasons list) with optional ``text``."""
    text = clean_text(text, "text", MAX_REASON)
    reason = next((r for r in lost_reasons(session) if r[0] == reason_code), None)
    if reason is None:
        raise DealError("unknown_lost_reason", f"no lost reason {reason_code!r}", "reason",
                        reason=reason_code)  # fmt: skip
    deal = deal_for_write(session, actor, code, seen_version=seen_version)
    require_open(deal)
    check_day(on, today or on, "on", not_before=deal.stage_entered_on)
    all_stages = stages(session)
    terminal = next((s for s in all_stages if s.kind == StageKind.LOST), None)
    if terminal is None:
        raise DealError("no_lost_stage", "the process has no lost stage", "stage")
    current = _current(all_stages, deal)
    stored = f"{reason[1]}：{text}" if text else reason[1]
    bump(
        session, deal, status=OpportunityStatus.LOST, lost_on=on, lost_stage_id=current.id,
        lost_reason=stored[:200], lost_reason_code=reason_code,
        current_stage_id=terminal.id, stage_entered_on=on, **touch(deal, on),
    )  # fmt: skip
    _enter(session, deal, terminal, on)
    event(session, actor, deal, OpportunityEventKind.STATUS, on, old="open", new="lost",
          note=stored)  # fmt: skip
    record(session, actor, deal, "update", f"lost in {current.code}: {reason_code}",
           old={"status": "open"}, new={"status": "lost", "lost_reason": stored})  # fmt: skip
