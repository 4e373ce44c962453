"""A small hand-made company for import tests (both backends): two regions, two teams,
reps with a shared display name, customers with a name in two regions, two opportunities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine
from sqlmodel import select

from salesboard.accounts.access import Viewer, viewer_for
from salesboard.store.db import read_session, write_session
from salesboard.store.models import (
    Customer,
    Opportunity,
    ProductLine,
    Region,
    Role,
    Stage,
    StageHistory,
    Team,
    TeamManager,
    User,
)
from salesboard.store.reference_data import ensure_reference_data

TODAY = date(2026, 11, 23)


@dataclass
class Company:
    """Ids of the seeded rows by short name."""

    ids: dict[str, int]

    def __getitem__(self, name: str) -> int:
        return self.ids[name]


def seed(engine: Engine) -> Company:
    """Fill an empty migrated store with the test company."""
    ids: dict[str, int] = {}
    with write_session(engine) as s:
        ensure_reference_data(s)
        south = Region(code="south", name_zh="华南", name_en="South China")
        east = Region(code="east", name_zh="华东", name_en="East China")
        s.add_all([south, east])
        cloud = ProductLine(code="cloud", name_zh="云服务", name_en="Cloud Services")
        mfg = ProductLine(code="smart_mfg", name_zh="智能制造", name_en="Smart Manufacturing")
        s.add_all([cloud, mfg])
        s.flush()
        t_south = Team(name="华南一组", region_id=south.id)
        t_east = Team(name="华东一组", region_id=east.id)
        s.add_all([t_south, t_east])
        s.flush()
        users = {
            "admin": User(username="admin", display_name="管理员", role=Role.ADMIN),
            "leader": User(username="leader", display_name="高总", role=Role.LEADER),
            "mgr": User(username="mgr.south", display_name="陈经理", role=Role.MANAGER,
                        team_id=t_south.id),
            "rep_a": User(username="zhang.wei", display_name="张伟", role=Role.REP,
                          team_id=t_south.id),
            "rep_b": User(username="wang.fang", display_name="王芳", role=Role.REP,
                          team_id=t_east.id),
            "rep_c": User(username="zhang.wei2", display_name="张伟", role=Role.REP,
                          team_id=t_east.id),
            "rep_d": User(username="li.na", display_name="李娜", role=Role.REP,
                          team_id=t_south.id),
            "loner": User(username="no.team", display_name="无组", role=Role.REP),
        }  # fmt: skip
        s.add_all(users.values())
        s.flush()
        s.add(TeamManager(team_id=t_south.id, user_id=users["mgr"].id))
        customers = {
            "tech": Customer(name="某科技有限公司", region_id=south.id, owner_id=users["rep_a"].id,
                             created_on=date(2024, 1, 5)),
            "yy": Customer(name="YY制造集团", region_id=east.id, owner_id=users["rep_b"].id,
                           created_on=date(2024, 2, 1)),
            "twin_s": Customer(name="同名客户", region_id=south.id, created_on=date(2024, 3, 1)),
            "twin_e": Customer(name="同名客户", region_id=east.id, created_on=date(2024, 3, 1)),
        }  # fmt: skip
        s.add_all(customers.values())
        s.flush()
        stages = {st.code: st.id for st in s.exec(select(Stage))}
        opps = {
            "o1": Opportunity(code="XS202405001", name="某科技项目", customer_id=customers["tech"].id,
                              owner_id=users["rep_a"].id, team_id=t_south.id, region_id=south.id,
                              product_line_id=cloud.id, amount_minor=85_000_000,
                              created_on=date(2024, 5, 2), current_stage_id=stages["needs_analysis"],
                              stage_entered_on=date(2024, 5, 6)),
            "o2": Opportunity(code="XS202405002", name="YY项目", customer_id=customers["yy"].id,
                              owner_id=users["rep_b"].id, team_id=t_east.id, region_id=east.id,
                              product_line_id=mfg.id, amount_minor=120_000_000,
                              created_on=date(2024, 5, 3), current_stage_id=stages["proposal"],
                              stage_entered_on=date(2024, 5, 12)),
        }  # fmt: skip
        s.add_all(opps.values())
        s.flush()
        s.add(StageHistory(opportunity_id=opps["o1"].id, stage_id=stages["needs_analysis"],
                           entered_on=date(2024, 5, 6)))  # fmt: skip
        s.add(StageHistory(opportunity_id=opps["o2"].id, stage_id=stages["proposal"],
                           entered_on=date(2024, 5, 12)))  # fmt: skip
        ids.update({f"region_{r.code}": r.id for r in (south, east)})
        ids.update({f"line_{p.code}": p.id for p in (cloud, mfg)})
        ids.update(team_south=t_south.id, team_east=t_east.id)
        ids.update({k: u.id for k, u in users.items()})
        ids.update({f"customer_{k}": c.id for k, c in customers.items()})
        ids.update({k: o.id for k, o in opps.items()})
        ids.update({f"stage_{k}": v for k, v in stages.items()})
    return Company(ids)


def viewer(engine: Engine, user_id: int) -> Viewer:
    """The Viewer of a seeded user."""
    with read_session(engine) as s:
        return viewer_for(s, s.get(User, user_id))
