"""Writing imported organisation entries through ``salesboard.organisation.lists`` (the
page's rules and audit): regions first, so the teams below them find them, then product
lines, customer types, lead sources and teams with their managers. Each insert and rename is
recorded for undo."""

from __future__ import annotations

from sqlalchemy import select

from salesboard.importing.resolve_organisation import LISTS
from salesboard.importing.write_common import WriteState
from salesboard.organisation import lists
from salesboard.store.models import User

_COLUMNS = ("name_zh", "name_en", "active")


def _row_values(state: WriteState, kind: str, entry_id: int) -> dict:
    """The stored entry as undo compares and restores it."""
    table = lists.KINDS[kind].model.__table__
    row = state.session.execute(table.select().where(table.c.id == entry_id)).mappings().one()
    return {k: row[k] for k in row.keys() if k != "id"}


def write_organisation(state: WriteState) -> None:
    """Insert or rename the planned entries, list by list."""
    rows = [r for r in state.plan["rows"] if r["action"] in ("insert", "update")]
    for kind in LISTS:
        table = lists.KINDS[kind].model.__table__.name
        stored_ids = lists.entries(state.session, kind).set_index("key")["id"]
        for row in (r for r in rows if r["kind"] == kind):
            if row["action"] == "insert":
                entry_id = lists.add_entry(
                    state.session, state.actor, kind, code=row["code"], name_zh=row["name_zh"],
                    name_en=row["name_en"], region=row["region"],
                )  # fmt: skip
                state.recorder.add(table, entry_id, "insert",
                                   after=_row_values(state, kind, entry_id))  # fmt: skip
            else:
                entry_id = int(stored_ids[row["key"]])
                before = _row_values(state, kind, entry_id)
                lists.change_entry(
                    state.session, state.actor, kind, row["key"], name_zh=row["name_zh"],
                    name_en=row["name_en"] or None, region=row["region"],
                )  # fmt: skip
                state.recorder.add(table, entry_id, "update", before=before,
                                   after=_row_values(state, kind, entry_id))  # fmt: skip
            if kind == "team" and row["managers"] is not None:
                before = set(lists.team_managers(state.session).get(entry_id, []))
                lists.set_team_managers(state.session, state.actor, row["name_zh"],
                                        row["managers"])  # fmt: skip
                for user_id in _user_ids(state, set(row["managers"]) - before):
                    state.recorder.add("team_manager", f"{entry_id}:{user_id}", "insert",
                                       after={"team_id": entry_id, "user_id": user_id})  # fmt: skip


def _user_ids(state: WriteState, usernames: set[str]) -> list[int]:
    query = select(User.id).where(User.username.in_(sorted(usernames)))
    return list(state.session.execute(query).scalars())
