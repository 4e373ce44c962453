"""Opportunity history for the demo company: the events of the last few weeks that a weekly
review talks about, consistent with the rows ``salesboard.demo`` wrote.

- expected-close slips: open deals whose expected close moved later (old = current date
  minus a few weeks, new = the current ``expected_close_on``);
- planned-date slips: open deals whose current key action was re-planned later (new = the
  action's current ``planned_on``);
- risk flags: the flag an open deal carries now was set on a day since it entered its stage;
- notes (rep activity) on the deal's last activity day, so activity clocks stay as they are;
- comments from the team's manager on overdue-looking deals.

Deterministic in ``seed`` and ``today``; vectorised and inserted in bulk, so the "large"
demo (1,000,000 opportunities) adds its events in seconds.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import Connection, and_, func, select
from sqlmodel import Session

from salesboard.demo.bulk import bulk_insert
from salesboard.store.models import OpportunityEventKind, OpportunityStatus
from salesboard.store.tables import ACTION, EVENT, MANAGER, OPP

WINDOW_DAYS = 42  # events fall in the six weeks before ``today``
NOTES = (
    "电话沟通，客户确认下周安排技术交流",
    "已发送补充材料，等待客户反馈",
    "客户采购部门询问付款方式",
    "与客户IT负责人沟通实施细节",
    "客户希望看到同行业案例",
    "客户反馈价格偏高，需要申请折扣",
    "客户提到竞品报价更低",
    "客户预算尚待年度审批",
)
COMMENTS = (
    "请本周内与决策人确认时间表",
    "价格问题请提交折扣审批，我来协调",
    "竞品在跟进，请尽快补充竞品对比分析",
    "需求还不清楚，建议再做一次痛点访谈",
    "客户内部流程慢，保持每周跟进",
    "预算未落实前不要投入更多售前资源",
)


def _days(values) -> np.ndarray:
    return np.array(values, dtype="datetime64[D]")


def generate_events(session: Session, *, today: date, seed: int = 42) -> int:
    """Write the demo's opportunity events (see the module docstring); returns how many."""
    conn = session.connection()
    rng = np.random.default_rng([seed, 31])
    rows = conn.execute(
        select(
            OPP.c.id,
            OPP.c.owner_id,
            OPP.c.team_id,
            OPP.c.stage_entered_on,
            OPP.c.expected_close_on,
            OPP.c.last_activity_on,
            OPP.c.risk_flag,
            OPP.c.current_stage_id,
        )
        .where(OPP.c.status == OpportunityStatus.OPEN)
        .order_by(OPP.c.id)
    ).all()
    if not rows:
        return 0
    ids, owner, team, entered, close, last, flag, stage = (
        np.array(c, dtype=object) for c in zip(*rows, strict=True)
    )
    ids = ids.astype(np.int64)
    n = len(ids)
    today64 = np.datetime64(today, "D")
    start64 = today64 - WINDOW_DAYS
    entered = _days(entered.tolist())
    last = _days([d or e for d, e in zip(last.tolist(), entered.tolist(), strict=True)])
    close = _days([c or today for c in close.tolist()])
    managers = dict(
        conn.execute(
            select(MANAGER.c.team_id, func.min(MANAGER.c.user_id)).group_by(MANAGER.c.team_id)
        ).all()
    )
    manager = np.array(
        [managers.get(t, o) for t, o in zip(team.tolist(), owner.tolist(), strict=True)],
        dtype=object,
    )

    def day_between(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
        """A random day in [lo, hi] (lo clipped into the window)."""
        lo = np.maximum(lo, start64)
        span = np.maximum((hi - lo).astype(np.int64), 0)
        return lo + np.floor(rng.random(len(lo)) * (span + 1)).astype(np.int64)

    events: dict[str, list] = {
        k: []
        for k in (
            "opportunity_id",
            "happened_on",
            "actor_id",
            "kind",
            "old_value",
            "new_value",
            "note",
        )
    }

    def add(
        mask: np.ndarray, happened: np.ndarray, actor: np.ndarray, kind: str, old, new, note
    ) -> None:
        rows_ = np.flatnonzero(mask)
        events["opportunity_id"].extend(ids[rows_].tolist())
        events["happened_on"].extend(happened[rows_].tolist())
        events["actor_id"].extend(actor[rows_].tolist())
        events["kind"].extend([kind] * len(rows_))
        for key, value in (("old_value", old), ("new_value", new), ("note", note)):
            events[key].extend(
                value[rows_].tolist() if isinstance(value, np.ndarray) else [value] * len(rows_)
            )

    # Expected close pushed out by 2–6 weeks (the current date is the new one).
    slip = (rng.random(n) < 0.12) & (close > today64)
    pushed = rng.integers(2, 7, n) * 7
    add(
        slip,
        day_between(entered, today64),
        owner,
        OpportunityEventKind.EXPECTED_CLOSE,
        (close - pushed).astype(str).astype(object),
        close.astype(str).astype(object),
        "",
    )

    # Current key action re-planned later by 3–15 days.
    actions = conn.execute(
        select(ACTION.c.opportunity_id, func.min(ACTION.c.planned_on))
        .join(
            OPP,
            and_(OPP.c.id == ACTION.c.opportunity_id, OPP.c.current_stage_id == ACTION.c.stage_id),
        )
        .where(OPP.c.status == OpportunityStatus.OPEN, ACTION.c.done_on.is_(None))
        .group_by(ACTION.c.opportunity_id)
    ).all()
    planned = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
    if actions:
        a_ids = np.array([a for a, _ in actions], dtype=np.int64)
        planned[np.searchsorted(ids, a_ids)] = _days([p for _, p in actions])
    has_plan = ~np.isnat(planned)
    replan = has_plan & (rng.random(n) < 0.1) & (planned - entered > 3)
    moved = rng.integers(3, 16, n)
    old_plan = np.where(has_plan, planned - moved, today64)
    when = day_between(entered, np.minimum(np.maximum(old_plan, entered), today64))
    add(
        replan,
        when,
        owner,
        OpportunityEventKind.PLANNED_DATE,
        old_plan.astype(str).astype(object),
        planned.astype(str).astype(object),
        "",
    )

    # The risk flag a deal carries was set since it entered its stage.
    flagged = (flag != "") & (rng.random(n) < 0.7)
    add(flagged, day_between(entered, today64), owner, OpportunityEventKind.RISK_FLAG, "", flag, "")

    # Rep notes on the last activity day (activity the clocks already count).
    noted = (rng.random(n) < 0.35) & (last >= start64)
    add(
        noted,
        last,
        owner,
        OpportunityEventKind.NOTE,
        "",
        "",
        np.array(NOTES, dtype=object)[rng.integers(0, len(NOTES), n)],
    )

    # Manager comments on deals that look stuck (flagged, or quiet for over two weeks).
    stuck = (flag != "") | (today64 - last > 14)
    commented = stuck & (rng.random(n) < 0.4)
    add(
        commented,
        day_between(entered, today64),
        manager,
        OpportunityEventKind.COMMENT,
        "",
        "",
        np.array(COMMENTS, dtype=object)[rng.integers(0, len(COMMENTS), n)],
    )

    return _insert(conn, events)


def _insert(conn: Connection, events: dict[str, list]) -> int:
    """Bulk-insert ``events`` (sorted by day, then deal), stamped at 10:00 UTC of their day."""
    order = sorted(
        range(len(events["opportunity_id"])),
        key=lambda i: (events["happened_on"][i], events["opportunity_id"][i]),
    )
    columns = {k: [v[i] for i in order] for k, v in events.items()}
    columns["at"] = [
        datetime.combine(d, datetime.min.time(), UTC) + timedelta(hours=10)
        for d in columns["happened_on"]
    ]
    bulk_insert(conn, EVENT, columns)
    return len(order)
