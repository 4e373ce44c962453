"""Best practices (知识库): entries with a title, a Markdown body (rendered safely by the UI),
tags and where they came from — a deal, a rep, a feedback form's improvement item, an
improvement action — searchable in Chinese and English, linked from improvement actions.

Everyone signed in reads the knowledge base (it is there to be copied); managers, leaders
and admins write it. Promoting a deal or a feedback item checks that the writer may read it:
one they may not see reads as one that does not exist.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, insert, or_, select, update
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, can_read_owned_by
from salesboard.improvement.actions import action_for, may_create
from salesboard.improvement.errors import ImprovementError
from salesboard.store.models import utcnow
from salesboard.store.queries import frame_of
from salesboard.store.tables import ACTION_PRACTICE, CUSTOMER, ITEM, OPP, PRACTICE, USER

SOURCE_KINDS = ("manual", "deal", "rep", "feedback_item", "improvement", "top_bottom")
LIMITS = {"title": 200, "body": 20000, "tags": 500}
COLUMNS = ("id", "title", "body", "tags", "source_kind", "source_ref", "source_link", "version",
           "updated_at")  # fmt: skip


def may_write(viewer: Viewer) -> bool:
    """Managers, leaders and admins write the knowledge base."""
    return may_create(viewer)


def tag_list(tags: str) -> list[str]:
    """The tags of an entry: split on commas (half or full width) and 、, trimmed, no repeats."""
    parts = tags.replace("，", ",").replace("、", ",").split(",")
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    out = {k: str(values.get(k) or "").strip() for k in LIMITS if k in values}
    if "tags" in out:
        out["tags"] = ", ".join(tag_list(out["tags"]))
    for name, limit in LIMITS.items():
        if len(out.get(name, "")) > limit:
            raise ImprovementError("too_long", f"{name} over {limit}", name, limit=limit)
    if "title" in out and not out["title"]:
        raise ImprovementError("required", "the title is required", "title")
    return out


def create_practice(
    session: Session,
    actor: Viewer,
    values: dict[str, Any],
    *,
    source: tuple[str, str, str] = ("manual", "", ""),
) -> int:
    """A new entry from ``values`` (title, body, tags) with its ``source`` (kind, reference,
    link back); returns its id."""
    if not may_write(actor):
        raise ImprovementError("read_only", f"{actor.username} may not write best practices")
    clean = {"body": "", "tags": "", **_clean({"title": "", **values})}
    kind, ref, link = source
    if kind not in SOURCE_KINDS:
        raise ImprovementError("unknown_source", f"unknown source {kind}")
    now = utcnow()
    practice_id = session.execute(
        insert(PRACTICE).values(
            **clean, source_kind=kind, source_ref=str(ref)[:200], source_link=str(link)[:500],
            version=1, created_at=now, created_by=actor.user_id, updated_at=now,
            updated_by=actor.user_id,
        ).returning(PRACTICE.c.id)
    ).scalar_one()  # fmt: skip
    audit.record(
        session, actor, action="create", entity="best_practice", entity_id=practice_id,
        summary=clean["title"], new={**clean, "source": f"{kind}:{ref}"},
    )  # fmt: skip
    return int(practice_id)


def practice(session: Session, practice_id: int) -> dict[str, Any]:
    """One entry (``not_found`` when there is none)."""
    row = session.execute(
        select(*(PRACTICE.c[c] for c in COLUMNS)).where(PRACTICE.c.id == practice_id)
    ).one_or_none()
    if row is None:
        raise ImprovementError("not_found", f"no best practice {practice_id}", id=practice_id)
    return dict(row._mapping)


def update_practice(
    session: Session, actor: Viewer, practice_id: int, seen_version: int, values: dict[str, Any]
) -> None:
    """Change title, body or tags; refused when changed since ``seen_version`` (``conflict``)."""
    if not may_write(actor):
        raise ImprovementError("read_only", f"{actor.username} may not write best practices")
    current = practice(session, practice_id)
    old, new = audit.changed_fields(current, _clean(values))
    if not new:
        return
    changed = session.execute(
        update(PRACTICE)
        .where(PRACTICE.c.id == practice_id, PRACTICE.c.version == seen_version)
        .values(**new, version=PRACTICE.c.version + 1, updated_at=utcnow(), updated_by=actor.user_id)
    ).rowcount  # fmt: skip
    if changed != 1:
        raise ImprovementError("conflict", f"best practice {practice_id} was changed meanwhile")
    audit.record(
        session, actor, action="update", entity="best_practice", entity_id=practice_id,
        summary=current["title"], old=old, new=new,
    )  # fmt: skip


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_practices(
    session: Session, text: str = "", tag: str = "", limit: int = 200
) -> pd.DataFrame:
    """Entries whose title, body or tags contain every word of ``text`` (substring match, so
    Chinese needs no word breaks; case-insensitive for Latin letters), with ``tag`` among
    their tags when given; newest first."""
    query = select(*(PRACTICE.c[c] for c in COLUMNS)).order_by(PRACTICE.c.id.desc()).limit(limit)
    for word in text.split():
        pattern = _like(word)
        query = query.where(
            or_(
                *(func.lower(PRACTICE.c[c]).like(pattern, escape="\\")
                  for c in ("title", "body", "tags"))
            )
        )  # fmt: skip
    frame = frame_of(session, query).reindex(columns=list(COLUMNS))
    if tag:
        keep = [tag.lower() in {t.lower() for t in tag_list(tags)} for tags in frame["tags"]]
        frame = frame[keep].reset_index(drop=True)
    return frame


def all_tags(session: Session) -> list[str]:
    """Every tag in use, sorted."""
    tags = session.execute(select(PRACTICE.c.tags)).scalars()
    return sorted({t for text in tags for t in tag_list(text or "")})


def link_practice(session: Session, actor: Viewer, action_id: int, practice_id: int) -> None:
    """Link an entry to an action the actor may change (a second link is a no-op)."""
    action = action_for(session, actor, action_id, date.max)
    if not action.editable:
        raise ImprovementError("read_only", f"{actor.username} may not change {action_id}")
    practice(session, practice_id)
    exists = session.execute(
        select(ACTION_PRACTICE.c.action_id).where(
            ACTION_PRACTICE.c.action_id == action_id, ACTION_PRACTICE.c.practice_id == practice_id
        )
    ).first()
    if exists is None:
        session.execute(
            insert(ACTION_PRACTICE).values(action_id=action_id, practice_id=practice_id)
        )
        audit.record(
            session, actor, action="update", entity="improvement_action", entity_id=action_id,
            summary=action["pain_point"], new={"practice": practice_id},
        )  # fmt: skip


def unlink_practice(session: Session, actor: Viewer, action_id: int, practice_id: int) -> None:
    """Remove a link between an action and an entry."""
    action = action_for(session, actor, action_id, date.max)
    if not action.editable:
        raise ImprovementError("read_only", f"{actor.username} may not change {action_id}")
    session.execute(
        delete(ACTION_PRACTICE).where(
            ACTION_PRACTICE.c.action_id == action_id, ACTION_PRACTICE.c.practice_id == practice_id
        )
    )


def practices_of_action(session: Session, viewer: Viewer, action_id: int) -> pd.DataFrame:
    """The entries linked to an action the viewer may see (``id, title, tags``)."""
    action_for(session, viewer, action_id, date.max)
    query = (
        select(PRACTICE.c.id, PRACTICE.c.title, PRACTICE.c.tags)
        .join(ACTION_PRACTICE, ACTION_PRACTICE.c.practice_id == PRACTICE.c.id)
        .where(ACTION_PRACTICE.c.action_id == action_id)
        .order_by(PRACTICE.c.id)
    )
    return frame_of(session, query).reindex(columns=["id", "title", "tags"])


def deal_defaults(session: Session, actor: Viewer, code: str) -> dict[str, str]:
    """Title, tags and source of an entry promoted from the deal ``code`` (``not_found``
    when the actor may not read it)."""
    code = str(code).strip().upper()
    row = session.execute(
        select(OPP.c.code, OPP.c.name, OPP.c.owner_id, OPP.c.team_id, CUSTOMER.c.name.label("customer"),
               USER.c.display_name.label("owner"))
        .join(CUSTOMER, CUSTOMER.c.id == OPP.c.customer_id)
        .join(USER, USER.c.id == OPP.c.owner_id)
        .where(OPP.c.code == code)
    ).one_or_none()  # fmt: skip
    if row is None or not can_read_owned_by(actor, row.owner_id, row.team_id):
        raise ImprovementError("not_found", f"no deal {code}", code=code)
    return {"title": f"{row.customer} · {row.name}", "tags": row.owner, "source_ref": row.code,
            "source_link": f"/opportunity?code={row.code}"}  # fmt: skip


def promote_deal(session: Session, actor: Viewer, code: str, values: dict[str, Any]) -> int:
    """A best practice from the deal ``code`` (a case worth copying); returns its id."""
    found = deal_defaults(session, actor, code)
    source = ("deal", found["source_ref"], found["source_link"])
    return create_practice(session, actor, values, source=source)


def feedback_item_defaults(session: Session, actor: Viewer, item_id: int) -> dict[str, str]:
    """Title, body and source of an entry promoted from a feedback form's improvement item
    (``not_found`` when the actor may not read the rep's form)."""
    row = session.execute(
        select(ITEM, USER.c.team_id, USER.c.username, USER.c.display_name.label("rep"))
        .join(USER, USER.c.id == ITEM.c.rep_id)
        .where(ITEM.c.id == item_id)
    ).one_or_none()
    if row is None or not can_read_owned_by(actor, row.rep_id, row.team_id):
        raise ImprovementError("not_found", f"no improvement item {item_id}", id=item_id)
    body = "\n\n".join(p for p in (row.problem, row.cause, row.measure) if p)
    return {"title": row.problem or row.measure, "body": body, "tags": row.rep,
            "source_ref": str(item_id),
            "source_link": f"/feedback?period={row.period}&rep={row.username}"}  # fmt: skip


def promote_feedback_item(
    session: Session, actor: Viewer, item_id: int, values: dict[str, Any]
) -> int:
    """A best practice from a feedback form's improvement item; returns its id."""
    found = feedback_item_defaults(session, actor, item_id)
    source = ("feedback_item", found["source_ref"], found["source_link"])
    return create_practice(session, actor, values, source=source)
