"""The demo organisation and its people: regions, product lines, teams, the admin, leaders,
managers and reps, and each rep's ability (win rate, speed, capacity, diligence)."""

from __future__ import annotations

from typing import Any

import numpy as np

from salesboard.accounts.auth import hash_password
from salesboard.accounts.demo_accounts import DEMO_PASSWORD
from salesboard.demo.context import DemoContext
from salesboard.demo.sizes import STRONG_TEAM
from salesboard.demo.vocabulary import CN_NUMERALS, GIVEN_NAMES, PRODUCT_LINES, REGIONS, SURNAMES
from salesboard.store import models as m


def organisation(ctx: DemoContext) -> dict[str, Any]:
    """Regions, product lines, teams and users as column dicts, plus the per-rep arrays
    (team, region, win, speed, capacity, diligence) the other tables are drawn from."""
    rng = ctx.rng(1)
    spec = ctx.spec
    region = {
        "id": [1, 2, 3],
        "code": [r[0] for r in REGIONS],
        "name_zh": [r[1] for r in REGIONS],
        "name_en": [r[2] for r in REGIONS],
    }
    product_line = {
        "id": [1, 2, 3],
        "code": [p[0] for p in PRODUCT_LINES],
        "name_zh": [p[1] for p in PRODUCT_LINES],
        "name_en": [p[2] for p in PRODUCT_LINES],
    }
    team_region = [r for r, n in enumerate(spec.teams_per_region) for _ in range(n)]
    team_names = [
        f"{REGIONS[r][1]}销售{CN_NUMERALS[i]}组"
        for r, n in enumerate(spec.teams_per_region)
        for i in range(n)
    ]
    n_teams = len(team_names)
    strong = team_names.index(STRONG_TEAM)
    weak = len(team_names) - 1  # the last north team lags a little
    # Reps round-robin over teams, starting with the strong team.
    order = [(strong + i) % n_teams for i in range(n_teams)]
    rep_team = np.array(sorted(order[i % n_teams] for i in range(spec.reps)))
    people = people_names(rng, 3 + n_teams + spec.reps)
    users: dict[str, list] = {
        k: [] for k in ("id", "username", "display_name", "email", "role", "team_id")
    }

    def add_user(role: str, team: int | None) -> int:
        zh, username = people[len(users["id"])]
        users["id"].append(len(users["id"]) + 1)
        users["username"].append(username)
        users["display_name"].append(zh)
        users["email"].append(f"{username}@example.com")
        users["role"].append(role)
        users["team_id"].append(None if team is None else team + 1)
        return users["id"][-1]

    add_user(m.Role.ADMIN, None)
    leaders = [add_user(m.Role.LEADER, None) for _ in range(2)]
    managers, rep_ids = [], []
    for t in range(n_teams):
        managers.append(add_user(m.Role.MANAGER, t))
        rep_ids += [add_user(m.Role.REP, t) for _ in range(int((rep_team == t).sum()))]
    n_users = len(users["id"])
    users["username"][0], users["display_name"][0] = "admin", "系统管理员"
    users["email"][0] = "admin@example.com"
    users["active"] = [True] * n_users
    users["created_at"] = [ctx.created_at] * n_users
    # One hash for everyone: argon2 is slow on purpose, and the password is public. The
    # salt comes from the seed so the same seed writes the same rows.
    salt = f"salesboard-demo-{ctx.seed}".encode()
    users["password_hash"] = [hash_password(DEMO_PASSWORD, salt=salt)] * n_users
    users["password_changed_at"] = [ctx.created_at] * n_users
    users["must_change_password"] = [False] * n_users
    users["failed_logins"] = [0] * n_users
    # Rep ability: team level times personal noise; one newcomer per team.
    team_win = np.ones(n_teams)
    team_speed = np.ones(n_teams)
    team_win[strong], team_speed[strong] = 1.5, 0.8
    team_win[weak], team_speed[weak] = 0.85, 1.1
    win = team_win[rep_team] * np.exp(rng.normal(0, 0.15, spec.reps))
    speed = team_speed[rep_team] * np.exp(rng.normal(0, 0.12, spec.reps))
    capacity = np.exp(rng.normal(0, 0.25, spec.reps))
    newcomer = np.r_[True, rep_team[1:] != rep_team[:-1]]
    newcomer = np.roll(newcomer, -1)  # the last rep of each team joined recently
    win[newcomer] *= 0.75
    speed[newcomer] *= 1.2
    capacity[newcomer] *= 0.7
    diligence = np.clip(win * np.exp(rng.normal(0, 0.15, spec.reps)), 0.5, 2.0)
    return {
        "region": region,
        "product_line": product_line,
        "team": {
            "id": list(range(1, n_teams + 1)),
            "name": team_names,
            "region_id": [r + 1 for r in team_region],
        },
        "user": users,
        "team_manager_rows": {"team_id": list(range(1, n_teams + 1)), "user_id": managers},
        "team_region": np.array(team_region),
        "team_manager": np.array(managers),
        "leaders": leaders,
        "rep_id": np.array(rep_ids),
        "rep_team": rep_team,
        "rep_region": np.array(team_region)[rep_team],
        "win": win,
        "speed": speed,
        "capacity": capacity,
        "diligence": diligence,
    }


def people_names(rng: np.random.Generator, n: int) -> list[tuple[str, str]]:
    """``n`` distinct (Chinese name, pinyin username); a repeated username gets a number."""
    pairs = rng.permutation(len(SURNAMES) * len(GIVEN_NAMES))[:n]
    seen: dict[str, int] = {}
    result = []
    for p in pairs.tolist():
        (sur, sur_py), (given, given_py) = (
            SURNAMES[p // len(GIVEN_NAMES)],
            GIVEN_NAMES[p % len(GIVEN_NAMES)],
        )
        base = f"{given_py}.{sur_py}"
        seen[base] = seen.get(base, 0) + 1
        result.append((sur + given, base if seen[base] == 1 else f"{base}{seen[base]}"))
    return result
