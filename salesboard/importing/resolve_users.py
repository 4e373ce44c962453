"""User rows: the username as the business key, role, team (a new team is created when the
row names its region), active flag; nobody changes their own role or deactivates
themselves.

A roster needs no username column (issue 14): a row without a username is the stored user
whose username is its 工号, else whose e-mail it gives, else whose name it gives (one such
user, or one in the row's team, and no other row of the file naming them); any other row
is a new person, with a username from ``usernames`` and a one-time password at writing."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import select

from salesboard.importing.context import Context, check_duplicates, names_note
from salesboard.importing.resolve_common import ctx_ids, filled, finish_plan, texts
from salesboard.importing.usernames import base_username, unique_usernames
from salesboard.importing.values import match_key
from salesboard.store.models import Role, TeamManager, User

NEW_USERS_LISTED = 20  # names the dry run's note lists (the passwords workbook has all)


def _key(text: object) -> str | None:
    return match_key(text) if text else None


def _identify(ctx: Context, team: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(username, existing user id or 0) per row; rows without a username get one (see the
    module docstring), and rows that may be one of several stored people are problems."""
    users = ctx.reference.users
    explicit = texts(ctx.value("username"), None)
    numbers = np.array([("".join(n.split()) or None) if n else None
                        for n in texts(ctx.value("employee_no"), None)], dtype=object)  # fmt: skip
    emails, names = texts(ctx.value("email"), None), texts(ctx.value("display_name"), None)
    by_username = {match_key(u.username): u.id for u in users.values()}
    stored_email: dict[int, str | None] = dict(
        ctx.session.execute(select(User.id, User.email)).all()
    )
    by_email: dict[str, int] = {}
    for user_id, email in stored_email.items():
        if key := _key(email):
            by_email[key] = user_id if key not in by_email else 0
    by_name: dict[str, list[int]] = {}
    for u in users.values():
        by_name.setdefault(match_key(u.display_name) or "", []).append(u.id)
    usernames = np.where(pd.notna(explicit), explicit, numbers).astype(object)
    existing = np.array([by_username.get(_key(u), 0) if u else 0 for u in usernames],
                        dtype=np.int64)  # fmt: skip
    via = np.where(pd.notna(explicit), "username", np.where(pd.notna(numbers), "employee_no", ""))
    for pos in np.flatnonzero((via == "") & pd.notna(emails)).tolist():
        if found := by_email.get(_key(emails[pos]) or "", 0):
            existing[pos], via[pos] = found, "email"
    # By name: the rows identified by nothing else, against stored people not ruled out by
    # another e-mail address.
    by_name_rows = np.flatnonzero((via == "") & pd.notna(names))
    name_keys = [_key(names[p]) for p in by_name_rows.tolist()]
    rows_per_name = pd.Series(name_keys, dtype=object).value_counts().to_dict()
    rows_per_name_team = pd.Series(
        [(k, int(team[p])) for k, p in zip(name_keys, by_name_rows.tolist(), strict=True)],
        dtype=object,
    ).value_counts().to_dict()  # fmt: skip
    ambiguous: list[tuple[int, list[int]]] = []
    for pos, key in zip(by_name_rows.tolist(), name_keys, strict=True):
        candidates = [u for u in by_name.get(key or "", [])
                      if not (emails[pos] and stored_email.get(u)
                              and _key(stored_email[u]) != _key(emails[pos]))]  # fmt: skip
        if not candidates:
            continue
        in_team = [u for u in candidates if team[pos] > 0 and users[u].team_id == team[pos]]
        if len(candidates) == 1 and rows_per_name[key] == 1:
            existing[pos] = candidates[0]
        elif len(in_team) == 1 and rows_per_name_team[(key, int(team[pos]))] == 1:
            existing[pos] = in_team[0]
        else:
            ambiguous.append((pos, candidates))
            continue
        via[pos] = "display_name"
    if ambiguous:
        listed = [{"candidates": "、".join(users[u].username for u in c)} for _, c in ambiguous]
        ctx.problem(np.array([p for p, _ in ambiguous], dtype=np.int64), "display_name",
                    "ambiguous_person", listed)  # fmt: skip
    if ctx.mode == "insert":  # "already exists", saying who (the username may not be in the file)
        found = np.flatnonzero((existing > 0) & (via != "username"))
        ctx.problem(found, "display_name", "has_account",
                    [{"username": users[int(existing[p])].username} for p in found])  # fmt: skip
    for pos in np.flatnonzero(existing > 0).tolist():
        usernames[pos] = users[int(existing[pos])].username
    # New people: a failed row takes no name (fixed and imported again, it gets the same).
    new = np.flatnonzero((existing == 0) & pd.isna(usernames) & ~ctx.log.bad)
    taken = [u.username for u in users.values()] + [u for u in usernames if u]
    bases = [base_username(names[p], emails[p], None) for p in new.tolist()]
    usernames[new] = unique_usernames(bases, taken)
    usernames[pd.isna(usernames)] = ""
    return usernames, existing


def resolve_users(ctx: Context) -> dict[str, Any]:
    """Users by username, with role, team (created when the row names its region) and
    active flag. New users get no password: an admin sets one before they sign in."""

    ref = ctx.reference
    given_names = texts(ctx.value("username"), None)
    bad_name = np.array([u is not None and (any(c.isspace() for c in u)) for u in given_names])
    ctx.problem(bad_name, "username", "bad_username")
    emails = texts(ctx.value("email"), None)
    bad_email = np.array([e is not None and ("@" not in e or " " in e) for e in emails])
    ctx.problem(bad_email, "email", "bad_email")
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
    usernames, existing_id = _identify(ctx, team)
    role = texts(ctx.value("role"), Role.REP).astype(object)
    active = ctx.value("active", "boolean").fillna(True).to_numpy(dtype=bool)
    self_row = (existing_id > 0) & (existing_id == (ctx.viewer.user_id or -1))
    own_role = ref.users[ctx.viewer.user_id].role if ctx.viewer.user_id in ref.users else ""
    ctx.problem(self_row & ((filled(ctx, "role") & (role != own_role)) | ~active), "role",
                "self_change")  # fmt: skip
    same_person = [f"#{e}" if e else _key(u) for u, e in zip(usernames, existing_id, strict=True)]
    check_duplicates(ctx, {"username": pd.Series(same_person, dtype=object)})
    final = {
        "username": usernames,
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
    plan["_notes"] = _new_users_note(plan["_action"], final)
    if len(plan["new_teams"]):
        plan["_notes"].append(names_note("import.note.new_teams", plan["new_teams"]["name"]))
    return plan


def _new_users_note(action: np.ndarray, final: dict[str, np.ndarray]) -> list[tuple[str, dict]]:
    """Who would get an account: "张伟 → zhang.wei" for the first ``NEW_USERS_LISTED``."""
    new = np.flatnonzero(action == "insert")
    if not len(new):
        return []
    shown = [f"{final['display_name'][p]} → {final['username'][p]}"
             for p in new[:NEW_USERS_LISTED].tolist()]  # fmt: skip
    more = "…" if len(new) > NEW_USERS_LISTED else ""
    return [("import.note.new_users", {"count": len(new), "names": "、".join(shown) + more})]
