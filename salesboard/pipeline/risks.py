"""Common risks across the open pipeline: deals grouped by risk flag, and recurring themes
in what customers said (key-action feedback) and in notes and comments.

Chinese text has no spaces to split words on, so themes come from a small curated
dictionary of keywords per theme (价格 / 报价 / 偏高 → price …), matched once per distinct
text, then counted in SQL; a deal counts once per theme however often it mentions it. Honest and explainable —
the page says so — rather than a word cloud of fragments.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
from sqlalchemy import case, func, literal, select, union_all
from sqlmodel import Session

from salesboard.accounts.access import Viewer, scoped_filter
from salesboard.pipeline.deals import DEAL_COLUMNS, with_deal_columns
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import OpportunityEventKind, OpportunityStatus
from salesboard.store.queries import frame_of, greatest_per, money_sum
from salesboard.store.tables import ACTION, EVENT, OPP

# Theme code → keywords (Chinese and English, matched case-insensitively as substrings).
THEMES: Mapping[str, tuple[str, ...]] = {
    "price": ("价格", "报价", "偏高", "太贵", "折扣", "降价", "price", "expensive", "discount"),
    "competitor": ("竞品", "竞争", "对手", "competitor", "rival"),
    "budget": ("预算", "资金", "付款", "budget", "funding"),
    "decision": ("决策", "拍板", "领导", "decision maker", "decision"),
    "needs": ("需求", "痛点", "不明确", "requirement", "needs"),
    "process": ("流程", "手续", "审批", "较慢", "process", "approval"),
    "delivery": ("交付", "周期", "工期", "实施", "delivery", "timeline"),
    "references": ("案例", "参考", "同行", "reference", "case study"),
}
NOTE_KINDS = (OpportunityEventKind.NOTE, OpportunityEventKind.COMMENT)
THEME_LIMIT = 200


def risk_flag_counts(session: Session, viewer: Viewer, filters: OpportunityFilter) -> pd.DataFrame:
    """Open deals per risk flag (unflagged left out), most first: ``risk_flag, count,
    amount_minor``."""
    query = scoped_filter(viewer, filters).apply(
        select(
            OPP.c.risk_flag,
            func.count().label("count"),
            money_sum(OPP.c.amount_minor).label("amount_minor"),
        )
        .where(OPP.c.status == OpportunityStatus.OPEN, OPP.c.risk_flag != "")
        .group_by(OPP.c.risk_flag)
    )
    frame = frame_of(session, query).reindex(columns=["risk_flag", "count", "amount_minor"])
    return frame.sort_values(["count", "risk_flag"], ascending=[False, True], ignore_index=True)


def _texts(filters: OpportunityFilter):
    """(opportunity_id, text) of every customer feedback, note and comment on open deals."""
    open_deals = filters.apply(select(OPP.c.id).where(OPP.c.status == OpportunityStatus.OPEN))
    feedback = select(ACTION.c.opportunity_id, ACTION.c.customer_feedback.label("text")).where(
        ACTION.c.opportunity_id.in_(open_deals), ACTION.c.customer_feedback != ""
    )
    notes = select(EVENT.c.opportunity_id, EVENT.c.note.label("text")).where(
        EVENT.c.opportunity_id.in_(open_deals), EVENT.c.kind.in_(NOTE_KINDS), EVENT.c.note != ""
    )
    return union_all(feedback, notes).subquery()


def mentions(text: str, theme: str) -> bool:
    """Whether ``text`` mentions ``theme`` (any of its keywords, case-insensitive)."""
    lowered = text.lower()
    return any(word.lower() in lowered for word in THEMES[theme])


def theme_texts(
    session: Session, viewer: Viewer, filters: OpportunityFilter
) -> dict[str, tuple[str, ...]]:
    """Theme → the distinct texts on the open deals ``viewer`` may read (within ``filters``)
    that mention it. Matching runs once per distinct text (customers repeat themselves), not
    once per row; the result is small, so a page reads it once and hands it to
    ``feedback_themes`` and ``theme_opportunities`` instead of each scanning the texts."""
    texts = _texts(scoped_filter(viewer, filters))
    distinct_texts = session.execute(select(texts.c.text).group_by(texts.c.text)).scalars().all()
    return {theme: tuple(t for t in distinct_texts if mentions(t, theme)) for theme in THEMES}


def feedback_themes(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    matching: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """Per theme, how many open deals mention it in customer feedback, notes or comments and
    their amount: ``theme, count, amount_minor``, most mentioned first (zero counts kept).
    ``matching`` is ``theme_texts`` for the same viewer and filters (read when not given)."""
    if matching is None:
        matching = theme_texts(session, viewer, filters)
    texts = _texts(scoped_filter(viewer, filters))
    flags = [
        func.max(case((texts.c.text.in_(list(matching[theme])), 1), else_=0)).label(theme)
        if matching[theme]
        else literal(0).label(theme)
        for theme in THEMES
    ]
    mentioning = sorted({text for said in matching.values() for text in said})
    per_deal = (
        select(texts.c.opportunity_id, *flags)
        # Only the texts that mention a theme reach the grouping.
        .where(texts.c.text.in_(mentioning or [""]))
        .group_by(texts.c.opportunity_id)
        .subquery()
    )
    query = select(
        *(func.coalesce(func.sum(per_deal.c[theme]), 0).label(theme) for theme in THEMES),
        *(
            money_sum(per_deal.c[theme] * OPP.c.amount_minor).label(f"{theme}_amount")
            for theme in THEMES
        ),
    ).select_from(per_deal.join(OPP, OPP.c.id == per_deal.c.opportunity_id))
    row = session.execute(query).one()._mapping
    frame = pd.DataFrame(
        {
            "theme": list(THEMES),
            "count": [int(row[t]) for t in THEMES],
            "amount_minor": [int(row[f"{t}_amount"]) for t in THEMES],
        }
    )
    return frame.sort_values(["count", "theme"], ascending=[False, True], ignore_index=True)


def theme_opportunities(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter,
    theme: str,
    limit: int = THEME_LIMIT,
    matching: Mapping[str, Sequence[str]] | None = None,
) -> pd.DataFrame:
    """The open deals behind a theme, biggest first, with one matching text each:
    ``code, name, customer, owner, stage_zh, stage_en, amount_minor, risk_flag, quote``.
    ``matching`` is ``theme_texts`` for the same viewer and filters (read when not given)."""
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}")
    if matching is None:
        matching = theme_texts(session, viewer, filters)
    texts = _texts(scoped_filter(viewer, filters))
    said = list(matching[theme])
    quoted = greatest_per(
        texts.c.opportunity_id, texts.c.text, texts.c.text.in_(said or [""]), label="quote"
    ).subquery()
    query = (
        with_deal_columns(
            select().select_from(quoted.join(OPP, OPP.c.id == quoted.c.opportunity_id)),
            OPP.c.risk_flag,
            quoted.c.quote,
        )
        .order_by(OPP.c.amount_minor.desc(), OPP.c.code)
        .limit(limit)
    )
    return frame_of(session, query).reindex(columns=[*DEAL_COLUMNS, "risk_flag", "quote"])
