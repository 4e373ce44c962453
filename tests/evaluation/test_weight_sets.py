"""Weight sets (SQLite and PostgreSQL): versions, the 100 % rule naming the field, the
< 40 % process warning, leaders/admins only, audited; saved scores keep their weights."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from salesboard.accounts.access import PermissionDenied, load_viewer
from salesboard.evaluation import weights as w
from salesboard.evaluation.scorecard import save_scorecards, saved_scorecards
from salesboard.store.db import read_session, write_session
from salesboard.store.models import AuditLog, Role, Scorecard
from tests import builders as b

AS_OF = date(2026, 11, 23)


def test_defaults_add_up_and_weigh_process_40():
    assert sum(w.DEFAULT_WEIGHTS.values()) == 100
    assert w.process_percent(w.DEFAULT_WEIGHTS) == 40
    assert not w.process_warning(w.DEFAULT_WEIGHTS)


def test_weights_must_add_to_100_naming_the_field():
    with pytest.raises(w.WeightError) as total:
        w.validate_weights({**w.DEFAULT_WEIGHTS, "revenue": 30})
    assert total.value.field == "total"
    with pytest.raises(w.WeightError) as bad:
        w.validate_weights({**w.DEFAULT_WEIGHTS, "revenue": 135, "new_customers": -90})
    assert bad.value.field in ("revenue", "new_customers")
    with pytest.raises(w.WeightError) as unknown:
        w.validate_weights({"charm": 100})
    assert unknown.value.field == "charm"


def test_process_under_40_warns():
    light = {**w.DEFAULT_WEIGHTS, "stage_time": 0, "satisfaction": 0, "revenue": 45}
    assert w.process_percent(light) == 30 and w.process_warning(light)


def test_editing_adds_a_version_audited_and_leaders_only(engine):
    with write_session(engine) as s:
        team = b.team(s)
        leader = b.user(s, "boss", Role.LEADER)
        manager = b.user(s, "mgr", Role.MANAGER, team=team, manages=[team])
        boss, mgr = load_viewer(s, leader.id), load_viewer(s, manager.id)
        assert w.current_weights(s).id is None  # the built-in default
        with pytest.raises(PermissionDenied):
            w.save_weights(s, mgr, w.DEFAULT_WEIGHTS, AS_OF)
        first = w.save_weights(s, boss, w.DEFAULT_WEIGHTS, date(2026, 1, 1))
        heavier = {**w.DEFAULT_WEIGHTS, "revenue": 45, "stage_time": 0, "satisfaction": 0}
        second = w.save_weights(s, boss, heavier, date(2026, 12, 1), note="Q1 push")
    assert (first.version, second.version) == (1, 2)
    with read_session(engine) as s:
        assert w.current_weights(s).version == 2
        assert w.current_weights(s, date(2026, 11, 30)).version == 1  # valid from
        assert [v.version for v in w.weight_versions(s)] == [2, 1]
        assert w.weights_by_id(s, first.id).weights["revenue"] == 35  # never rewritten
        entries = (
            s.execute(select(AuditLog).where(AuditLog.entity == "weight_set").order_by(AuditLog.id))
            .scalars()
            .all()
        )
    assert len(entries) == 2 and '"revenue": 45' in entries[1].new_values
    assert '"revenue": 35' in entries[1].old_values


def test_changing_weights_leaves_saved_scores_unchanged(engine):
    with write_session(engine) as s:
        team = b.team(s)
        rep = b.user(s, "rep", team=team)
        leader = b.user(s, "boss", Role.LEADER)
        b.goal(s, "2026-10", 100 * b.WAN, user=rep)
        b.opportunity(s, owner=rep, status="won", won_on="2026-10-12", amount_minor=50 * b.WAN)
        b.key_action(s, b.opportunity(s, owner=rep), stage="lead", planned_on="2026-10-05",
                     done_on="2026-10-09")  # fmt: skip
        boss = load_viewer(s, leader.id)
        rep_id, leader_id = rep.id, leader.id
        saved = save_scorecards(s, boss, "rep", "2026-10", AS_OF)
    before = saved[0]
    # revenue 50 % → 50, completion 100, on time 0, effective visits 0 of 4 a week → 0;
    # no stay, rating, collection or new-customer goal: the weights go to the four rated
    # (10 + 10 + 10 + 35 = 65): (10×100 + 10×0 + 10×0 + 35×50) / 65 = 42.31
    assert before.total == pytest.approx(2750 / 65)
    with write_session(engine) as s:
        w.save_weights(
            s,
            load_viewer(s, leader_id),
            {**w.DEFAULT_WEIGHTS, "revenue": 45, "key_action_on_time": 0},
            AS_OF,
        )
    with read_session(engine) as s:
        again = saved_scorecards(s, "rep", [rep_id], ["2026-10"])[rep_id, "2026-10"]
        assert s.execute(select(Scorecard)).scalars().all()[0].weight_set_version == 1
    assert again.total == before.total and again.weights.version == 1
    with write_session(engine) as s:
        recomputed = save_scorecards(s, load_viewer(s, leader_id), "rep", "2026-10", AS_OF)[0]
    assert recomputed.weights.version == 2 and recomputed.saved_id != before.saved_id
    # now (10×100 + 0 + 10×0 + 45×50) over 65 rated = 50
    assert recomputed.total == pytest.approx(3250 / 65)
    with read_session(engine) as s:
        latest = saved_scorecards(s, "rep", [rep_id], ["2026-10"])[rep_id, "2026-10"]
        assert latest.saved_id == recomputed.saved_id
        assert s.get(Scorecard, before.saved_id).total == pytest.approx(2750 / 65)
