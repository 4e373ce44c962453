"""User rows: the username as the business key, role, team (a new team is created when the
row names its region), active flag; nobody changes their own role or deactivates
themselves."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from salesboard.importing.context import Context, check_duplicates, names_note
from salesboard.importing.resolve_common import ctx_ids, filled, finish_plan, texts
from salesboard.importing.values import match_key
from salesboard.store.models import Role, TeamManager, User


def resolve_users(ctx: Context) -> dict[str, Any]:
    """Users by username, with role, team (created when the row names its region) and
    active flag. New users get no password: an admin sets one before they sign in."""

    ref = ctx.reference
    usernames = texts(ctx.value("username"), None)
    bad_name = np.array([u is not None and (any(c.isspace() for c in u)) for u in usernames])
    ctx.problem(bad_name, "username", "bad_username")
    emails = texts(ctx.value("email"), None)
    bad_email = np.array([e is not None and ("@" not in e or " " in e) for e in emails])
    ctx.problem(bad_email, "email", "bad_email")
    by_name = {match_key(u.username): u.id for u in ref.users.values()}
    existing_id = np.array([by_name.get(match_key(u), 0) if u else 0 for u in usernames],
                           dtype=np.int64)  # fmt: skip
    # Teams: existing by name, else created in the row's region.
    team_text = ctx.text("team")
    team = ref.team_index.resolve(team_text).fillna(0).to_numpy(dtype=np.int64)
    region = ctx_ids(ctx, "region")
    unknown_team = team_text.notna().to_numpy() & (team == 0)
    ctx.problem(unknown_team & (region == 0) & ~filled(ctx, "region"), "team", "unknown_team")
    new_teams: dict[tuple[str, int], int] = {}
    for pos in np.flatnonzero(unknown_team & (region != 0)).tolist():
        key = (team_text.iat[pos], int(region[pos]))
        new_teams.setdefault(key, len(new_teams))
        team[pos] = -(new_teams[key] + 1)
    role = texts(ctx.value("role"), Role.REP).astype(object)
    active = ctx.value("active", "boolean").fillna(True).to_numpy(dtype=bool)
    self_row = (existing_id > 0) & (existing_id == (ctx.viewer.user_id or -1))
    own_role = ref.users[ctx.viewer.user_id].role if ctx.viewer.user_id in ref.users else ""
    ctx.problem(self_row & ((filled(ctx, "role") & (role != own_role)) | ~active), "role",
                "self_change")  # fmt: skip
    check_duplicates(ctx, {"username": pd.Series([match_key(u) if u else None for u in usernames],
                                                 dtype=object)})  # fmt: skip
    final = {
        "username": texts(ctx.value("username")),
        "display_name": texts(ctx.value("display_name")),
        "role": role,
        "team_id": team,
        "email": texts(ctx.value("email"), None),
        "active": active,
    }
    given = {
        "role": filled(ctx, "role"), "team_id": team_text.notna().to_numpy(),
        "email": filled(ctx, "email"), "active": filled(ctx, "active"),
        "display_name": filled(ctx, "display_name"),
        # the stored spelling of a username stays (matching ignores case and width)
        "username": np.zeros(ctx.size, dtype=bool),
    }  # fmt: skip
    plan = finish_plan(ctx, User.__table__, final, given, existing_id)
    plan["new_teams"] = pd.DataFrame(
        [(name, region_id) for (name, region_id) in new_teams], columns=["name", "region_id"]
    )
    led = set(ctx.session.execute(select(TeamManager.team_id, TeamManager.user_id)).all())
    plan["team_managers"] = led
    if len(plan["new_teams"]):
        plan["_notes"] = [names_note("import.note.new_teams", plan["new_teams"]["name"])]
    return plan
