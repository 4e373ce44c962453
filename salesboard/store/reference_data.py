"""Reference data every store starts with: the default sales stages (DOMAIN.md §1), the
usual customer types and lead sources, and the default application settings.

A deal is won when its contract is signed: the end of 合同签订 (an open stage, where a deal
can still be lost), when it moves on to 售后交付. Delivery is a ``won`` stage that is still
controlled: its delivery and collection key actions have planned dates and a late one is
overdue like any other."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlmodel import Session, func, select

from salesboard.store.models import (
    AppSetting,
    CustomerType,
    Department,
    LeadSource,
    LostReason,
    Stage,
    StageKind,
    SupportType,
)

# Separator between key actions / deliverables in the stage's text columns.
LIST_SEPARATOR_ZH = "；"
LIST_SEPARATOR_EN = "; "


@dataclass(frozen=True)
class StageDefault:
    """One default stage; ``standard_days`` and ``idle_days`` are working days."""

    code: str
    position: int
    name_zh: str
    name_en: str
    kind: StageKind
    standard_days: int | None
    idle_days: int | None
    key_actions_zh: tuple[str, ...]
    key_actions_en: tuple[str, ...]
    deliverable_zh: str
    deliverable_en: str

    def to_model(self) -> Stage:
        """The ``Stage`` row for this default (lists joined with the language's separator)."""
        return Stage(
            code=self.code,
            position=self.position,
            name_zh=self.name_zh,
            name_en=self.name_en,
            kind=self.kind,
            standard_days=self.standard_days,
            idle_days=self.idle_days,
            key_actions_zh=LIST_SEPARATOR_ZH.join(self.key_actions_zh),
            key_actions_en=LIST_SEPARATOR_EN.join(self.key_actions_en),
            deliverable_zh=self.deliverable_zh,
            deliverable_en=self.deliverable_en,
        )


DEFAULT_STAGES: tuple[StageDefault, ...] = (
    StageDefault(
        "lead", 1, "线索获取", "Lead", StageKind.OPEN, 7, 5,
        ("线索资格确认", "线索评分"),
        ("Qualify the lead", "Score the lead"),
        "线索记录", "Lead record",
    ),
    StageDefault(
        "needs_analysis", 2, "需求分析", "Needs analysis", StageKind.OPEN, 10, 7,
        ("痛点访谈（3次）", "需求文档确认"),
        ("Pain-point interviews (3)", "Needs document confirmed"),
        "《需求分析报告》", "Needs analysis report",
    ),
    StageDefault(
        "proposal", 3, "方案制定", "Proposal", StageKind.OPEN, 10, 7,
        ("提交初步方案", "方案客户确认"),
        ("Submit first proposal", "Customer confirms proposal"),
        "《初步方案》", "Proposal deck",
    ),
    StageDefault(
        "negotiation", 4, "商务谈判", "Negotiation", StageKind.OPEN, 7, 5,
        ("商务报价", "价格审批"),
        ("Pricing", "Price approval"),
        "报价单/审批单", "Quote / approval",
    ),
    StageDefault(
        "contract", 5, "合同签订", "Contract signing", StageKind.OPEN, 5, 5,
        ("合同签署",),
        ("Sign the contract",),
        "合同", "Contract",
    ),
    StageDefault(
        "delivery", 6, "售后交付", "Delivery", StageKind.WON, 20, 10,
        ("交付实施", "回款跟进"),
        ("Delivery", "Collection follow-up"),
        "交付记录", "Delivery record",
    ),
    StageDefault(
        "lost", 99, "输单", "Lost", StageKind.LOST, None, None,
        (), (), "", "",
    ),
)  # fmt: skip

# Default settings (values are JSON text, as ``AppSetting`` stores them).
DEFAULT_SETTINGS: dict[str, str] = {"currency": json.dumps("CNY")}


# The customer types and lead sources a new store offers (code: Chinese, English name); a
# company renames, retires or adds its own on the Organisation page.
DEFAULT_CUSTOMER_TYPES = {
    "enterprise": ("企业客户", "Enterprise"),
    "smb": ("中小企业", "SMB"),
    "government": ("政府/公共事业", "Government / public"),
}
DEFAULT_LEAD_SOURCES = {
    "website": ("官网", "Website"),
    "exhibition": ("展会", "Exhibition"),
    "referral": ("转介绍", "Referral"),
    "cold_call": ("陌生拜访", "Cold call"),
    "partner": ("合作伙伴", "Partner"),
}

# Why deals are lost (migration 0012 fills the same list into stores in use).
DEFAULT_LOST_REASONS = {
    "price": ("价格因素", "Price"),
    "competitor": ("竞品胜出", "Lost to a competitor"),
    "budget": ("预算取消", "Budget cancelled"),
    "timing": ("需求推迟", "Need postponed"),
    "no_decision": ("客户未决策", "No decision"),
    "fit": ("方案不匹配", "Solution did not fit"),
    "relationship": ("关系/信任不足", "Relationship / trust"),
    "other": ("其他", "Other"),
}


# The supporting departments and the kinds of help a deal asks of them (issue 17, seed 000
# 资源协调): code → (zh, en); a type also names its department and its response standard in
# working days (seed 000: "技术方案支持需2个工作日内完成").
DEFAULT_DEPARTMENTS = {
    "tech": ("技术部", "Technical"),
    "finance": ("财务/商务部", "Finance & commercial"),
    "legal": ("法务部", "Legal"),
    "delivery": ("交付部", "Delivery"),
}
DEFAULT_SUPPORT_TYPES = {
    "tech_proposal": ("技术方案", "Technical proposal", "tech", 2),
    "price_approval": ("价格审批", "Price approval", "finance", 1),
    "legal_review": ("法务审核", "Legal review", "legal", 3),
    "delivery_plan": ("交付计划", "Delivery planning", "delivery", 3),
}


def _ensure_support_defaults(session: Session) -> None:
    """The default departments and support types, where their tables are empty."""
    if session.exec(select(func.count()).select_from(Department)).one() == 0:
        session.add_all(
            Department(code=code, name_zh=zh, name_en=en)
            for code, (zh, en) in DEFAULT_DEPARTMENTS.items()
        )
        session.flush()
    if session.exec(select(func.count()).select_from(SupportType)).one() == 0:
        departments = dict(session.exec(select(Department.code, Department.id)).all())
        session.add_all(
            SupportType(code=code, name_zh=zh, name_en=en, department_id=departments.get(dept),
                        response_days=days)
            for code, (zh, en, dept, days) in DEFAULT_SUPPORT_TYPES.items()
        )  # fmt: skip


def ensure_reference_data(session: Session) -> None:
    """Insert the default stages, customer types, lead sources and lost reasons where their table is
    empty and any missing default settings; safe to call any number of times (flushes, the
    caller commits)."""
    if session.exec(select(func.count()).select_from(Stage)).one() == 0:
        session.add_all(stage.to_model() for stage in DEFAULT_STAGES)
    for model, defaults in ((CustomerType, DEFAULT_CUSTOMER_TYPES),
                            (LeadSource, DEFAULT_LEAD_SOURCES),
                            (LostReason, DEFAULT_LOST_REASONS)):  # fmt: skip
        if session.exec(select(func.count()).select_from(model)).one() == 0:
            session.add_all(
                model(code=code, name_zh=zh, name_en=en) for code, (zh, en) in defaults.items()
            )
    _ensure_support_defaults(session)
    existing = set(session.exec(select(AppSetting.key)).all())
    session.add_all(
        AppSetting(key=key, value=value)
        for key, value in DEFAULT_SETTINGS.items()
        if key not in existing
    )
    session.flush()


def key_action_names(session: Session) -> dict[str, str]:
    """Each stage's key actions, Chinese name → English name (a key action is stored by its
    Chinese name; a stage whose two lists differ in length is left out)."""
    names: dict[str, str] = {}
    for zh, en in session.execute(select(Stage.key_actions_zh, Stage.key_actions_en)):
        chinese = [n.strip() for n in (zh or "").split(LIST_SEPARATOR_ZH.strip()) if n.strip()]
        english = [n.strip() for n in (en or "").split(LIST_SEPARATOR_EN.strip()) if n.strip()]
        if len(chinese) == len(english):
            names.update(zip(chinese, english, strict=True))
    return names


# Set by ``init-db``: the store holds a company's own data. ``make run``'s demo step
# (``demo --if-empty``) leaves such a store alone even while it has no deals yet.
COMPANY_STORE_KEY = "company_store"


def mark_company_store(session: Session) -> None:
    """Remember that this store is a company's own (``init-db``)."""
    if session.get(AppSetting, COMPANY_STORE_KEY) is None:
        session.add(AppSetting(key=COMPANY_STORE_KEY, value=json.dumps(True)))
        session.flush()


def is_company_store(session: Session) -> bool:
    """Whether ``init-db`` made this store for a company's own data."""
    return session.get(AppSetting, COMPANY_STORE_KEY) is not None
