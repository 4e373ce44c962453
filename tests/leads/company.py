"""A small company for the lead tests: regions east and south, team 华东一组 (reps e1–e4,
manager me) and 华南一组 (reps s1–s2, manager ms), a leader and an admin, the product line
cloud; scoring criteria and assignment rules as the tests' hand-worked answers assume."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from salesboard.accounts.access import SYSTEM, Viewer, load_viewer
from salesboard.leads.rules import Criterion
from salesboard.leads.settings import add_rule, save_criteria
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Role
from tests import builders as b

CRITERIA = [
    Criterion("budget", "500000", 30), Criterion("budget", "100000", 10),
    Criterion("urgency", "high", 20), Criterion("urgency", "medium", 10),
    Criterion("fit", "high", 30), Criterion("source", "referral", 10),
    Criterion("industry", "制造业", 5),
]  # fmt: skip
EAST_REPS = ("e1", "e2", "e3", "e4")


@dataclass
class Company:
    ids: dict[str, int]
    viewers: dict[str, Viewer]


def build(engine: Engine, *, rules: bool = True) -> Company:
    ids: dict[str, int] = {}
    with write_session(engine) as s:
        b.stages(s)
        east, south = b.region(s, "east"), b.region(s, "south")
        b.product_line(s, "cloud")
        te, ts = b.team(s, "华东一组", region=east), b.team(s, "华南一组", region=south)
        ids.update(east=east.id, south=south.id, team_east=te.id, team_south=ts.id)
        for name in EAST_REPS:
            ids[name] = b.user(s, name, team=te).id
        for name in ("s1", "s2"):
            ids[name] = b.user(s, name, team=ts).id
        ids["me"] = b.user(s, "me", Role.MANAGER, team=te, manages=[te]).id
        ids["ms"] = b.user(s, "ms", Role.MANAGER, team=ts, manages=[ts]).id
        ids["lead"] = b.user(s, "boss", Role.LEADER).id
        ids["admin"] = b.user(s, "root", Role.ADMIN).id
        save_criteria(s, SYSTEM, CRITERIA)
        if rules:
            ids["rule_direct"] = add_rule(s, SYSTEM, region="east", industry="制造业", rep="e1")
            ids["rule_east"] = add_rule(s, SYSTEM, region="east", team=te.id)
            ids["rule_south"] = add_rule(s, SYSTEM, region="south", team=ts.id)
    with read_session(engine) as s:
        viewers = {name: load_viewer(s, ids[name]) for name in
                   (*EAST_REPS, "s1", "s2", "me", "ms", "lead", "admin")}  # fmt: skip
    return Company(ids, viewers)
