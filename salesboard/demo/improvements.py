"""Improvement actions and best practices for the demo company (issue 16), so the pages show
a pilot that worked and one that did not:

- "worked": key actions on time, piloted by the first team from 60 days before ``today``.
  The pilot's measure (a weekly key-action review) is simulated: four in five of the pilot
  team's key actions planned since the start and done late are marked done on their planned
  day — the other teams' data is untouched, so the difference-in-differences
  is real;
- "did not work": a visit-quality measure, finished, checked on whichever of effective
  visit share, win rate and lead → opportunity its pilot team moved least against the rest
  (read with the page's functions; the demo's data is random, so this picks the pilot whose
  figures did not move);
- an overdue action (past its due date, in progress) and one not started yet;
- a few best practices, one linked to the action that worked.
Written through the domain functions (history and audit entries are real) as the system.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, and_, select, update
from sqlmodel import Session

from salesboard.accounts.access import SYSTEM
from salesboard.improvement.actions import create_action, move_status
from salesboard.improvement.check import compare
from salesboard.improvement.did import verdict, windows
from salesboard.improvement.knowledge import create_practice, link_practice
from salesboard.store.db import write_session
from salesboard.store.models import OpportunityStatus
from salesboard.store.tables import (
    ACTION,
    AUDIT,
    IMPROVEMENT,
    IMPROVEMENT_HISTORY,
    MANAGER,
    OPP,
    PRACTICE,
    TEAM,
)

PILOT_DAYS = 60  # the pilots started this many days before "today"

PRACTICES = (
    ("需求调研清单：首次拜访前必问的 8 个问题",
     "## 为什么\n需求挖掘不充分会导致方案反复（种子案例：方案定制周期超预期 3 天）。\n\n"
     "## 怎么做\n1. 预算与采购流程\n2. 决策人和影响人\n3. 当前方案的痛点\n4. 上线时间\n\n"
     "每周一次**情景模拟**培训，参考 [SPIN 提问法](https://en.wikipedia.org/wiki/SPIN_selling)。",
     "需求分析, 培训, needs analysis"),
    ("Tiered quote: one price range first, details after the needs are confirmed",
     "Merge the *initial* and the *detailed* quote into one **tiered quote**: the customer sees "
     "the range at once and approval needs one round instead of two.",
     "方案制定, proposal, 报价"),
    ("关键动作周复盘",
     "每周一团队例会逐条过本周计划的关键动作：谁、哪天、交付物。延期的当场改期并说明原因。",
     "关键动作, key actions, 复盘"),
)  # fmt: skip


def _teams(session: Session) -> list[tuple[int, int | None]]:
    """(team id, its first manager's id), by team id."""
    teams = session.execute(select(TEAM.c.id).order_by(TEAM.c.id)).scalars().all()
    managers = dict(
        session.execute(
            select(MANAGER.c.team_id, MANAGER.c.user_id).order_by(MANAGER.c.user_id.desc())
        ).all()
    )
    return [(int(t), managers.get(t)) for t in teams]


def _simulate_weekly_review(session: Session, team_id: int, start: date, today: date) -> None:
    """Four in five of ``team_id``'s key actions planned ``start``–``today`` that were done
    late are done on their planned day (the undone ones stay: My work still lists them)."""
    deals = select(OPP.c.id).where(OPP.c.team_id == team_id, OPP.c.status != OpportunityStatus.LOST)
    late = ACTION.c.done_on > ACTION.c.planned_on
    session.execute(
        update(ACTION)
        .where(
            and_(ACTION.c.opportunity_id.in_(deals), ACTION.c.planned_on.between(start, today),
                 late, ACTION.c.id % 5 != 0)
        )
        .values(done_on=ACTION.c.planned_on)
    )  # fmt: skip


# Metrics the "did not work" pilot may aim at (the key actions are the other pilot's).
STEADY_METRICS = ("effective_visits", "win_rate", "lead_to_opportunity")


def _steadiest(session: Session, teams: list[int], start: date, today: date):
    """(metric, team) whose pilot would have moved least against the other teams (the
    smallest difference-in-differences not called "worked"), with enough cases (read with the page's functions), or None."""
    window = windows(start, today - timedelta(days=1), today)
    best = None
    for metric in STEADY_METRICS:
        for team in teams:
            rest = tuple(t for t in teams if t != team)
            comparison = compare(session, SYSTEM, metric, (team,), rest, window)
            if verdict(comparison, "%", False) in ("too_thin", "no_rest"):
                continue
            rank = (verdict(comparison, "%", False) == "worked", abs(comparison.did))
            if best is None or rank < best[0]:
                best = (rank, metric, team)
    return None if best is None else best[1:]


def add_demo_improvements(engine: Engine, today: date, *, search: bool = True) -> dict[str, int]:
    """Write the demo's actions and practices; returns their ids by name. Without
    ``search`` the "did not work" pilot is the second team's effective visits instead of
    the steadiest team and metric (at 10M deals the search, three metrics for every team
    against the rest, took minutes)."""
    start = today - timedelta(days=PILOT_DAYS)
    ids: dict[str, int] = {}
    with write_session(engine) as session:
        teams = _teams(session)
        if len(teams) < 3:
            return ids
        (pilot, pilot_manager), *others = teams
        _simulate_weekly_review(session, pilot, start, today)
        session.flush()
        ids["worked"] = create_action(
            session, SYSTEM,
            {"area": "关键动作管理", "pain_point": "关键动作经常延期，商机推进慢",
             "metric": "key_actions_on_time", "baseline": 0.55, "target": 0.75, "unit": "%",
             "measures": "1. 每周一关键动作复盘\n2. 延期必须改期并写明原因",
             "owner_id": pilot_manager, "owner_department": "销售部", "team_id": pilot,
             "start_on": start, "due_on": today + timedelta(days=30)},
            pilots=(pilot,), source=("stage_kpi", "key_actions_on_time", "/pipeline?section=kpis"),
        )  # fmt: skip
        move_status(session, SYSTEM, ids["worked"], 1, "in_progress")
        found = _steadiest(session, [t for t, _ in teams], start, today) if search else None
        metric, steady = found or (
            "effective_visits",
            others[0][0],
        )
        manager = dict(teams).get(steady)
        ids["no_effect"] = create_action(
            session, SYSTEM,
            {"area": "需求分析", "pain_point": "拜访未约到决策人，有效拜访占比低",
             "metric": metric, "unit": "%",
             "measures": "拜访前确认决策人并提前发送议程", "owner_id": manager,
             "owner_department": "销售部", "team_id": steady, "start_on": start,
             "due_on": today - timedelta(days=1)},
            pilots=(steady,), source=("risk_theme", "decision_maker", "/pipeline?section=risks"),
        )  # fmt: skip
        move_status(session, SYSTEM, ids["no_effect"], 1, "done")
        ids["overdue"] = create_action(
            session, SYSTEM,
            {"area": "方案制定", "pain_point": "报价审批节点多，方案制定周期长",
             "metric": "cycle_days", "baseline": 45, "target": 30, "unit": "days",
             "measures": "合并初步报价与详细报价为阶梯报价；审批节点减少 2 个",
             "owner_department": "销售部、财务部", "team_id": others[-1][0],
             "start_on": today - timedelta(days=40), "due_on": today - timedelta(days=10)},
            pilots=(others[-1][0],), source=("bottleneck", "proposal", "/pipeline?section=durations"),
        )  # fmt: skip
        move_status(session, SYSTEM, ids["overdue"], 1, "in_progress")
        ids["planned"] = create_action(
            session, SYSTEM,
            {"area": "线索获取与分配", "pain_point": "线索质量参差不齐，分配耗时长",
             "metric": "lead_to_opportunity", "baseline": 0.15, "target": 0.25, "unit": "%",
             "measures": "市场部制定《线索评分标准》；CRM 按区域+行业自动分配",
             "owner_department": "市场部", "start_on": today + timedelta(days=7),
             "due_on": today + timedelta(days=98)},
            source=("manual", "", ""),
        )  # fmt: skip
        for n, (title, body, tags) in enumerate(PRACTICES):
            source = ("improvement", str(ids["worked"]), f"/improvements?action={ids['worked']}")
            practice = create_practice(
                session, SYSTEM, {"title": title, "body": body, "tags": tags},
                source=source if n == 2 else ("manual", "", ""),
            )  # fmt: skip
            if n == 2:
                link_practice(session, SYSTEM, ids["worked"], practice)
        _fix_stamps(session, today)
    return ids


def _fix_stamps(session: Session, today: date) -> None:
    """Stamp what was written at 09:00 UTC of ``today`` (reruns give identical rows)."""
    stamp = datetime.combine(today, time(9), tzinfo=UTC)
    for table in (IMPROVEMENT, PRACTICE):
        session.execute(update(table).values(created_at=stamp, updated_at=stamp))
    session.execute(update(IMPROVEMENT_HISTORY).values(changed_at=stamp))
    session.execute(
        update(AUDIT)
        .where(AUDIT.c.entity.in_(("improvement_action", "best_practice")))
        .values(at=stamp)
    )
