"""``python -m salesboard bench`` (issue 19): the command times pages and writes its CSV,
and the naive pattern it compares against computes the same figures as the app. No timing
is asserted: speed targets live in the benchmark's output, not in tests."""

from __future__ import annotations

import csv
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import Session

from salesboard.bench import naive
from salesboard.bench.runner import Row, business_period
from salesboard.figures.sales import won_between
from salesboard.pipeline.funnel import cohort_funnel
from salesboard.store.db import create_store_engine
from salesboard.store.models import OpportunityStatus
from salesboard.store.tables import OPP, STAGE
from tests.conftest import DEMO_TODAY, copy_sqlite

ROOT = Path(__file__).resolve().parent.parent
TODAY = date.fromisoformat(DEMO_TODAY)


@pytest.fixture
def demo_engine(demo_store):
    engine = create_store_engine(demo_store)
    yield engine
    engine.dispose()


@pytest.mark.slow
def test_bench_command_writes_a_row_per_timed_page(demo_store, tmp_path):
    # A private copy: the bench signs users in, which writes sessions to the store.
    path = tmp_path / "bench.db"
    copy_sqlite(demo_store.removeprefix("sqlite:///"), path)
    out = tmp_path / "results"
    done = subprocess.run(
        [sys.executable, "-m", "salesboard", "bench", "--size", "small", "--db",
         f"sqlite:///{path}", "--runs", "1", "--pages", "2", "--out", str(out),
         "--today", DEMO_TODAY],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    (result,) = out.glob("bench-bench-*.csv")
    with result.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert set(reader.fieldnames) >= {"page", "role", "cold_s", "warm_s", "naive_s", "ratio",
                                      "rss_mb"}  # fmt: skip
    assert reader.fieldnames == list(Row.__dataclass_fields__)
    # The first two pages of the registry (My work, New deal) for the roles that open them.
    assert {(r["page"], r["role"]) for r in rows} == {
        ("my_work", "manager"), ("my_work", "rep"), ("deal_new", "manager"), ("deal_new", "rep")
    }  # fmt: skip
    for row in rows:
        assert row["note"] == ""
        assert float(row["cold_s"]) > 0 and float(row["warm_s"]) > 0
        assert float(row["rss_mb"]) > 0
    for row in (r for r in rows if r["page"] == "my_work"):
        assert row["naive"] == "overdue"
        assert float(row["naive_s"]) > 0 and float(row["ratio"]) > 0
    for row in (r for r in rows if r["page"] == "deal_new"):
        assert row["naive"] == row["naive_s"] == row["ratio"] == ""  # no naive counterpart
    assert "my_work" in done.stdout and "—" in done.stdout


def test_naive_funnel_counts_what_the_app_counts(demo_engine):
    period = business_period(TODAY)
    expected = cohort_funnel(Session(demo_engine), period)
    got = naive.funnel(demo_engine, period, TODAY)
    assert list(got["stage"]) == list(expected["stage"])
    assert list(got["reached"]) == [int(n) for n in expected["reached"]]
    assert list(got["amount_minor"]) == [int(a) for a in expected["amount_minor"]]
    assert got["reached"].iloc[0] > 0  # the demo's quarter has deals


def test_naive_won_and_open_pipeline_agree_with_sql(demo_engine):
    period = business_period(TODAY)
    with Session(demo_engine) as session:
        won = session.execute(
            select(func.count(), func.sum(OPP.c.amount_minor)).where(
                won_between(period.start, period.end)
            )
        ).one()
        open_by_stage = dict(
            session.execute(
                select(STAGE.c.code, func.count())
                .join(STAGE, STAGE.c.id == OPP.c.current_stage_id)
                .where(OPP.c.status == OpportunityStatus.OPEN)
                .group_by(STAGE.c.code)
            ).all()
        )
    by_owner = naive.won_by_owner(demo_engine, period, TODAY)
    assert (by_owner["deals"].sum(), by_owner.attrs["total_minor"]) == (won[0], won[1])
    pipeline = naive.open_pipeline(demo_engine, period, TODAY)
    assert dict(zip(pipeline["stage"], pipeline["deals"], strict=True)) == open_by_stage


@pytest.mark.parametrize("name", sorted(naive.FIGURES))
def test_every_naive_figure_computes_on_the_demo(demo_engine, name):
    frame = naive.FIGURES[name](demo_engine, business_period(TODAY), TODAY)
    assert len(frame) > 0


def test_a_store_is_measured_as_of_the_day_its_demo_was_made(engine):
    """Its data ends on that day: an earlier day would count the later rows out (and
    measure what nobody reads). A store that is not the demo: the demo's default day."""
    from salesboard.accounts.demo_accounts import DEMO_SETTING
    from salesboard.cli.bench import DEMO_TODAY as DEFAULT_DAY
    from salesboard.cli.bench import store_day
    from salesboard.store.db import write_session
    from salesboard.store.models import AppSetting

    url = engine.url.render_as_string(hide_password=False)
    assert store_day(url) == DEFAULT_DAY
    with write_session(engine) as s:
        s.add(AppSetting(key=DEMO_SETTING, value='{"today": "2026-12-07"}'))
    assert store_day(url) == date(2026, 12, 7)
