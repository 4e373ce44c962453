"""Assess a deal (机会评估五维度): every active dimension scored 1–5 with a note, the weighted
score computed under the weights of the day (``pipeline.assessment``). Each assessment is a
new row — the deal's score history — and the newest is marked ``latest``; the deal's version
is bumped in the same transaction, so two people assessing at once cannot both be "latest"
and a tab opened before the assessment sees that the deal changed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import insert, update
from sqlmodel import Session

from salesboard.accounts.access import Viewer
from salesboard.deals.errors import DealError
from salesboard.deals.writing import bump, clean_text, deal_for_write, event, record, require_open
from salesboard.pipeline.assessment import (
    SCORE_MAX,
    SCORE_MIN,
    AssessmentSettings,
    load_settings,
    weighted_score,
)
from salesboard.store.models import OpportunityEventKind, utcnow
from salesboard.store.tables import ASSESSMENT, ASSESSMENT_SCORE

MAX_DIMENSION_NOTE = 500
MAX_NOTE = 1000


def checked_scores(settings: AssessmentSettings, scores: Mapping[str, object]) -> dict[str, int]:
    """``scores`` (dimension code → score) as whole numbers 1–5 for exactly the active
    dimensions: a missing, unknown or out-of-range one is refused (field ``scores``) with the
    dimension's name in the message."""
    active = {d.code: d for d in settings.active}
    for code in scores:
        if code not in active:
            raise DealError("unknown_dimension", f"unknown dimension {code!r}", "scores",
                            dimension=code)  # fmt: skip
    checked = {}
    for code, dim in active.items():
        value = scores.get(code)
        names = {"dimension": dim.name_zh, "dimension_en": dim.name_en}
        if value is None or value == "":
            raise DealError("score_missing", f"no score for {code}", "scores", **names)
        try:
            number = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            number = float("nan")
        if not number.is_integer() or not SCORE_MIN <= number <= SCORE_MAX:
            raise DealError("score_range", f"{code}: {value!r} is not 1–5", "scores", value=value,
                            **names)  # fmt: skip
        checked[code] = int(number)
    return checked


def assess_deal(
    session: Session,
    actor: Viewer,
    code: str,
    scores: Mapping[str, object],
    *,
    notes: Mapping[str, str] | None = None,
    note: str = "",
    today: date,
    seen_version: int | None = None,
) -> float:
    """Record an assessment of the open deal ``code`` by ``actor`` (someone who may change
    it); returns the weighted score. Refusals name the dimension at fault; nothing is
    written then."""
    settings = load_settings(session)
    checked = checked_scores(settings, scores)
    notes = {k: clean_text(v, k, MAX_DIMENSION_NOTE) for k, v in (notes or {}).items()}
    overall = clean_text(note, "note", MAX_NOTE)
    deal = deal_for_write(session, actor, code, seen_version=seen_version)
    require_open(deal)
    weights = {d.code: d.weight for d in settings.active}
    score = weighted_score(checked, weights)
    bump(session, deal)  # serialises assessments of one deal (row lock / version)
    session.execute(
        update(ASSESSMENT)
        .where(ASSESSMENT.c.opportunity_id == deal.id, ASSESSMENT.c.latest)
        .values(latest=False)
    )
    assessment_id = session.execute(
        insert(ASSESSMENT).values(
            opportunity_id=deal.id,
            stage_id=deal.current_stage_id,
            score=score,
            note=overall,
            latest=True,
            assessed_by=actor.user_id,
            assessed_at=utcnow(),
        )  # fmt: skip
    ).inserted_primary_key[0]
    session.execute(
        insert(ASSESSMENT_SCORE),
        [
            {
                "assessment_id": assessment_id,
                "dimension": c,
                "score": s,
                "weight": weights[c],
                "note": notes.get(c, ""),
            }
            for c, s in checked.items()
        ],  # fmt: skip
    )
    event(session, actor, deal, OpportunityEventKind.ASSESSED, today, new=f"{score:.1f}",
          note=overall)  # fmt: skip
    record(session, actor, deal, "update", f"{deal.code} assessed {score:.2f}",
           new={"score": score, "scores": checked})  # fmt: skip
    return score
