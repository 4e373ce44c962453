"""Opportunity assessment (机会评估五维度, seed 001): the company's dimensions and weights, the
weighted score of a deal, quality bands, and the reads the weekly review and the deal page
use — the open pipeline by assessed quality, the deals it flags, a deal's score history.

The rule, as the page states it: each dimension is scored 1–5; the deal's score is the
weighted mean of the active dimensions (weights in percent, adding up to 100, so a missing
weight cannot silently tilt the score). Bands: ``high`` ≥ the high mark (default 4.0),
``low`` < the low mark (default 3.0), ``medium`` between, ``none`` when never assessed. The
review flags open deals of at least the "high amount" whose latest score is low, and open
deals past the "assess by" stage (default 需求分析) that were never assessed. Writes are in
``salesboard.deals.assessment``."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass

import pandas as pd
from sqlalchemy import and_, case, func, select
from sqlmodel import Session

from salesboard.accounts import audit
from salesboard.accounts.access import Viewer, can_read_owned_by, require, scoped_filter
from salesboard.figures.sales import still_open
from salesboard.pipeline.deals import DEAL_COLUMNS, with_deal_columns
from salesboard.store.filters import NO_FILTER, OpportunityFilter
from salesboard.store.models import AppSetting, Opportunity
from salesboard.store.queries import frame_of, money_sum
from salesboard.store.tables import ASSESSMENT, ASSESSMENT_SCORE, OPP, STAGE, USER

SETTING_KEY = "deal.assessment"
SCORE_MIN, SCORE_MAX = 1, 5
BANDS = ("high", "medium", "low", "none")
FLAGS = ("low_score_high_amount", "unassessed")
FLAG_LIMIT = 200


class AssessmentError(ValueError):
    """An assessment or a setting refused; ``field`` names the input at fault and
    ``params`` fill the message's placeholders."""

    def __init__(self, field: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.field = field
        self.params = params


@dataclass(frozen=True)
class Dimension:
    """One dimension a deal is scored on; ``weight`` in percent of the score."""

    code: str
    name_zh: str
    name_en: str
    hint_zh: str = ""
    hint_en: str = ""
    weight: int = 20
    active: bool = True

    def name(self, lang: str) -> str:
        """The dimension's name in ``lang``."""
        return self.name_zh if lang == "zh" else self.name_en

    def hint(self, lang: str) -> str:
        """What a 5 means on this dimension, in ``lang``."""
        return self.hint_zh if lang == "zh" else self.hint_en


DEFAULT_DIMENSIONS = (
    Dimension("need", "需求明确度", "Need", "痛点清晰，需求已书面确认",
              "Clear pain point, needs confirmed in writing"),
    Dimension("budget", "预算", "Budget", "预算已批准，金额明确",
              "Budget approved, amount known"),
    Dimension("access", "决策链接触", "Decision access", "已接触决策人和关键影响者",
              "Met the decision maker and key influencers"),
    Dimension("timeline", "时间表", "Timeline", "采购时间表明确且在本季度内",
              "Purchase timeline set, within the quarter"),
    Dimension("competition", "竞争地位", "Competitive position", "相对竞品优势明显或无竞争",
              "Clearly ahead of competitors, or none"),
)  # fmt: skip


@dataclass(frozen=True)
class AssessmentSettings:
    """The dimensions and the review's marks: ``high_mark``/``low_mark`` on the 1–5 score,
    ``high_amount_minor`` the amount (minor units) from which a low score is flagged,
    ``assess_by`` the stage code after which an unassessed open deal is flagged."""

    dimensions: tuple[Dimension, ...] = DEFAULT_DIMENSIONS
    high_mark: float = 4.0
    low_mark: float = 3.0
    high_amount_minor: int = 100_000_000  # 100万 yuan
    assess_by: str = "needs_analysis"

    @property
    def active(self) -> tuple[Dimension, ...]:
        """The dimensions deals are scored on now."""
        return tuple(d for d in self.dimensions if d.active)

    def dimension(self, code: str) -> Dimension | None:
        """The dimension ``code`` (retired ones too: old assessments name them)."""
        return next((d for d in self.dimensions if d.code == code), None)


def weighted_score(scores: Mapping[str, int], weights: Mapping[str, int]) -> float:
    """The weighted mean of ``scores`` (dimension → 1–5) under ``weights`` (dimension →
    percent), rounded to two places: 5·40 % + 3·60 % = 3.8."""
    total = sum(weights[d] for d in scores)
    if not total:
        raise AssessmentError("weights", "no weight on the scored dimensions")
    return round(sum(scores[d] * weights[d] for d in scores) / total, 2)


def quality_band(score: float | None, settings: AssessmentSettings) -> str:
    """``high``, ``medium``, ``low`` for a score against the marks; ``none`` unassessed."""
    if score is None or pd.isna(score):
        return "none"
    if score >= settings.high_mark:
        return "high"
    return "low" if score < settings.low_mark else "medium"


def validate_settings(settings: AssessmentSettings, stage_codes: set[str]) -> None:
    """Refuse settings a score could not be computed under: codes must be unique and short,
    names given, weights 0–100 adding up to 100 over the active dimensions, marks within 1–5
    with low ≤ high, a non-negative amount and a known stage."""
    codes = [d.code for d in settings.dimensions]
    if len(set(codes)) != len(codes):
        raise AssessmentError("code", "dimension codes repeat")
    for d in settings.dimensions:
        if not d.code or len(d.code) > 32 or not d.code.replace("_", "").isalnum():
            raise AssessmentError("code", f"bad dimension code {d.code!r}", code=d.code)
        if not d.name_zh.strip() or not d.name_en.strip():
            raise AssessmentError("name", f"dimension {d.code} needs both names", code=d.code)
        if not 0 <= d.weight <= 100:
            raise AssessmentError("weight", f"weight of {d.code} is 0–100", code=d.code)
    if not settings.active:
        raise AssessmentError("active", "at least one dimension must be active")
    total = sum(d.weight for d in settings.active)
    if total != 100:
        raise AssessmentError("weights", f"active weights add up to {total}, not 100", total=total)
    if not SCORE_MIN <= settings.low_mark <= settings.high_mark <= SCORE_MAX:
        raise AssessmentError("marks", "marks must satisfy 1 ≤ low ≤ high ≤ 5")
    if settings.high_amount_minor < 0:
        raise AssessmentError("high_amount", "the high amount cannot be negative")
    if settings.assess_by not in stage_codes:
        raise AssessmentError("assess_by", f"unknown stage {settings.assess_by!r}")


def _from_json(text: str) -> AssessmentSettings:
    data = json.loads(text)
    dims = tuple(Dimension(**d) for d in data.pop("dimensions", [])) or DEFAULT_DIMENSIONS
    return AssessmentSettings(dimensions=dims, **data)


def load_settings(session: Session) -> AssessmentSettings:
    """The stored settings (the defaults when none are stored)."""
    row = session.get(AppSetting, SETTING_KEY)
    return AssessmentSettings() if row is None or not row.value else _from_json(row.value)


def save_settings(session: Session, actor: Viewer, settings: AssessmentSettings) -> None:
    """Store ``settings`` (admins only), audited with the old and new JSON. A dimension is
    retired (``active`` off), not deleted, so old assessments keep their names."""
    require(actor.is_admin, "admin_only", "only an admin changes the assessment dimensions")
    stages = set(session.execute(select(STAGE.c.code)).scalars())
    validate_settings(settings, stages)
    row = session.get(AppSetting, SETTING_KEY) or AppSetting(key=SETTING_KEY, value="")
    before = row.value
    body = asdict(settings)
    body["dimensions"] = [asdict(d) for d in settings.dimensions]
    row.value = json.dumps(body, ensure_ascii=False, sort_keys=True)
    session.add(row)
    audit.record(
        session, actor, action="update", entity="setting", entity_id=SETTING_KEY,
        summary="opportunity assessment dimensions", old={"value": before},
        new={"value": row.value},
    )  # fmt: skip


def _band_case(settings: AssessmentSettings):
    score = ASSESSMENT.c.score
    return case(
        (score.is_(None), "none"),
        (score >= settings.high_mark, "high"),
        (score < settings.low_mark, "low"),
        else_="medium",
    ).label("band")


def _latest_join(query):
    """``query`` over opportunities, outer-joined to each deal's latest assessment."""
    return query.outerjoin(
        ASSESSMENT, and_(ASSESSMENT.c.opportunity_id == OPP.c.id, ASSESSMENT.c.latest)
    )


def pipeline_quality(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter = NO_FILTER,
    settings: AssessmentSettings | None = None,
) -> pd.DataFrame:
    """The open deals ``viewer`` may read (within ``filters``) by current stage and quality
    band of their latest assessment: ``position, stage, name_zh, name_en, band, count,
    amount_minor`` (bands in ``BANDS`` order; only combinations that occur)."""
    settings = settings or load_settings(session)
    band = _band_case(settings)
    query = select(
        STAGE.c.position, STAGE.c.code.label("stage"), STAGE.c.name_zh, STAGE.c.name_en, band,
        func.count().label("count"), money_sum(OPP.c.amount_minor).label("amount_minor"),
    ).select_from(_latest_join(OPP.join(STAGE, STAGE.c.id == OPP.c.current_stage_id)))  # fmt: skip
    query = scoped_filter(viewer, filters).apply(query.where(still_open()))
    query = query.group_by(STAGE.c.position, STAGE.c.code, STAGE.c.name_zh, STAGE.c.name_en, band)
    frame = frame_of(session, query)
    if frame.empty:
        return frame.reindex(columns=["position", "stage", "name_zh", "name_en", "band", "count",
                                      "amount_minor"])  # fmt: skip
    frame["order"] = frame["band"].map(BANDS.index)
    return frame.sort_values(["position", "order"]).drop(columns="order").reset_index(drop=True)


def _flag_where(query, flag: str, settings: AssessmentSettings):
    """``query`` (over open deals joined to their latest assessment and current stage)
    narrowed to the deals ``flag`` holds."""
    if flag not in FLAGS:
        raise ValueError(f"unknown flag {flag!r}")
    if flag == "low_score_high_amount":
        return query.where(
            OPP.c.amount_minor >= settings.high_amount_minor,
            ASSESSMENT.c.score < settings.low_mark,
        )
    after = select(STAGE.c.position).where(STAGE.c.code == settings.assess_by)
    return query.where(ASSESSMENT.c.id.is_(None), STAGE.c.position > after.scalar_subquery())


def flagged_deals(
    session: Session,
    viewer: Viewer,
    flag: str,
    filters: OpportunityFilter = NO_FILTER,
    settings: AssessmentSettings | None = None,
    limit: int = FLAG_LIMIT,
) -> pd.DataFrame:
    """The open deals the review flags, biggest first (``DEAL_COLUMNS`` + ``score``,
    ``assessed_at``): ``low_score_high_amount`` — amount ≥ the high amount and latest score
    below the low mark; ``unassessed`` — past the assess-by stage and never assessed."""
    settings = settings or load_settings(session)
    query = with_deal_columns(
        _latest_join(select().select_from(OPP)), ASSESSMENT.c.score, ASSESSMENT.c.assessed_at
    ).where(still_open())
    query = scoped_filter(viewer, filters).apply(_flag_where(query, flag, settings))
    query = query.order_by(OPP.c.amount_minor.desc(), OPP.c.code).limit(limit)
    return frame_of(session, query).reindex(columns=[*DEAL_COLUMNS, "score", "assessed_at"])


def flag_counts(
    session: Session,
    viewer: Viewer,
    filters: OpportunityFilter = NO_FILTER,
    settings: AssessmentSettings | None = None,
) -> dict[str, int]:
    """How many open deals each flag holds (all of them, not only the listed ones)."""
    settings = settings or load_settings(session)
    counts = {}
    for flag in FLAGS:
        base = _latest_join(OPP.join(STAGE, STAGE.c.id == OPP.c.current_stage_id))
        query = select(func.count()).select_from(base).where(still_open())
        query = scoped_filter(viewer, filters).apply(_flag_where(query, flag, settings))
        counts[flag] = int(session.execute(query).scalar_one())
    return counts


@dataclass(frozen=True)
class AssessmentRow:
    """One assessment of a deal with its dimension scores (dimension → (score, note))."""

    id: int
    assessed_at: object
    stage_zh: str
    stage_en: str
    score: float
    note: str
    assessed_by: str
    scores: dict[str, tuple[int, str]]


def deal_assessments(session: Session, viewer: Viewer, opportunity_id: int) -> list[AssessmentRow]:
    """The deal's assessments, newest first (empty for a deal the viewer may not read)."""
    deal = session.get(Opportunity, opportunity_id)
    if deal is None or not can_read_owned_by(viewer, deal.owner_id, deal.team_id):
        return []
    heads = session.execute(
        select(
            ASSESSMENT.c.id, ASSESSMENT.c.assessed_at, STAGE.c.name_zh, STAGE.c.name_en,
            ASSESSMENT.c.score, ASSESSMENT.c.note, func.coalesce(USER.c.display_name, ""),
        )
        .join(STAGE, STAGE.c.id == ASSESSMENT.c.stage_id)
        .outerjoin(USER, USER.c.id == ASSESSMENT.c.assessed_by)
        .where(ASSESSMENT.c.opportunity_id == opportunity_id)
        .order_by(ASSESSMENT.c.id.desc())
    ).all()  # fmt: skip
    if not heads:
        return []
    scores: dict[int, dict[str, tuple[int, str]]] = {h[0]: {} for h in heads}
    for aid, dim, score, note in session.execute(
        select(ASSESSMENT_SCORE.c.assessment_id, ASSESSMENT_SCORE.c.dimension,
               ASSESSMENT_SCORE.c.score, ASSESSMENT_SCORE.c.note)
        .where(ASSESSMENT_SCORE.c.assessment_id.in_(list(scores)))
    ):  # fmt: skip
        scores[aid][dim] = (int(score), note)
    return [AssessmentRow(*h[:4], float(h[4]), h[5], h[6], scores[h[0]]) for h in heads]
