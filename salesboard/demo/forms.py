"""Feedback forms for the demo company: the last three months, so the month-to-month loop
is visible at once — older months confirmed with improvement items, the newest month in
every state (confirmed, submitted, returned, draft, not started), items done, in progress
and overdue. Deterministic from ``seed`` and ``today``; written through the workflow
functions (so stamps and the audit trail are real), with the stamps then set to plausible
dates in each month."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Engine, select, update

from salesboard.accounts.access import SYSTEM, viewer_for
from salesboard.calendar.periods import month as month_period
from salesboard.calendar.periods import previous_period
from salesboard.feedback import workflow
from salesboard.feedback.config import load_config
from salesboard.feedback.form import completion
from salesboard.store.db import write_session
from salesboard.store.models import AuditLog, FeedbackForm, ImprovementItem, Role, User

# At most this many reps get forms (the "large" demo has 120; a few teams show the idea).
MAX_REPS = 30
# At 10M deals each form's prefill reads a rep's month for 1-2 s: ten reps of the first team.
STREAMED_MAX_REPS = 10
REASONS = {
    "sales": ("大客户A订单延迟交付", "重点项目推迟到下月签约", "客户预算冻结，合同延后"),
    "collection_rate": ("客户B资金周转困难", "年底对账周期延长"),
    "on_time_collection": ("客户B资金周转困难", "客户付款审批流程变长"),
    "new_customers": ("线索转化率偏低", "新线索数量不足"),
    "visits": ("部分客户暂不接受拜访", "集中准备投标，拜访减少"),
    "effective_visits": ("未约到决策人", "拜访时间过短，需求不明确"),
    "lead_conversion": ("新人对产品卖点不熟悉", "线索质量下降"),
    "proposals": ("需求调研不充分导致方案反复", "方案模板需更新"),
    "key_action_completion": ("项目并行过多，动作延期", "客户方审批延迟"),
    "key_action_on_time": ("客户方审批延迟，动作顺延", "计划日期定得过紧"),
}
ITEMS = (
    ("回款率低", "market", "客户资金紧张，未及时对账", "每周跟进客户财务进度，协助申请分期付款"),
    ("新客户转化率低", "people", "对产品技术参数不熟悉", "安排产品经理一对一培训，每日模拟演练"),
    ("大客户订单延迟交付", "product", "生产部排产冲突", "协调生产总监优先保障重点订单"),
    ("有效拜访比例低", "people", "未提前确认决策人", "拜访前确认决策人与拜访目标，记录晋级承诺"),
    ("方案反复修改", "product", "需求调研不充分", "方案前完成3次痛点访谈并经客户确认需求文档"),
)
NOTES = ("已完成培训，转化率回升", "按计划推进中", "客户已同意分期付款", "尚未启动，下周安排")
# Status of the newest month's forms, by rep in turn (None: not started yet).
NEWEST = ("confirmed", "submitted", "draft", "confirmed", "returned", None, "submitted")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 30), UTC)


def add_demo_forms(engine: Engine, today: date, seed: int = 42, max_reps: int = MAX_REPS) -> int:
    """Write the demo forms for the three months before ``today``'s for the first
    ``max_reps`` reps; returns how many."""
    rng = random.Random(seed)
    newest = previous_period(month_period(today.year, today.month))
    months = [previous_period(previous_period(newest)), previous_period(newest), newest]
    written = 0
    with write_session(engine) as session:
        config = load_config(session)
        reps = (
            session.execute(
                select(User).where(User.role == Role.REP, User.active.is_(True)).order_by(User.id)
            )
            .scalars()
            .all()[:max_reps]
        )
        for month in months:
            for index, rep in enumerate(reps):
                status = "confirmed"
                if month == newest:
                    status = NEWEST[index % len(NEWEST)]
                    if status is None:
                        continue
                _write_form(session, rng, rep, month, status, index, config, today)
                written += 1
    return written


def _write_form(
    session, rng, rep: User, month, status: str, index: int, config, today: date
) -> None:
    rep_viewer = viewer_for(session, rep)
    # Prefilled as of the demo's day, not the wall clock: same seed and day, same forms.
    form = workflow.start_form(session, rep_viewer, rep.id, month.label, config=config, as_of=today)
    body = form.body
    for row in body["kpis"]:
        ratio = completion(row)
        if ratio is not None and ratio < config.threshold:
            row["reason"] = rng.choice(REASONS.get(row["code"], ("客户原因",)))
    sales = next((r for r in body["kpis"] if r["code"] == "sales"), None)
    if sales is not None and sales["actual"] is not None and rng.random() < 0.15:
        sales["actual"] = int(sales["actual"]) + 50_000_000  # 5 万元 signed, not yet entered
        sales["override_reason"] = "合同已签署，系统尚未录入"
    for row in body["carried"]:
        row["status"] = rng.choice(("done", "done", "in_progress", "not_started"))
        row["note"] = rng.choice(NOTES)
    for n in range(rng.choice((1, 1, 2))):
        problem, category, cause, measure = rng.choice(ITEMS)
        body["items"].append(
            {
                "key": f"demo-{month.label}-{n}",
                "problem": problem, "cause_category": category, "cause": cause,
                "measure": measure, "owner": rep.display_name,
                "due_on": (month.end + timedelta(days=rng.choice((10, 20, 35)) + 5 * n)).isoformat(),
                "checkpoint_on": (month.end + timedelta(days=5)).isoformat(),
                "status": "not_started",
            }
        )  # fmt: skip
    form = workflow.save_draft(session, rep_viewer, form.id, form.version, body)
    manager = None
    if form.manager_id is not None:
        manager = viewer_for(session, session.get(User, form.manager_id))
    reviewer = manager or SYSTEM
    filled = month.end + timedelta(days=1 + index % 3)
    stamps = {"created_at": _at(month.end - timedelta(days=2), 9)}
    if status in ("submitted", "confirmed", "returned"):
        form = workflow.submit(session, rep_viewer, form.id, form.version, config)
        stamps["submitted_at"] = _at(filled, 17)
    if status == "returned":
        comment = "请补充重点客户的回款计划和下月拜访安排"
        form = workflow.return_form(session, reviewer, form.id, form.version, comment)
        stamps["returned_at"] = _at(filled + timedelta(days=1), 10)
    if status == "confirmed":
        form = workflow.confirm(session, reviewer, form.id, form.version)
        stamps["confirmed_at"] = _at(filled + timedelta(days=2), 11)
    stamps["updated_at"] = max(stamps.values())
    session.execute(update(FeedbackForm).where(FeedbackForm.id == form.id).values(**stamps))
    # The same seed and day must write the same rows: no wall-clock stamps anywhere.
    session.execute(
        update(ImprovementItem)
        .where(ImprovementItem.rep_id == rep.id)
        .values(updated_at=stamps["updated_at"])
    )
    session.execute(
        update(AuditLog)
        .where(AuditLog.entity == "feedback_form", AuditLog.entity_id == str(form.id))
        .values(at=stamps["updated_at"])
    )
