"""Improvement actions (优化行动): create (from a finding), edit with a version check, move
status, set pilot teams — each audited and written to the action's history — and the lists
the board, the weekly review and the digest read.

Who sees and changes what:
- leaders and admins: every action, and change any (leaders run process improvement, unlike
  deals they only read);
- managers: the actions owned by one of their teams, piloted in one, or created by them;
  they create actions for their teams, change those owned by their teams or created by them,
  and pick pilot teams among their teams;
- reps: the actions piloted in their team, read only.
An action the viewer may not see reads exactly like one that does not exist (``not_found``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import delete, false, insert, or_, select, true, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer
from salesboard.improvement.errors import ImprovementError
from salesboard.improvement.targets import METRICS
from salesboard.store.models import Role, utcnow
from salesboard.store.queries import frame_of
from salesboard.store.tables import IMPROVEMENT, IMPROVEMENT_HISTORY, PILOT, TEAM, USER

STATUSES = ("not_started", "in_progress", "done")
# Where an action can come from (a finding on a page, a form item, by hand).
SOURCE_KINDS = ("manual", "bottleneck", "stage_kpi", "risk_theme", "overdue_cluster",
                "top_bottom", "feedback_item", "deal")  # fmt: skip
TEXT_LIMITS = {"area": 64, "pain_point": 500, "measures": 4000, "owner_department": 64,
               "unit": 16, "source_ref": 200, "source_link": 500}  # fmt: skip
EMPTY_TEXT = dict.fromkeys(("area", "pain_point", "metric", "unit", "measures", "owner_department"), "")  # fmt: skip
FIELDS = ("area", "pain_point", "metric", "baseline", "target", "unit", "measures", "owner_id",
          "owner_department", "team_id", "start_on", "due_on")  # fmt: skip


def may_create(viewer: Viewer) -> bool:
    """Managers, leaders and admins create actions; reps read the ones piloted with them."""
    return viewer.role in (Role.MANAGER, Role.LEADER, Role.ADMIN)


def visible(viewer: Viewer):
    """SQL condition on ``improvement_action``: the actions ``viewer`` may see."""
    if viewer.sees_everything:
        return true()
    if not viewer.team_ids and viewer.role != Role.MANAGER:
        return false()
    piloted = select(PILOT.c.action_id).where(PILOT.c.team_id.in_(viewer.team_ids))
    if viewer.role == Role.REP:
        return IMPROVEMENT.c.id.in_(piloted)
    if viewer.role == Role.MANAGER:
        return or_(
            IMPROVEMENT.c.team_id.in_(viewer.team_ids),
            IMPROVEMENT.c.id.in_(piloted),
            IMPROVEMENT.c.created_by == viewer.user_id,
        )
    return false()


def may_edit(viewer: Viewer, team_id: int | None, created_by: int | None) -> bool:
    """Whether ``viewer`` may change an action owned by ``team_id`` and created by
    ``created_by`` (one rule for the page and the writes)."""
    if viewer.sees_everything:
        return True
    if viewer.role == Role.MANAGER:
        return team_id in viewer.team_ids or (
            created_by is not None and created_by == viewer.user_id
        )
    return False


@dataclass(frozen=True)
class Action:
    """An action as the page shows it: its columns, pilot team ids, whether the viewer may
    change it, and whether it is overdue on the day it was read."""

    values: dict[str, Any]
    pilots: tuple[int, ...]
    editable: bool
    overdue: bool

    @property
    def id(self) -> int:
        return int(self.values["id"])

    @property
    def version(self) -> int:
        return int(self.values["version"])

    def __getitem__(self, name: str) -> Any:
        return self.values[name]


def is_overdue(status: str, due_on: date | None, today: date) -> bool:
    """Overdue: the due date has passed and the action is not done."""
    return status != "done" and due_on is not None and due_on < today


def action_for(session: Session, viewer: Viewer, action_id: int, today: date) -> Action:
    """The action ``action_id`` as ``viewer`` sees it (``not_found`` when they may not)."""
    row = session.execute(
        select(IMPROVEMENT).where(IMPROVEMENT.c.id == action_id, visible(viewer))
    ).one_or_none()
    if row is None:
        raise ImprovementError("not_found", f"no improvement action {action_id}", id=action_id)
    values = dict(row._mapping)
    pilots = tuple(
        session.execute(
            select(PILOT.c.team_id).where(PILOT.c.action_id == action_id).order_by(PILOT.c.team_id)
        ).scalars()
    )
    return Action(
        values,
        pilots,
        may_edit(viewer, values["team_id"], values["created_by"]),
        is_overdue(values["status"], values["due_on"], today),
    )


def _for_write(session: Session, actor: Viewer, action_id: int, seen_version: int) -> Action:
    action = action_for(session, actor, action_id, date.max)
    if not action.editable:
        raise ImprovementError("read_only", f"{actor.username} may not change {action_id}")
    if seen_version != action.version:
        raise ImprovementError("conflict", f"action {action_id} was changed meanwhile")
    return action


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """The editable fields of ``values``, trimmed and checked."""
    out = {k: values[k] for k in FIELDS if k in values}
    for name, limit in TEXT_LIMITS.items():
        if name in out:
            out[name] = "" if out[name] is None else str(out[name]).strip()
            if len(out[name]) > limit:
                raise ImprovementError("too_long", f"{name} over {limit}", name, limit=limit)
    if "pain_point" in out and not out["pain_point"]:
        raise ImprovementError("required", "the pain point is required", "pain_point")
    if out.get("metric") and out["metric"] not in METRICS:
        raise ImprovementError("unknown_metric", f"unknown metric {out['metric']}", "metric")
    start, due = out.get("start_on"), out.get("due_on")
    if start is not None and due is not None and due < start:
        raise ImprovementError("due_before_start", f"due {due} before start {start}", "due_on")
    return out


def _check_teams(session: Session, actor: Viewer, team_ids: tuple[int, ...]) -> None:
    known = set(session.execute(select(TEAM.c.id).where(TEAM.c.id.in_(team_ids))).scalars())
    allowed = known if actor.sees_everything else known & set(actor.team_ids)
    if set(team_ids) - allowed:
        raise ImprovementError("team_not_allowed", f"teams {team_ids} not allowed", "pilots")


def _history(session: Session, actor: Viewer, action_id: int, kind: str, old, new) -> None:
    dump = lambda v: json.dumps(v, ensure_ascii=False, default=str, sort_keys=True) if v else ""  # noqa: E731
    session.execute(
        insert(IMPROVEMENT_HISTORY).values(
            action_id=action_id, kind=kind, old_value=dump(old), new_value=dump(new),
            actor_id=actor.user_id, changed_at=utcnow(),
        )
    )  # fmt: skip


def _audit(session: Session, actor: Viewer, action_id: int, verb: str, summary: str, **changes):
    audit.record(
        session, actor, action=verb, entity="improvement_action", entity_id=action_id,
        summary=summary, **changes,
    )  # fmt: skip


def create_action(
    session: Session,
    actor: Viewer,
    values: dict[str, Any],
    *,
    pilots: tuple[int, ...] = (),
    source: tuple[str, str, str] = ("manual", "", ""),
) -> int:
    """A new action (status not started) from ``values`` (``FIELDS``), its pilot teams and
    its ``source`` (kind, reference, link back); returns its id."""
    if not may_create(actor):
        raise ImprovementError("read_only", f"{actor.username} may not create actions")
    clean = _clean(values)
    if not actor.sees_everything:
        team = clean.get("team_id") or (actor.team_ids[0] if actor.team_ids else None)
        if team not in actor.team_ids:
            raise ImprovementError("team_not_allowed", f"team {team} not allowed", "team_id")
        clean["team_id"] = team
    kind, ref, link = source
    if kind not in SOURCE_KINDS:
        raise ImprovementError("unknown_source", f"unknown source {kind}")
    pilots = tuple(sorted(set(pilots)))
    _check_teams(session, actor, pilots)
    now = utcnow()
    action_id = session.execute(
        insert(IMPROVEMENT).values(
            **{**EMPTY_TEXT, **clean}, status="not_started", source_kind=kind,
            source_ref=str(ref)[: TEXT_LIMITS["source_ref"]],
            source_link=str(link)[: TEXT_LIMITS["source_link"]],
            version=1, created_at=now, created_by=actor.user_id, updated_at=now,
            updated_by=actor.user_id,
        ).returning(IMPROVEMENT.c.id)
    ).scalar_one()  # fmt: skip
    for team in pilots:
        session.execute(insert(PILOT).values(action_id=action_id, team_id=team))
    new = {**clean, "pilots": list(pilots), "source": f"{kind}:{ref}"}
    _history(session, actor, action_id, "created", None, new)
    _audit(session, actor, action_id, "create", clean.get("pain_point", ""), new=new)
    return int(action_id)


def _bump(session: Session, actor: Viewer, action: Action, **values: Any) -> None:
    changed = session.execute(
        update(IMPROVEMENT)
        .where(IMPROVEMENT.c.id == action.id, IMPROVEMENT.c.version == action.version)
        .values(**values, version=IMPROVEMENT.c.version + 1, updated_at=utcnow(),
                updated_by=actor.user_id)
    ).rowcount  # fmt: skip
    if changed != 1:
        raise ImprovementError("conflict", f"action {action.id} was changed meanwhile")


def update_action(
    session: Session, actor: Viewer, action_id: int, seen_version: int, values: dict[str, Any]
) -> None:
    """Change the fields in ``values``; refused when someone changed the action since
    ``seen_version`` was read (``conflict``)."""
    action = _for_write(session, actor, action_id, seen_version)
    clean = _clean({**{k: action[k] for k in FIELDS}, **values})
    if not actor.sees_everything and clean.get("team_id") not in actor.team_ids:
        raise ImprovementError("team_not_allowed", "team not allowed", "team_id")
    old, new = audit.changed_fields({k: action[k] for k in FIELDS}, clean)
    if not new:
        return
    _bump(session, actor, action, **new)
    _history(session, actor, action_id, "edited", old, new)
    _audit(session, actor, action_id, "update", action["pain_point"], old=old, new=new)


def move_status(
    session: Session, actor: Viewer, action_id: int, seen_version: int, status: str
) -> None:
    """Move the action to ``status`` (not_started / in_progress / done, either way)."""
    if status not in STATUSES:
        raise ImprovementError("unknown_status", f"unknown status {status}")
    action = _for_write(session, actor, action_id, seen_version)
    if status == action["status"]:
        return
    _bump(session, actor, action, status=status)
    old, new = {"status": action["status"]}, {"status": status}
    _history(session, actor, action_id, "status", old, new)
    _audit(session, actor, action_id, "transition", action["pain_point"], old=old, new=new)


def set_pilots(
    session: Session, actor: Viewer, action_id: int, seen_version: int, team_ids: tuple[int, ...]
) -> None:
    """Make ``team_ids`` the action's pilot teams. A manager keeps the pilots outside their
    teams (which they cannot see) and chooses among their own."""
    action = _for_write(session, actor, action_id, seen_version)
    wanted = set(team_ids)
    _check_teams(session, actor, tuple(wanted))
    if not actor.sees_everything:
        wanted |= {t for t in action.pilots if t not in actor.team_ids}
    if wanted == set(action.pilots):
        return
    _bump(session, actor, action)
    session.execute(delete(PILOT).where(PILOT.c.action_id == action_id))
    for team in sorted(wanted):
        session.execute(insert(PILOT).values(action_id=action_id, team_id=team))
    old, new = {"pilots": list(action.pilots)}, {"pilots": sorted(wanted)}
    _history(session, actor, action_id, "pilots", old, new)
    _audit(session, actor, action_id, "update", action["pain_point"], old=old, new=new)


LIST_COLUMNS = ("id", "area", "pain_point", "metric", "baseline", "target", "unit", "measures",
                "owner_id", "owner_name", "owner_department", "team_id", "start_on", "due_on",
                "status", "source_kind", "source_link", "version")  # fmt: skip


def list_actions(
    session: Session,
    viewer: Viewer,
    today: date,
    statuses: tuple[str, ...] = (),
    owner_id: int | None = None,
    pilot_team_id: int | None = None,
) -> pd.DataFrame:
    """The actions ``viewer`` may see (``LIST_COLUMNS`` plus ``pilot_team_ids`` (a tuple)
    and ``overdue``), filtered by status, owner and pilot team, by due date."""
    query = (
        select(
            *(IMPROVEMENT.c[c] for c in LIST_COLUMNS if c != "owner_name"),
            USER.c.display_name.label("owner_name"),
        )
        .select_from(IMPROVEMENT.outerjoin(USER, USER.c.id == IMPROVEMENT.c.owner_id))
        .where(visible(viewer))
        .order_by(IMPROVEMENT.c.due_on.is_(None), IMPROVEMENT.c.due_on, IMPROVEMENT.c.id)
    )
    if statuses:
        query = query.where(IMPROVEMENT.c.status.in_(statuses))
    if owner_id is not None:
        query = query.where(IMPROVEMENT.c.owner_id == owner_id)
    if pilot_team_id is not None:
        piloted = select(PILOT.c.action_id).where(PILOT.c.team_id == pilot_team_id)
        query = query.where(IMPROVEMENT.c.id.in_(piloted))
    frame = frame_of(session, query).reindex(columns=list(LIST_COLUMNS))
    pilots: dict[int, list[int]] = {}
    if len(frame):
        rows = session.execute(
            select(PILOT.c.action_id, PILOT.c.team_id).where(
                PILOT.c.action_id.in_([int(i) for i in frame["id"]])
            )
        )
        for action_id, team in rows:
            pilots.setdefault(int(action_id), []).append(int(team))
    frame["pilot_team_ids"] = [tuple(sorted(pilots.get(int(i), []))) for i in frame["id"]]
    frame["overdue"] = [
        is_overdue(s, d, today) for s, d in zip(frame["status"], frame["due_on"], strict=True)
    ]
    return frame


def overdue_actions(session: Session, viewer: Viewer, today: date) -> pd.DataFrame:
    """The viewer's open actions past their due date (the digest's and the review's list)."""
    frame = list_actions(session, viewer, today, statuses=("not_started", "in_progress"))
    return frame[frame["overdue"]].reset_index(drop=True)


