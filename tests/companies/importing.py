"""A small company for the import tests (both backends): two regions, two teams, reps with a
shared display name, customers with a name in two regions, two opportunities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from salesboard.store.db import write_session
from salesboard.store.models import Role
from tests import builders as b
from tests.builders import viewer

TODAY = date(2026, 11, 23)
__all__ = ["TODAY", "Company", "seed", "viewer"]

# key: username, display name, role, team ("south", "east" or None)
PEOPLE = {
    "admin": ("admin", "管理员", Role.ADMIN, None),
    "leader": ("leader", "高总", Role.LEADER, None),
    "mgr": ("mgr.south", "陈经理", Role.MANAGER, "south"),
    "rep_a": ("zhang.wei", "张伟", Role.REP, "south"),
    "rep_b": ("wang.fang", "王芳", Role.REP, "east"),
    "rep_c": ("zhang.wei2", "张伟", Role.REP, "east"),
    "rep_d": ("li.na", "李娜", Role.REP, "south"),
    "loner": ("no.team", "无组", Role.REP, None),
}
# key: name, region, owner, created on
CUSTOMERS = {
    "tech": ("某科技有限公司", "south", "rep_a", date(2024, 1, 5)),
    "yy": ("YY制造集团", "east", "rep_b", date(2024, 2, 1)),
    "twin_s": ("同名客户", "south", None, date(2024, 3, 1)),
    "twin_e": ("同名客户", "east", None, date(2024, 3, 1)),
}
# key: code, name, customer, owner, line, 元, created, stage entered on that day
DEALS = {
    "o1": ("XS202405001", "某科技项目", "tech", "rep_a", "cloud", 850_000, date(2024, 5, 2),
           ("needs_analysis", date(2024, 5, 6))),
    "o2": ("XS202405002", "YY项目", "yy", "rep_b", "smart_mfg", 1_200_000, date(2024, 5, 3),
           ("proposal", date(2024, 5, 12))),
}  # fmt: skip


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
        stages = b.stages(s)
        regions = {code: b.region(s, code) for code in ("south", "east")}
        lines = {
            "cloud": b.product_line(s, "cloud", name_en="Cloud Services"),
            "smart_mfg": b.product_line(s, "smart_mfg", name_zh="智能制造",
                                        name_en="Smart Manufacturing"),
        }  # fmt: skip
        teams = {code: b.team(s, f"{r.name_zh}一组", region=r) for code, r in regions.items()}
        users = {
            key: b.user(
                s, username, role, display_name=display, team=teams.get(team),
                manages=[teams[team]] if role == Role.MANAGER else [],
            )
            for key, (username, display, role, team) in PEOPLE.items()
        }  # fmt: skip
        customers = {
            key: b.customer(
                s, name, region=regions[region], owner=users.get(owner), created_on=created
            )  # fmt: skip
            for key, (name, region, owner, created) in CUSTOMERS.items()
        }
        opps = {
            key: b.opportunity(
                s, code=code, name=name, customer=customers[customer], owner=users[owner],
                line=lines[line], amount_minor=yuan * 100, created_on=created, stays=[(*stay, None)],
            )
            for key, (code, name, customer, owner, line, yuan, created, stay) in DEALS.items()
        }  # fmt: skip
        ids.update({f"region_{code}": r.id for code, r in regions.items()})
        ids.update({f"line_{code}": p.id for code, p in lines.items()})
        ids.update({f"team_{code}": t.id for code, t in teams.items()})
        ids.update({k: u.id for k, u in users.items()})
        ids.update({f"customer_{k}": c.id for k, c in customers.items()})
        ids.update({k: o.id for k, o in opps.items()})
        ids.update({f"stage_{k}": v for k, v in stages.items()})
    return Company(ids)
