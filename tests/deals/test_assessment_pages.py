"""Opportunity assessment on screen (AppTest over the demo store): the deal page's tab shows
the latest score and saves a new assessment in both languages; the weekly review's deal
quality tab shows the bands and the flagged deals the functions compute, per role."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlmodel import Session

from salesboard.i18n import t
from salesboard.pipeline.assessment import flag_counts, flagged_deals, pipeline_quality
from salesboard.store.db import create_store_engine
from salesboard.store.models import OpportunityStatus, Role, User
from salesboard.store.tables import ASSESSMENT, OPP
from tests.apptest_support import first_user, open_app
from tests.test_pipeline_page import codes_in, open_section, query

DETAIL = "pages/opportunity_detail.py"


def _assessed_deal(url: str) -> tuple[str, str, int]:
    """(owner, code, assessments) of an open deal with an assessment, owned by a rep."""
    engine = create_store_engine(url)
    try:
        with Session(engine) as s:
            owner, code, deal_id = s.execute(
                select(User.username, OPP.c.code, OPP.c.id)
                .join(ASSESSMENT, ASSESSMENT.c.opportunity_id == OPP.c.id)
                .join(User, User.id == OPP.c.owner_id)
                .where(User.role == Role.REP, OPP.c.status == OpportunityStatus.OPEN,
                       ASSESSMENT.c.latest)
                .order_by(OPP.c.id)
            ).first()  # fmt: skip
            return owner, code, _count(s, deal_id)
    finally:
        engine.dispose()


def frame_with(at, column: str):
    """The first table on the page with ``column`` (AppTest keeps no key on a plain table)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _count(s, deal_id) -> int:
    return len(
        s.execute(select(ASSESSMENT.c.id).where(ASSESSMENT.c.opportunity_id == deal_id)).all()
    )


def _latest_score(url: str, code: str) -> tuple[float, int]:
    engine = create_store_engine(url)
    try:
        with Session(engine) as s:
            deal_id = s.execute(select(OPP.c.id).where(OPP.c.code == code)).scalar_one()
            score = s.execute(select(ASSESSMENT.c.score).where(
                ASSESSMENT.c.opportunity_id == deal_id, ASSESSMENT.c.latest)).scalar_one()  # fmt: skip
            return score, _count(s, deal_id)
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_rep_assesses_a_deal_on_its_page(private_demo_env, lang):
    rep, code, before = _assessed_deal(private_demo_env)
    at = open_app(DETAIL, lang=lang, user=rep, timeout=60)
    at.text_input(key="deal_code").input(code).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = " ".join(m.value for m in at.markdown)
    assert t("assess.latest", lang).split("{")[0] in shown  # the latest score's badge
    scores = {"need": 5, "budget": 4, "access": 3, "timeline": 4, "competition": 4}  # 4.0
    for dim, value in scores.items():
        at.slider(key=f"assess_score_{dim}").set_value(value)
    at.text_input(key="assess_note_budget").input("预算已批")
    at.button(key="FormSubmitter:deal_assess_form-" + t("assess.save", lang)).click().run()
    assert not at.error, [e.value for e in at.error]
    assert _latest_score(private_demo_env, code) == (4.0, before + 1)
    assert any(t("assess.saved", lang, score="4.0") in s.value for s in at.success)
    history = frame_with(at, t("assess.when", lang))
    assert history[t("assess.score", lang)].tolist()[0] == 4.0 and len(history) == before + 1


def test_a_leader_reads_the_assessment_without_the_form(demo_app_env):
    _, code, _ = _assessed_deal(demo_app_env)
    at = open_app(DETAIL, lang="en", user=first_user(Role.LEADER), timeout=60)
    at.text_input(key="deal_code").input(code).run()
    assert not at.exception
    assert frame_with(at, t("assess.dim_score", "en")).shape[0] == 5
    assert not [s for s in at.slider if s.key and s.key.startswith("assess_score_")]


@pytest.mark.parametrize("lang, role", [("zh", Role.ADMIN), ("en", Role.MANAGER)])
def test_the_review_shows_deal_quality_and_the_flagged_deals(demo_app_env, lang, role):
    user = "admin" if role == Role.ADMIN else first_user(role)
    at = open_section("quality", lang, user=user)
    quality = query(demo_app_env, pipeline_quality, user)
    totals = frame_with(at, t("pipeline.quality_count", lang))
    assert totals[t("pipeline.quality_count", lang)].sum() == quality["count"].sum()
    counts = query(demo_app_env, flag_counts, user)
    assert counts["unassessed"] > 0, "the demo should have deals past needs never assessed"
    shown = " ".join(m.value for m in at.markdown)
    listed = [query(demo_app_env, flagged_deals, user, f)["code"].tolist() for f in counts]
    tables = [d.value for d in at.dataframe if "link" in d.value.columns]  # one per listed flag
    assert [codes_in(table) for table in tables] == [codes for codes in listed if codes]
    for count in counts.values():
        assert f"（{count} 个）" in shown if lang == "zh" else f"({count})" in shown


def test_an_admin_sets_the_marks_and_a_rule_breach_is_named(private_demo_env):
    from salesboard.pipeline.assessment import load_settings

    at = open_app("pages/stage_settings.py", lang="en", user="admin", timeout=60)
    at.number_input(key="assess_low_mark").set_value(4.5)
    at.button(key="FormSubmitter:assess_settings_form-" + t("assess.save_settings", "en")).click()
    at.run()
    assert [e.value for e in at.error] == [t("assess.problem.marks", "en")]
    at.number_input(key="assess_low_mark").set_value(2.5)
    at.number_input(key="assess_high_amount").set_value(500_000)
    at.button(key="FormSubmitter:assess_settings_form-" + t("assess.save_settings", "en")).click()
    at.run()
    assert not at.error, [e.value for e in at.error]
    engine = create_store_engine(private_demo_env)
    try:
        with Session(engine) as s:
            settings = load_settings(s)
    finally:
        engine.dispose()
    assert (settings.low_mark, settings.high_amount_minor) == (2.5, 50_000_000)
    assert len(settings.active) == 5 and sum(d.weight for d in settings.active) == 100
