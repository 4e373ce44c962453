"""Writing imported users: the new teams they name, the users, and the team each imported
manager leads."""

from __future__ import annotations

import numpy as np

from salesboard.accounts.auth import hash_password, one_time_password
from salesboard.importing import bulk
from salesboard.importing.write_common import (
    WriteState,
    create_referenced,
    insert_simple,
    update_simple,
)
from salesboard.store.models import Team, TeamManager, User


def write_users(state: WriteState) -> None:
    """New teams first, then users (each new one with a one-time password, hashed here and
    handed back in ``state.issued``; it must be changed at first sign-in), then each
    manager leads the team they belong to."""
    final = state.plan["final"]
    written = np.flatnonzero(np.isin(state.validation.action, ["insert", "update"]))
    team = final["team_id"]
    create_referenced(state, Team.__table__, state.plan["new_teams"], team, written,
                       lambda rows: {"name": rows["name"].tolist(),
                                     "region_id": rows["region_id"].astype(int).tolist()})  # fmt: skip
    new = state.rows("insert")
    n = len(new)
    passwords = [one_time_password() for _ in range(n)]
    inserted = insert_simple(state, User.__table__, ("team_id",), extra={
        "created_at": bulk.constant(state.now, n),
        "password_hash": [hash_password(p) for p in passwords],
        "must_change_password": bulk.constant(True, n), "failed_logins": bulk.constant(0, n),
    })  # fmt: skip
    state.issued.extend(zip(final["username"][new].tolist(), final["display_name"][new].tolist(),
                            passwords, strict=True))  # fmt: skip
    update_simple(state, User.__table__, ("team_id",))
    user_ids = np.r_[inserted, state.plan["existing_id"][state.rows("update")]].astype(np.int64)
    positions = np.r_[state.rows("insert"), state.rows("update")]
    led = state.plan["team_managers"]
    pairs = sorted({
        (int(team[p]), int(u)) for p, u in zip(positions.tolist(), user_ids.tolist(), strict=True)
        if final["role"][p] == "manager" and team[p] > 0 and (int(team[p]), int(u)) not in led
    })  # fmt: skip
    if pairs:
        bulk.insert_columns(state.conn, TeamManager.__table__, {
            "team_id": [p[0] for p in pairs], "user_id": [p[1] for p in pairs],
        })  # fmt: skip
        for team_id, user_id in pairs:
            state.recorder.add("team_manager", f"{team_id}:{user_id}", "insert",
                               after={"team_id": team_id, "user_id": user_id})  # fmt: skip
