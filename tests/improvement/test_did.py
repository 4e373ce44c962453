"""Did it work: the windows, the difference-in-differences and the verdict, worked by hand
(seed 002: lead → opportunity 15 % → 25 %, cycle 45 → 30 days), and the same arithmetic read
from a real store for the lead → opportunity metric (both backends)."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.accounts.access import SYSTEM
from salesboard.improvement.check import compare
from salesboard.improvement.did import (
    MIN_SAMPLE,
    Cell,
    Comparison,
    target_reached,
    verdict,
    windows,
)
from salesboard.improvement.targets import read_metric
from salesboard.store.db import write_session
from tests import builders as b


def test_windows_are_equally_long_and_end_at_today_or_the_due_date():
    # Started 1 Sept, due 30 Nov, today 23 Nov: after = 1 Sept–23 Nov (84 days).
    w = windows(date(2026, 9, 1), date(2026, 11, 30), date(2026, 11, 23))
    assert (w.after_start, w.after_end, w.days) == (date(2026, 9, 1), date(2026, 11, 23), 84)
    assert (w.before_start, w.before_end) == (date(2026, 6, 9), date(2026, 8, 31))
    assert (w.before_end - w.before_start).days + 1 == 84
    # Past its due date the after window stops at the due date.
    w = windows(date(2026, 9, 1), date(2026, 9, 30), date(2026, 11, 23))
    assert (w.after_end, w.days, w.before_start) == (date(2026, 9, 30), 30, date(2026, 8, 2))
    assert windows(date(2026, 12, 1), None, date(2026, 11, 23)) is None  # not started
    assert windows(None, None, date(2026, 11, 23)) is None


def seed_conversion(pilot_after: float = 0.25, rest_after: float = 0.17) -> Comparison:
    return Comparison(
        Cell(0.15, 200), Cell(pilot_after, 200), Cell(0.15, 600), Cell(rest_after, 600)
    )


def test_seed_lead_to_opportunity_did_is_eight_points():
    c = seed_conversion()
    assert c.pilot_change == pytest.approx(0.10)  # 15 % → 25 %
    assert c.rest_change == pytest.approx(0.02)  # 15 % → 17 %
    assert c.did == pytest.approx(0.08)  # +8 points more than the rest
    assert verdict(c, "%", lower_is_better=False) == "worked"
    assert target_reached(0.25, 0.25, lower_is_better=False)


def test_seed_cycle_45_to_30_days_is_better_when_lower():
    # Pilot 45 → 30 days, rest 45 → 44: DiD = −15 − (−1) = −14 days, good (fewer days).
    c = Comparison(Cell(45, 40), Cell(30, 40), Cell(45, 120), Cell(44, 120))
    assert c.did == pytest.approx(-14)
    assert verdict(c, "days", lower_is_better=True) == "worked"
    assert target_reached(30, 30, lower_is_better=True)
    assert not target_reached(31, 30, lower_is_better=True)
    # The same numbers on a higher-is-better metric would be a failure.
    assert verdict(c, "days", lower_is_better=False) == "worse"


def test_pilot_that_moved_with_the_rest_had_no_clear_effect():
    # Pilot 15 % → 25 %, but the rest also 15 % → 24 %: DiD +1 point < 2 points.
    c = seed_conversion(0.25, 0.24)
    assert c.did == pytest.approx(0.01)
    assert verdict(c, "%", False) == "no_effect"
    assert verdict(seed_conversion(0.14, 0.17), "%", False) == "worse"  # −3 − 2 = −5 points


def test_thin_samples_and_a_missing_rest_group_cannot_tell():
    thin = Comparison(Cell(0.15, MIN_SAMPLE - 1), Cell(0.25, 200), Cell(0.15, 600), Cell(0.17, 600))
    assert verdict(thin, "%", False) == "too_thin"
    no_rest = Comparison(Cell(0.15, 200), Cell(0.25, 200), Cell(None, 0), Cell(None, 0))
    assert no_rest.did is None
    assert verdict(no_rest, "%", False) == "no_rest"
    empty_cell = Comparison(Cell(None, 0), Cell(0.25, 200), Cell(0.15, 600), Cell(0.17, 600))
    assert verdict(empty_cell, "%", False) == "too_thin"


def _leads(s, owner, created, reached: int, total: int) -> None:
    """``total`` leads created on ``created``, ``reached`` of them went on to needs analysis."""
    for i in range(total):
        stays = [("lead", created, created)]
        if i < reached:
            stays = [
                ("lead", created, date(2026, 9, 20)),
                ("needs_analysis", date(2026, 9, 20), None),
            ]
        else:
            stays = [("lead", created, None)]
        b.opportunity(s, owner=owner, created_on=created, stays=stays)


def test_lead_to_opportunity_read_from_the_store(engine):
    """Pilot 3/20 → 5/20 (15 % → 25 %), rest 3/20 → 4/20 (15 % → 20 %): DiD +5 points."""
    with write_session(engine) as s:
        b.stages(s)
        pilot, rest = b.team(s, "试点组"), b.team(s, "对照组")
        p_rep, r_rep = b.user(s, "p1", team=pilot), b.user(s, "r1", team=rest)
        _leads(s, p_rep, date(2026, 8, 10), 3, 20)
        _leads(s, p_rep, date(2026, 9, 10), 5, 20)
        _leads(s, r_rep, date(2026, 8, 10), 3, 20)
        _leads(s, r_rep, date(2026, 9, 10), 4, 20)
        ids = (pilot.id, rest.id)
    w = windows(date(2026, 9, 1), date(2026, 9, 30), date(2026, 11, 23))
    with write_session(engine) as s:
        reading = read_metric(
            s, SYSTEM, "lead_to_opportunity", (ids[0],), date(2026, 9, 1), date(2026, 9, 30)
        )
        assert (reading.numerator, reading.denominator, reading.value) == (5, 20, 0.25)
        c = compare(s, SYSTEM, "lead_to_opportunity", (ids[0],), (ids[1],), w)
        assert (
            read_metric(
                s, SYSTEM, "lead_to_opportunity", (), w.after_start, w.after_end
            ).denominator
            == 0
        )
    assert (c.pilot_before.value, c.pilot_after.value) == (0.15, 0.25)
    assert (c.rest_before.value, c.rest_after.value) == (0.15, 0.20)
    assert c.did == pytest.approx(0.05)
    assert verdict(c, "%", False) == "worked"


def test_the_rest_read_as_the_company_minus_the_pilots_is_the_same(engine):
    """Every metric: the rest read directly (a filter on the other teams) equals the company
    minus the pilots (the fast path leaders take)."""
    from salesboard.improvement.targets import METRICS

    with write_session(engine) as s:
        b.stages(s)
        teams = [b.team(s, f"{n}组") for n in "一二三"]
        for n, team in enumerate(teams):
            rep = b.user(s, f"rep{n}", team=team)
            _leads(s, rep, date(2026, 9, 10), n + 1, 6)
            b.opportunity(s, owner=rep, created_on=date(2026, 8, 1), status="won",
                          stays=[("lead", date(2026, 8, 1), date(2026, 8, 20)),
                                 ("negotiation", date(2026, 8, 20), None)],
                          won_on=date(2026, 9, 15))  # fmt: skip
        ids = tuple(t.id for t in teams)
    w = windows(date(2026, 9, 1), date(2026, 9, 30), date(2026, 11, 23))
    with write_session(engine) as s:
        for code in METRICS:
            direct = compare(s, SYSTEM, code, ids[:1], ids[1:], w)
            fast = compare(s, SYSTEM, code, ids[:1], ids[1:], w, rest_is_everyone_else=True)
            assert direct == fast, code
            assert direct.rest_after.sample > 0 or code in (
                "key_actions_on_time",
                "effective_visits",
            )
