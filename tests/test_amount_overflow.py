"""Absurd deal amounts (issue 18, item 2): one rep's eleven deals of 9,999,999,999,999,999
yuan overflowed SQLite's integer SUM and took down the Overview, the pipeline review and the
report command for everyone who could see them. Imports refuse amounts above a plausible
per-deal ceiling, and every amount aggregate is overflow-safe on both backends for what is
already stored."""

from __future__ import annotations

import json

import pytest

from salesboard.calendar.periods import month
from salesboard.cli.main import main
from salesboard.overview.figures import monthly_won_vs_goal, overview_kpis, pipeline_by_stage
from salesboard.pipeline.report import build_report, export_bytes
from salesboard.store.db import write_session
from salesboard.store.filters import NO_FILTER
from salesboard.store.models import Opportunity, StageHistory
from salesboard.store.settings import get_settings
from tests.companies.importing import seed
from tests.companies.pipeline import AS_OF, build
from tests.importing.helpers import check, problems

ABSURD_MINOR = 9_999_999_999_999_999 * 100  # fits int64; eleven of them do not


def add_absurd_deals(store, count: int = 22) -> None:
    """``count`` deals of rep ra (team A) at ABSURD_MINOR: half won this month, half open
    (eleven of each: either sum passes the largest 64-bit integer)."""
    with write_session(store.engine) as s:
        template = s.get(Opportunity, store.deals["D4"])
        open_one = s.get(Opportunity, store.deals["D2"])
        for i in range(count):
            source = template if i % 2 else open_one
            deal = Opportunity(
                **{k: v for k, v in source.model_dump().items() if k not in ("id", "code")},
                code=f"XS2026039{i:02d}",
            )
            deal.amount_minor, deal.owner_id, deal.team_id = ABSURD_MINOR, *_ra(store, s)
            s.add(deal)
            s.flush()
            s.add(StageHistory(opportunity_id=deal.id, stage_id=deal.current_stage_id,
                               entered_on=deal.stage_entered_on))  # fmt: skip


def _ra(store, s) -> tuple[int, int]:
    viewer = store.viewers["ra"]
    return viewer.user_id, store.teams["A"]


@pytest.fixture
def absurd_store(engine):
    store = build(engine)
    add_absurd_deals(store)
    return store


@pytest.mark.parametrize("who", ["ra", "ma", "leader"])
def test_stored_absurd_amounts_break_neither_overview_nor_review(absurd_store, who):
    viewer = absurd_store.viewers[who]
    from salesboard.store.db import read_session

    with read_session(absurd_store.engine) as s:
        kpis = overview_kpis(s, viewer, month(2026, 3), AS_OF)
        trend = monthly_won_vs_goal(s, viewer, AS_OF)
        by_stage = pipeline_by_stage(s, viewer)
        report = build_report(s, viewer, month(2026, 3), NO_FILTER, AS_OF)
    # Saturated, never wrapped round to a negative or small number.
    assert kpis.open_pipeline_minor >= ABSURD_MINOR and kpis.won_amount_minor >= ABSURD_MINOR
    assert trend["won_minor"].max() >= ABSURD_MINOR
    assert by_stage["amount_minor"].min() >= 0 and by_stage["amount_minor"].max() >= ABSURD_MINOR
    assert report.funnel["amount_minor"].min() >= 0
    for fmt in ("json", "xlsx", "html"):
        assert export_bytes(report, fmt, "zh")


@pytest.mark.parametrize("who", ["ra", "ma", "leader"])
def test_the_report_command_works_for_everyone_over_absurd_amounts(absurd_store, who, capsys,
                                                                   tmp_path):  # fmt: skip
    url = absurd_store.engine.url.render_as_string(hide_password=False)
    out = tmp_path / "r.json"
    argv = ["--database-url", url, "--as-user", who, "report", "pipeline", "--as-of",
            AS_OF.isoformat(), "--period", "2026-03", "--format", "json", "--output", str(out)]  # fmt: skip
    assert main(argv) == 0, capsys.readouterr().err
    assert json.loads(out.read_text())


def test_an_implausible_deal_amount_is_refused_with_a_row_message(engine, monkeypatch):
    from tests.importing.test_validate import OPP_HEADER, R, opp_row

    seed(engine)
    rows = [OPP_HEADER, opp_row(金额="9999999999999999")]
    found = problems(check(engine, "opportunities", rows))
    assert (R, "金额", "amount_above_limit") in found
    # 150 亿 is refused under the default ceiling of 100 亿 and accepted under a higher one.
    rows = [OPP_HEADER, opp_row(金额="150亿")]
    assert (R, "金额", "amount_above_limit") in problems(check(engine, "opportunities", rows))
    monkeypatch.setenv("SALESBOARD_MAX_DEAL_AMOUNT", "20000000000")
    get_settings.cache_clear()
    try:
        assert not problems(check(engine, "opportunities", rows))
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


def test_the_ceiling_message_names_the_limit_in_both_languages():
    from salesboard.importing.report import problem_text

    params = {"limit_minor": 10**12}
    zh = problem_text("amount_above_limit", "9999999999999999", params, "zh")
    en = problem_text("amount_above_limit", "9999999999999999", params, "en")
    assert "100.00亿元" in zh and "SALESBOARD_MAX_DEAL_AMOUNT" in zh and "9999999999999999" in zh
    assert "¥10.00B" in en and "per-deal" in en
