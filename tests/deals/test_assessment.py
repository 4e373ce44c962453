"""Opportunity assessment (机会评估五维度) on both backends, on the pipeline company (as of
2026-03-05): the weighted score worked by hand, bands, the settings' rules, the write (history,
latest, refusals naming the dimension, scope, version), and the review's pipeline by quality
and flags. Open deals there: D1, D5 in 线索获取 (A), D6 (B) and D7 (A) in 需求分析, D2 (A,
20万) in 商务谈判 — the only open deal past 需求分析."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from salesboard.deals.assessment import assess_deal
from salesboard.deals.errors import DealError
from salesboard.deals.moves import lose_deal
from salesboard.pipeline.assessment import (
    DEFAULT_DIMENSIONS,
    AssessmentError,
    AssessmentSettings,
    Dimension,
    deal_assessments,
    flag_counts,
    flagged_deals,
    load_settings,
    pipeline_quality,
    quality_band,
    save_settings,
    validate_settings,
    weighted_score,
)
from salesboard.store.db import read_session, write_session
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import AuditLog
from salesboard.store.tables import ASSESSMENT, ASSESSMENT_SCORE, EVENT, OPP
from tests.builders import WAN
from tests.companies.pipeline import AS_OF, build

STAGES = {"lead", "needs_analysis", "proposal", "negotiation", "contract", "delivery", "lost"}
LOW = {"need": 2, "budget": 2, "access": 3, "timeline": 2, "competition": 2}  # mean 2.2
HIGH = {"need": 5, "budget": 4, "access": 4, "timeline": 5, "competition": 4}  # mean 4.4


# --- the rule, by hand ------------------------------------------------------------------------


def test_the_weighted_score_is_the_weighted_mean_of_the_dimension_scores():
    assert weighted_score({"a": 5, "b": 3}, {"a": 40, "b": 60}) == 3.8  # 2.0 + 1.8
    assert weighted_score(LOW, dict.fromkeys(LOW, 20)) == 2.2  # (2+2+3+2+2) / 5
    # Unequal weights move it: need counts 40 %, the others 15 % each → 2·0.4 + 9·0.15 = 2.15
    weights = {"need": 40, "budget": 15, "access": 15, "timeline": 15, "competition": 15}
    assert weighted_score(LOW, weights) == 2.15


def test_bands_split_at_the_marks():
    settings = AssessmentSettings()  # high ≥ 4.0, low < 3.0
    assert [quality_band(s, settings) for s in (4.0, 3.99, 3.0, 2.99, None)] == [
        "high", "medium", "medium", "low", "none",
    ]  # fmt: skip
    stricter = replace(settings, high_mark=4.5, low_mark=3.5)
    assert [quality_band(s, stricter) for s in (4.4, 3.4)] == ["medium", "low"]


@pytest.mark.parametrize(
    "change, field",
    [
        ({"dimensions": DEFAULT_DIMENSIONS[:4]}, "weights"),  # 80 % left
        (
            {"dimensions": (*DEFAULT_DIMENSIONS, Dimension("need", "重复", "Again", weight=0))},
            "code",
        ),
        ({"dimensions": (Dimension("x y", "甲", "A", weight=100),)}, "code"),
        ({"dimensions": (Dimension("a", "", "A", weight=100),)}, "name"),
        ({"dimensions": (Dimension("a", "甲", "A", weight=100, active=False),)}, "active"),
        ({"low_mark": 4.5}, "marks"),
        ({"high_amount_minor": -1}, "high_amount"),
        ({"assess_by": "nowhere"}, "assess_by"),
    ],
)
def test_settings_a_score_could_not_be_computed_under_are_refused(change, field):
    with pytest.raises(AssessmentError) as refused:
        validate_settings(replace(AssessmentSettings(), **change), STAGES)
    assert refused.value.field == field


def test_a_retired_dimension_keeps_its_name_and_leaves_the_weights_to_the_others():
    dims = list(DEFAULT_DIMENSIONS)
    dims[4] = replace(dims[4], active=False)
    dims[0] = replace(dims[0], weight=40)
    settings = replace(AssessmentSettings(), dimensions=tuple(dims))
    validate_settings(settings, STAGES)  # 40 + 20 + 20 + 20 = 100 over the active ones
    assert [d.code for d in settings.active] == ["need", "budget", "access", "timeline"]
    assert settings.dimension("competition").name_zh == "竞争地位"


# --- writes -----------------------------------------------------------------------------------


@pytest.fixture
def store(engine):
    return build(engine)


def _assess(store, who, label, scores, **kw):
    with write_session(store.engine) as s:
        return assess_deal(s, store.viewers[who], store.codes[label], scores, today=AS_OF, **kw)


def _count(store, table) -> int:
    with read_session(store.engine) as s:
        return s.execute(select(func.count()).select_from(table)).scalar_one()


def test_an_assessment_is_kept_with_its_scores_and_the_newest_is_the_latest(store):
    assert _assess(store, "ra", "D2", LOW, notes={"budget": "预算待审批"}, note="竞品压价") == 2.2
    assert _assess(store, "ma", "D2", HIGH) == 4.4
    with read_session(store.engine) as s:
        rows = deal_assessments(s, store.viewers["ra"], store.deals["D2"])
        latest = s.execute(select(ASSESSMENT.c.score).where(ASSESSMENT.c.latest)).scalars().all()
        version = s.execute(select(OPP.c.version).where(OPP.c.id == store.deals["D2"])).scalar()
        events = s.execute(
            select(EVENT.c.kind, EVENT.c.new_value, EVENT.c.note)
            .where(EVENT.c.opportunity_id == store.deals["D2"], EVENT.c.kind == "assessed")
            .order_by(EVENT.c.id)
        ).all()  # fmt: skip
        audits = s.execute(select(func.count()).select_from(AuditLog)
                           .where(AuditLog.summary.like("%assessed%"))).scalar()  # fmt: skip
    assert [r.score for r in rows] == [4.4, 2.2]  # newest first: the history
    assert rows[1].scores["budget"] == (2, "预算待审批") and rows[1].note == "竞品压价"
    assert (rows[0].assessed_by, rows[1].assessed_by) == ("经理A", "销售A")
    assert rows[0].stage_zh == "商务谈判"
    assert latest == [4.4]  # one latest row per deal
    assert version == 3  # built at 1, bumped by each assessment
    assert [tuple(e) for e in events] == [("assessed", "2.2", "竞品压价"), ("assessed", "4.4", "")]
    assert audits == 2


@pytest.mark.parametrize(
    "scores, code, named",
    [
        ({k: v for k, v in LOW.items() if k != "timeline"}, "score_missing", "Timeline"),
        ({**LOW, "budget": 6}, "score_range", "Budget"),
        ({**LOW, "budget": 2.5}, "score_range", "Budget"),
        ({**LOW, "access": "高"}, "score_range", "Decision access"),
        ({**LOW, "mood": 3}, "unknown_dimension", "mood"),
    ],
)
def test_a_bad_score_is_refused_naming_the_dimension_and_nothing_is_written(store, scores, code,
                                                                             named):  # fmt: skip
    with pytest.raises(DealError) as refused:
        _assess(store, "ra", "D2", scores)
    assert (refused.value.code, refused.value.field) == (code, "scores")
    assert refused.value.params_for("en")["dimension"] == named
    assert _count(store, ASSESSMENT) == 0 and _count(store, ASSESSMENT_SCORE) == 0


def test_scope_version_and_status_apply_as_for_every_deal_write(store):
    with pytest.raises(DealError) as other_team:
        _assess(store, "rb", "D2", LOW)  # team B's rep: D2 reads as missing
    with pytest.raises(DealError) as missing:
        with write_session(store.engine) as s:
            assess_deal(s, store.viewers["rb"], "XS209901999", LOW, today=AS_OF)
    assert other_team.value.code == missing.value.code == "not_found"
    assert str(other_team.value.params_for("zh")["code"]) == store.codes["D2"]
    with pytest.raises(DealError) as leader:
        _assess(store, "leader", "D2", LOW)
    assert leader.value.code == "read_only"
    with pytest.raises(DealError) as stale:
        _assess(store, "ra", "D2", LOW, seen_version=0)
    assert stale.value.code == "conflict"
    with pytest.raises(DealError) as closed:
        _assess(store, "rb", "D3", LOW)  # lost
    assert closed.value.code == "not_open"
    assert _count(store, ASSESSMENT) == 0


def test_weights_changed_later_leave_old_scores_alone(store):
    _assess(store, "ra", "D2", LOW)  # 2.2 under equal weights
    dims = list(DEFAULT_DIMENSIONS)
    dims[0], dims[1] = replace(dims[0], weight=40), replace(dims[1], weight=0)
    with write_session(store.engine) as s:
        save_settings(s, store.viewers["admin"],
                      replace(AssessmentSettings(), dimensions=tuple(dims)))  # fmt: skip
    assert _assess(store, "ra", "D2", LOW) == 2.2  # 2·.4 + 0 + 3·.2 + 2·.2 + 2·.2 = 2.2
    assert _assess(store, "ra", "D2", {**LOW, "need": 5}) == 3.4  # need now weighs 40 %
    with read_session(store.engine) as s:
        rows = deal_assessments(s, store.viewers["ra"], store.deals["D2"])
    assert [r.score for r in rows] == [3.4, 2.2, 2.2]


def test_only_an_admin_changes_the_settings_and_a_bad_set_writes_nothing(store):
    from salesboard.accounts.access import PermissionDenied

    with pytest.raises(PermissionDenied), write_session(store.engine) as s:
        save_settings(s, store.viewers["ma"], AssessmentSettings())
    with pytest.raises(AssessmentError), write_session(store.engine) as s:
        save_settings(s, store.viewers["admin"],
                      replace(AssessmentSettings(), dimensions=DEFAULT_DIMENSIONS[:3]))  # fmt: skip
    with read_session(store.engine) as s:
        assert load_settings(s) == AssessmentSettings()


# --- the weekly review's reads ----------------------------------------------------------------


def _quality(store, who, filters=None):
    with read_session(store.engine) as s:
        frame = pipeline_quality(s, store.viewers[who], filters or OpportunityFilter())
    return {(r.stage, r.band): (r.count, r.amount_minor) for r in frame.itertuples()}


def test_the_pipeline_by_quality_counts_open_deals_by_their_latest_band(store):
    assert _quality(store, "admin") == {
        ("lead", "none"): (2, 150_000 * 100),  # D1 + D5
        ("needs_analysis", "none"): (2, 130_000 * 100),  # D6 + D7
        ("negotiation", "none"): (1, 20 * WAN),  # D2
    }
    _assess(store, "ra", "D7", HIGH)
    _assess(store, "ra", "D2", HIGH)
    _assess(store, "ra", "D2", LOW)  # the latest counts: D2 is low now
    assert _quality(store, "admin") == {
        ("lead", "none"): (2, 150_000 * 100),
        ("needs_analysis", "high"): (1, 70_000 * 100),
        ("needs_analysis", "none"): (1, 60_000 * 100),
        ("negotiation", "low"): (1, 20 * WAN),
    }
    # Scope: team B's manager sees D6 only; a filter narrows as everywhere.
    assert _quality(store, "mb") == {("needs_analysis", "none"): (1, 60_000 * 100)}
    team_a = OpportunityFilter(team_ids=(store.teams["A"],))
    assert sum(n for n, _ in _quality(store, "admin", team_a).values()) == 4


def test_the_review_flags_big_low_scored_deals_and_deals_past_needs_never_assessed(store):
    def flags(who):
        with read_session(store.engine) as s:
            counts = flag_counts(s, store.viewers[who])
            listed = {f: flagged_deals(s, store.viewers[who], f)["code"].tolist() for f in counts}
        return counts, listed

    d2 = store.codes["D2"]
    assert flags("admin") == ({"low_score_high_amount": 0, "unassessed": 1},
                              {"low_score_high_amount": [], "unassessed": [d2]})  # fmt: skip
    _assess(store, "ra", "D2", LOW)  # 2.2 but 20万 is under the default 100万 "high amount"
    assert flags("admin")[0] == {"low_score_high_amount": 0, "unassessed": 0}
    with write_session(store.engine) as s:
        save_settings(s, store.viewers["admin"],
                      replace(AssessmentSettings(), high_amount_minor=15 * WAN))  # fmt: skip
    assert flags("admin") == ({"low_score_high_amount": 1, "unassessed": 0},
                              {"low_score_high_amount": [d2], "unassessed": []})  # fmt: skip
    assert flags("mb")[0] == {"low_score_high_amount": 0, "unassessed": 0}  # not team B's
    _assess(store, "ra", "D2", HIGH)
    assert flags("admin")[0] == {"low_score_high_amount": 0, "unassessed": 0}
    with write_session(store.engine) as s:  # a lost deal leaves the lists
        lose_deal(s, store.viewers["ra"], d2, reason_code="price", text="", on=AS_OF, today=AS_OF)
    with read_session(store.engine) as s:
        assert pipeline_quality(s, store.viewers["admin"])["count"].sum() == 4
