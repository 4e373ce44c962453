"""Deal ratings (SQLite and PostgreSQL): managers of the deal's team and admins rate, 1–5,
one per deal, stage and kind (re-rating replaces, audited); the stage KPI and the
scorecard's satisfaction read them."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.accounts.access import PermissionDenied, load_viewer
from salesboard.calendar.periods import parse_period
from salesboard.evaluation.scorecard import compute_scorecard
from salesboard.pipeline import kpis
from salesboard.pipeline.ratings import RatingError, deal_ratings, rating_means, record_rating
from salesboard.store.db import read_session, write_session
from salesboard.store.filters import NO_FILTER
from salesboard.store.models import Role
from tests import builders as b

ON = date(2026, 10, 20)


@pytest.fixture
def company(engine):
    with write_session(engine) as s:
        east, west = b.team(s, "一组"), b.team(s, "二组")
        rep = b.user(s, "rep", team=east)
        other = b.user(s, "other", team=west)
        mgr = b.user(s, "mgr", Role.MANAGER, team=east, manages=[east])
        admin = b.user(s, "root", Role.ADMIN)
        deal = b.opportunity(s, owner=rep, stays=[("proposal", "2026-10-01", "2026-10-20")])
        theirs = b.opportunity(s, owner=other)
        ids = {"rep": rep.id, "mgr": mgr.id, "admin": admin.id, "deal": deal.id,
               "theirs": theirs.id, "east": east.id, "proposal": b.stages(s)["proposal"]}  # fmt: skip
    return ids


def test_manager_rates_and_rerating_replaces(engine, company):
    with write_session(engine) as s:
        mgr = load_viewer(s, company["mgr"])
        record_rating(s, mgr, company["deal"], stage_id=company["proposal"],
                      kind="proposal_match", score=3, rated_on=ON)  # fmt: skip
        record_rating(s, mgr, company["deal"], stage_id=company["proposal"],
                      kind="proposal_match", score=5, rated_on=ON, note="改进后")  # fmt: skip
        record_rating(s, mgr, company["deal"], stage_id=company["proposal"],
                      kind="communication", score=4, rated_on=ON)  # fmt: skip
    with read_session(engine) as s:
        rows = deal_ratings(s, load_viewer(s, company["rep"]), company["deal"])
        assert sorted((r.kind, r.score) for r in rows) == [("communication", 4),
                                                           ("proposal_match", 5)]  # fmt: skip
        assert deal_ratings(s, load_viewer(s, company["rep"]), company["theirs"]) == []
        assert rating_means(s, load_viewer(s, company["admin"]), ON, ON) == (9, 2)


@pytest.mark.parametrize("score", [0, 6, 3.5, "x"])
def test_scores_outside_1_to_5_are_refused(engine, company, score):
    with write_session(engine) as s, pytest.raises(RatingError) as error:
        record_rating(s, load_viewer(s, company["admin"]), company["deal"],
                      stage_id=company["proposal"], kind="communication", score=score,
                      rated_on=ON)  # fmt: skip
    assert error.value.field == "score"


def test_reps_and_other_teams_may_not_rate(engine, company):
    with write_session(engine) as s:
        with pytest.raises(PermissionDenied):
            record_rating(s, load_viewer(s, company["rep"]), company["deal"],
                          stage_id=company["proposal"], kind="communication", score=4,
                          rated_on=ON)  # fmt: skip
        with pytest.raises(PermissionDenied) as missing:  # not theirs: reads as missing
            record_rating(s, load_viewer(s, company["mgr"]), company["theirs"],
                          stage_id=company["proposal"], kind="communication", score=4,
                          rated_on=ON)  # fmt: skip
        assert missing.value.code == "not_found"


def test_stage_kpi_and_scorecard_read_the_mean(engine, company):
    with write_session(engine) as s:
        admin = load_viewer(s, company["admin"])
        for kind, score in (("proposal_match", 4), ("communication", 5)):
            record_rating(s, admin, company["deal"], stage_id=company["proposal"], kind=kind,
                          score=score, rated_on=ON)  # fmt: skip
    october = parse_period("2026-10")
    with read_session(engine) as s:
        frame = kpis.stage_kpis(s, load_viewer(s, company["admin"]), october, NO_FILTER,
                                date(2026, 11, 23))  # fmt: skip
        row = frame[(frame["stage"] == "proposal") & (frame["kpi"] == "satisfaction")].iloc[0]
        assert (row.numerator, row.denominator, row.value) == (9, 2, 4.5)
        assert row.threshold == 4.2 and row.status == "met"
        card = compute_scorecard(s, "rep", company["rep"], october, date(2026, 11, 23))
        line = card.line("satisfaction")
        assert line.actual == 4.5 and line.score == pytest.approx(87.5)
        team = compute_scorecard(s, "team", company["east"], october, date(2026, 11, 23))
        assert team.line("satisfaction").actual == 4.5
