"""A hand-made store for the pipeline review's tests: seven deals in two teams around
China's 2026 Spring Festival, as of Thursday 2026-03-05 (the week is 02-27 … 03-05).

Calendar facts used in the worked answers (2026): Spring Festival days off Mon 02-16 … Fri
02-20 and Mon 02-23; Saturdays 02-14 and 02-28 are make-up working days (调休).

| deal | team | 元 | what happens |
|---|---|---|---|
| D1 XS202602001 | A | 100k | in lead since Fri 02-13 (the Friday before the holiday), key action planned 02-27 undone, no activity since |
| D2 XS202602002 | A | 200k | proposal 02-02 → negotiation 03-02 (advanced this week); proposal actions 02-10 done 02-09, 02-20 done 02-27; flag 竞品威胁; feedback "客户认为价格偏高" |
| D3 XS202602003 | B | 300k | lost in proposal on 03-03 (entered 02-10) |
| D4 XS202602004 | B | 400k | negotiation 02-11 → contract 03-04 → signed, delivery 03-05: won this week |
| D5 XS202603001 | A | 50k  | created 03-02 (new this week), in lead |
| D6 XS202602005 | B | 60k  | proposal 02-25 → back to needs analysis 03-03 (moved back); flag 延迟(客户原因) |
| D7 XS202602006 | A | 70k  | needs analysis since 02-02, action planned 02-20 undone (feedback 预算待审批), expected close slipped 03-31 → 04-30 on 03-03, comment "客户说报价太贵"; flag 延迟(客户原因) |
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine

from salesboard.accounts.access import Viewer, viewer_for
from salesboard.store.db import write_session
from salesboard.store.models import Role
from tests import builders as b

AS_OF = date(2026, 3, 5)


@dataclass(frozen=True)
class PipelineStore:
    """The seeded engine, the viewers per role and the deal ids by label (D1 …)."""

    engine: object
    viewers: dict[str, Viewer]
    deals: dict[str, int]
    teams: dict[str, int]
    codes: dict[str, str]


PEOPLE = {  # username: display name, role, team
    "admin": ("管理员", Role.ADMIN, None),
    "leader": ("领导", Role.LEADER, None),
    "ma": ("经理A", Role.MANAGER, "A"),
    "mb": ("经理B", Role.MANAGER, "B"),
    "ra": ("销售A", Role.REP, "A"),
    "rb": ("销售B", Role.REP, "B"),
}
# label: (code, team, yuan, created, stays [(stage, entered, left)], status, extra)
DEALS = {
    "D1": ("XS202602001", "A", 100_000, "2026-02-13", [("lead", "2026-02-13", None)], "open"),
    "D2": ("XS202602002", "A", 200_000, "2026-01-05", [
        ("lead", "2026-01-05", "2026-01-12"), ("needs_analysis", "2026-01-12", "2026-02-02"),
        ("proposal", "2026-02-02", "2026-03-02"), ("negotiation", "2026-03-02", None)], "open"),
    "D3": ("XS202602003", "B", 300_000, "2026-01-06", [
        ("lead", "2026-01-06", "2026-01-13"), ("needs_analysis", "2026-01-13", "2026-02-10"),
        ("proposal", "2026-02-10", "2026-03-03")], "lost"),
    "D4": ("XS202602004", "B", 400_000, "2026-01-07", [
        ("lead", "2026-01-07", "2026-01-14"), ("needs_analysis", "2026-01-14", "2026-01-28"),
        ("proposal", "2026-01-28", "2026-02-11"), ("negotiation", "2026-02-11", "2026-03-04"),
        ("contract", "2026-03-04", "2026-03-05"), ("delivery", "2026-03-05", None)], "won"),
    "D5": ("XS202603001", "A", 50_000, "2026-03-02", [("lead", "2026-03-02", None)], "open"),
    "D6": ("XS202602005", "B", 60_000, "2026-01-08", [
        ("lead", "2026-01-08", "2026-01-15"), ("needs_analysis", "2026-01-15", "2026-02-25"),
        ("proposal", "2026-02-25", "2026-03-03"), ("needs_analysis", "2026-03-03", None)], "open"),
    "D7": ("XS202602006", "A", 70_000, "2026-01-09", [
        ("lead", "2026-01-09", "2026-02-02"), ("needs_analysis", "2026-02-02", None)], "open"),
}  # fmt: skip
FLAGS = {"D2": "竞品威胁", "D6": "延迟(客户原因)", "D7": "延迟(客户原因)"}
LAST_ACTIVITY = {"D1": "2026-02-13", "D2": "2026-03-02", "D5": "2026-03-02", "D6": "2026-03-03",
                 "D7": "2026-03-03"}  # fmt: skip
# label: [(stage, action, planned, done, feedback)]
ACTIONS = {
    "D1": [("lead", "线索资格确认", "2026-02-27", None, "")],
    "D2": [("proposal", "提交初步方案", "2026-02-10", "2026-02-09", ""),
           ("proposal", "方案客户确认", "2026-02-20", "2026-02-27", "客户认为价格偏高"),
           ("negotiation", "商务报价", "2026-03-09", None, "")],
    "D3": [("proposal", "提交初步方案", "2026-02-20", None, "选择竞品")],
    "D7": [("needs_analysis", "需求文档确认", "2026-02-20", None, "预算待审批")],
}  # fmt: skip
# label: [(day, kind, old, new, note)]
EVENTS = {
    "D7": [("2026-03-03", "expected_close", "2026-03-31", "2026-04-30", ""),
           ("2026-03-04", "comment", "", "", "客户说报价太贵")],
    "D1": [("2026-03-03", "planned_date", "2026-03-06", "2026-02-27", "")],  # moved earlier
    "D2": [("2026-02-20", "expected_close", "2026-03-15", "2026-04-15", "")],  # before the week
}  # fmt: skip


def build(engine: Engine) -> PipelineStore:
    """Write the store described in the module docstring into ``engine``."""
    with write_session(engine) as s:
        region = b.region(s, "east")
        b.product_line(s, "cloud")
        teams = {name: b.team(s, f"团队{name}", region=region).id for name in "AB"}
        people = {
            username: b.user(
                s, username, role, display_name=display, team=teams.get(team),
                manages=[teams[team]] if role == Role.MANAGER else [],
            )
            for username, (display, role, team) in PEOPLE.items()
        }  # fmt: skip
        deals = {}
        for label, (code, team, yuan, created, stays, status) in DEALS.items():
            customer = b.customer(s, f"{label}客户", region=region, created_on=created)
            deal = b.opportunity(
                s, code=code, name=f"{label}项目", owner=people["r" + team.lower()],
                customer=customer, amount_minor=yuan * 100, created_on=created, status=status,
                stays=stays, risk_flag=FLAGS.get(label, ""),
                last_activity_on=b.day(LAST_ACTIVITY.get(label)),
                expected_close_on=date(2026, 4, 30),
            )  # fmt: skip
            deals[label] = deal.id
            for stage, action, planned, done, feedback in ACTIONS.get(label, []):
                b.key_action(s, deal, stage=stage, action=action, planned_on=planned,
                             done_on=done, customer_feedback=feedback)  # fmt: skip
            for day, kind, old, new, note in EVENTS.get(label, []):
                b.event(s, deal, kind=kind, happened_on=day, old_value=old, new_value=new,
                        note=note, actor=people["ma"])  # fmt: skip
        viewers = {name: viewer_for(s, user) for name, user in people.items()}
    codes = {label: spec[0] for label, spec in DEALS.items()}
    return PipelineStore(engine, viewers, deals, teams, codes)


def app_on(engine: Engine, monkeypatch) -> PipelineStore:
    """Build the store into ``engine`` (a SQLite file) and point the app at it as of
    ``AS_OF``, for AppTests; the caller's fixture undoes ``monkeypatch`` and clears the
    cached settings afterwards (``app_env``)."""
    from tests.apptest_support import use_store

    store = build(engine)
    use_store(monkeypatch, str(engine.url), AS_OF.isoformat())
    return store