def open_counts(session: Session, viewer: Viewer, today: date) -> tuple[int, int]:
    """(open, overdue) actions the viewer may see."""
    frame = list_actions(session, viewer, today, statuses=("not_started", "in_progress"))
    return len(frame), int(frame["overdue"].sum())


def action_history(session: Session, viewer: Viewer, action_id: int) -> pd.DataFrame:
    """The changes of an action the viewer may see, newest first: ``changed_at, actor, kind,
    old_value, new_value`` (JSON texts)."""
    action_for(session, viewer, action_id, date.max)  # not_found when hidden
    query = (
        select(
            IMPROVEMENT_HISTORY.c.changed_at, USER.c.display_name.label("actor"),
            IMPROVEMENT_HISTORY.c.kind, IMPROVEMENT_HISTORY.c.old_value,
            IMPROVEMENT_HISTORY.c.new_value,
        )
        .select_from(IMPROVEMENT_HISTORY.outerjoin(USER, USER.c.id == IMPROVEMENT_HISTORY.c.actor_id))
        .where(IMPROVEMENT_HISTORY.c.action_id == action_id)
        .order_by(IMPROVEMENT_HISTORY.c.id.desc())
    )  # fmt: skip
    return frame_of(session, query)


def team_names(session: Session, viewer: Viewer) -> dict[int, str]:
    """The teams ``viewer`` may pick (pilot or owning team): all for leaders and admins, their
    own for managers and reps; id → name, by name."""
    query = select(TEAM.c.id, TEAM.c.name).order_by(TEAM.c.name)
    if not viewer.sees_everything:
        query = query.where(TEAM.c.id.in_(viewer.team_ids))
    return {int(i): n for i, n in session.execute(query)}


def owner_names(session: Session, viewer: Viewer) -> dict[int, str]:
    """People ``viewer`` may name as an action's owner: active users of their teams (every
    active user for leaders and admins) and themselves; id → display name."""
    query = select(USER.c.id, USER.c.display_name).where(USER.c.active.is_(True))
    if not viewer.sees_everything:
        query = query.where(or_(USER.c.team_id.in_(viewer.team_ids), USER.c.id == viewer.user_id))
    return {int(i): n for i, n in session.execute(query.order_by(USER.c.display_name))}
