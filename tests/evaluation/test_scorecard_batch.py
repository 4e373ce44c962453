"""The scorecards of a page are computed for all subjects at once (grouped figures), and a
trend for all its periods at once; each must equal the single-subject, single-period
scorecard — every metric's actual, target and score and the totals — on a hand-built
company (SQLite and PostgreSQL) and for every rep and team of the demo company in a month
and a quarter, whichever way the subjects are read (narrowed to their deals or the whole
period)."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.accounts.access import SYSTEM, load_viewer
from salesboard.calendar.periods import parse_period, previous_period
from salesboard.calendar.workdays import load_calendar
from salesboard.evaluation import scorecard as sc
from salesboard.pipeline.ratings import record_rating
from salesboard.store.db import create_store_engine, read_session, write_session
from salesboard.store.models import Role
from tests import builders as b

AS_OF = date(2026, 11, 23)


def _figures(card: sc.ScoreCard) -> list:
    """Every number on the card, flat (metric names, None where not rated)."""
    out = [card.total, card.process, card.result]
    for x in card.lines:
        out += [x.metric, x.actual, x.target, x.score, x.contribution]
    return out


def _same(a: list, b: list) -> bool:
    return len(a) == len(b) and all(
        x == y or (isinstance(x, float) and isinstance(y, float) and x == pytest.approx(y))
        for x, y in zip(a, b, strict=True)
    )


def _assert_batch_equals_single(session, level: str, period: str) -> int:
    cards = sc.scorecards(session, SYSTEM, level, period, AS_OF, live=True)
    for card in cards:
        single = sc.compute_scorecard(session, level, card.subject_id, period, AS_OF)
        assert _same(_figures(card), _figures(single)), (level, card.subject_id)
    return len(cards)


def _assert_periods_at_once_equal_each(session, level: str, last: str) -> int:
    """Every subject's actuals over six periods read at once equal each period's alone,
    and the trend's totals each period's scorecard."""
    periods = [parse_period(last)]
    while len(periods) < 6:
        periods.insert(0, previous_period(periods[0]))
    calendar = load_calendar(session)
    ids = sc.subjects(session, SYSTEM, level)["id"].tolist()
    together = sc.metric_actuals(session, level, ids, periods, AS_OF, calendar)
    for i in ids:
        for p in periods:
            alone = sc.metric_actuals(session, level, [i], [p], AS_OF, calendar)[i, p.label]
            flat = [v for m in sc.METRIC_GROUPS for v in (m, *alone[m])]
            assert _same([v for m in sc.METRIC_GROUPS for v in (m, *together[i, p.label][m])],
                         flat), (level, i, p.label)  # fmt: skip
    trend = sc.score_trend(session, SYSTEM, level, ids[0], last, AS_OF)
    for row in trend.itertuples(index=False):
        card = sc.compute_scorecard(session, level, ids[0], row.period, AS_OF)
        assert _same([row.total, row.process, row.result],
                     [card.total, card.process, card.result]), row.period  # fmt: skip
    return sum(any(v[0] is not None for v in together[k].values()) for k in together)


@pytest.fixture(params=["narrow", "wide"])
def reading(request, monkeypatch):
    """Subjects read through their deals (a few) or over the whole period (many)."""
    if request.param == "wide":
        monkeypatch.setattr(sc, "NARROW_REPS", 1)
        monkeypatch.setattr(sc, "NARROW_TEAMS", 0)
    return request.param


@pytest.fixture
def company(engine):
    with write_session(engine) as s:
        east, west = b.team(s, "一组"), b.team(s, "二组")
        reps = [b.user(s, "ann", team=east), b.user(s, "bob", team=east),
                b.user(s, "cat", team=west)]  # fmt: skip
        admin = b.user(s, "root", Role.ADMIN)
        b.goal(s, "2026-10", 300 * b.WAN, user=reps[0], team=east)
        stages = b.stages(s)
        for n, rep in enumerate(reps):
            customer = b.customer(s, f"客户{n}")
            won = b.opportunity(s, owner=rep, customer=customer, status="won",
                                won_on="2026-10-15", amount_minor=(n + 1) * 100 * b.WAN,
                                stays=[("lead", "2026-09-01", "2026-10-03"),
                                       ("proposal", "2026-10-03", "2026-10-15")])  # fmt: skip
            b.key_action(s, won, stage="proposal", planned_on="2026-10-10",
                         done_on="2026-10-09" if n else "2026-10-12", owner=rep)  # fmt: skip
            b.key_action(s, won, stage="proposal", planned_on="2026-10-20", owner=rep)
            for k in range(n + 2):
                b.visit(s, customer=customer, rep=rep, visited_on=f"2026-10-{k + 5:02d}",
                        effective=k % 2 == 0)  # fmt: skip
            b.collection(s, won, due_on="2026-10-20", due_minor=50 * b.WAN,
                         collected_on="2026-10-18" if n != 1 else "2026-10-28",
                         collected_minor=50 * b.WAN)  # fmt: skip
            record_rating(s, load_viewer(s, admin.id), won.id,
                          stage_id=stages["proposal"], kind="communication", score=3 + n,
                          rated_on=date(2026, 10, 16))  # fmt: skip
    return engine


@pytest.mark.parametrize("level", sc.LEVELS)
def test_batch_equals_single_on_both_backends(company, reading, level):
    with read_session(company) as s:
        count = _assert_batch_equals_single(s, level, "2026-10")
        cards = sc.scorecards(s, SYSTEM, level, "2026-10", AS_OF, live=True)
    assert count == (3 if level == "rep" else 2)
    # Not vacuous: the figures differ between subjects and are there.
    revenue = [c.line("on_time_collection").actual for c in cards]
    assert None not in revenue and len(set(revenue)) > 1
    assert all(c.line("satisfaction").actual for c in cards)
    assert all(c.line("stage_time").actual for c in cards)
    with read_session(company) as s:
        # July to December: December is after the day of reading, no figures for it.
        assert _assert_periods_at_once_equal_each(s, level, "2026-12") == 5 * len(cards)


@pytest.mark.parametrize("period", ["2026-10", "2026-Q3"])
def test_batch_equals_single_for_the_demo_company(demo_store, reading, period):
    engine = create_store_engine(demo_store)
    try:
        with read_session(engine) as s:
            reps = _assert_batch_equals_single(s, "rep", period)
            teams = _assert_batch_equals_single(s, "team", period)
    finally:
        engine.dispose()
    assert reps > 5 and teams > 1
    engine = create_store_engine(demo_store)
    try:
        with read_session(engine) as s:
            for level in sc.LEVELS:
                assert _assert_periods_at_once_equal_each(s, level, period) > 2
    finally:
        engine.dispose()
