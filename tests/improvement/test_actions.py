"""Improvement actions on a real store (both backends): who sees and changes what, the
version check, the audit trail and history, overdue."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.accounts.audit import audit_trail
from salesboard.improvement.actions import (
    action_for,
    action_history,
    create_action,
    list_actions,
    move_status,
    overdue_actions,
    set_pilots,
    update_action,
)
from salesboard.improvement.errors import ImprovementError
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Role
from tests import builders as b

TODAY = date(2026, 11, 23)


@pytest.fixture
def company(engine):
    """Teams 一组 (managed by m1, rep r1), 二组 (managed by m2, rep r2), a leader."""
    with write_session(engine) as s:
        b.stages(s)
        one, two = b.team(s, "一组"), b.team(s, "二组")
        ids = {
            "one": one.id, "two": two.id,
            "m1": b.user(s, "m1", Role.MANAGER, team=one, manages=[one]).id,
            "m2": b.user(s, "m2", Role.MANAGER, team=two, manages=[two]).id,
            "r1": b.user(s, "r1", team=one).id,
            "r2": b.user(s, "r2", team=two).id,
            "boss": b.user(s, "boss", Role.LEADER).id,
        }  # fmt: skip
    return {k: (b.viewer(engine, v) if k not in ("one", "two") else v) for k, v in ids.items()}


def new(engine, actor, **values):
    with write_session(engine) as s:
        return create_action(
            s, actor, {"pain_point": "线索转化低", "metric": "lead_to_opportunity",
                       "baseline": 0.15, "target": 0.25, "unit": "%", **values},
            pilots=values.pop("pilots", ()), source=("bottleneck", "needs_analysis", "/pipeline?section=durations"),
        )  # fmt: skip


def test_scope_managers_see_their_teams_reps_their_pilots(engine, company):
    c = company
    own = new(engine, c["m1"], due_on=date(2026, 12, 31))
    with write_session(engine) as s:
        set_pilots(s, c["m1"], own, 1, (c["one"],))
    other = new(engine, c["m2"])
    with read_session(engine) as s:
        assert list(list_actions(s, c["m1"], TODAY)["id"]) == [own]
        assert list(list_actions(s, c["r1"], TODAY)["id"]) == [own]  # piloted in r1's team
        assert list(list_actions(s, c["r2"], TODAY)["id"]) == []  # not piloted with r2
        assert sorted(list_actions(s, c["boss"], TODAY)["id"]) == sorted([own, other])
        # Another team's action reads exactly like a missing one.
        with pytest.raises(ImprovementError) as hidden:
            action_for(s, c["m1"], other, TODAY)
        with pytest.raises(ImprovementError) as missing:
            action_for(s, c["m1"], 999, TODAY)
        assert hidden.value.code == missing.value.code == "not_found"
        assert not action_for(s, c["r1"], own, TODAY).editable
        assert action_for(s, c["boss"], other, TODAY).editable  # leaders run improvement
    with write_session(engine) as s, pytest.raises(ImprovementError) as refused:
        move_status(s, c["r1"], own, 2, "done")
    assert refused.value.code == "read_only"
    with write_session(engine) as s, pytest.raises(ImprovementError) as refused:
        create_action(s, c["r1"], {"pain_point": "x"})
    assert refused.value.code == "read_only"
    with write_session(engine) as s, pytest.raises(ImprovementError) as refused:
        set_pilots(s, c["m1"], own, 2, (c["two"],))  # not their team
    assert refused.value.code == "team_not_allowed"


def test_a_stale_version_is_refused_and_nothing_is_written(engine, company):
    c = company
    action = new(engine, c["m1"])
    with write_session(engine) as s:
        update_action(s, c["m1"], action, 1, {"measures": "每周需求挖掘演练"})
    with write_session(engine) as s, pytest.raises(ImprovementError) as stale:
        update_action(s, c["boss"], action, 1, {"measures": "别的措施"})
    assert stale.value.code == "conflict"
    with read_session(engine) as s:
        row = action_for(s, c["m1"], action, TODAY)
        assert (row["measures"], row.version) == ("每周需求挖掘演练", 2)


def test_every_change_is_audited_and_in_the_history(engine, company):
    c = company
    action = new(engine, c["m1"])
    with write_session(engine) as s:
        set_pilots(s, c["m1"], action, 1, (c["one"],))
        move_status(s, c["m1"], action, 2, "in_progress")
        update_action(s, c["m1"], action, 3, {"target": 0.3})
        move_status(s, c["m1"], action, 4, "done")
    with read_session(engine) as s:
        kinds = list(action_history(s, c["m1"], action)["kind"])
        trail = audit_trail(s, entity="improvement_action", entity_id=action)
    assert kinds == ["status", "edited", "status", "pilots", "created"]
    assert list(trail["action"]) == ["transition", "update", "transition", "update", "create"]
    assert (
        '"done"' in trail["new_values"].iloc[0] and '"in_progress"' in trail["old_values"].iloc[0]
    )


def test_overdue_is_past_due_and_not_done(engine, company):
    c = company
    late = new(engine, c["m1"], start_on=date(2026, 9, 1), due_on=date(2026, 11, 1))
    new(engine, c["m1"], due_on=date(2026, 12, 1))  # not due yet
    finished = new(engine, c["m1"], due_on=date(2026, 10, 1))
    with write_session(engine) as s:
        move_status(s, c["m1"], finished, 1, "done")
    with read_session(engine) as s:
        assert list(overdue_actions(s, c["m1"], TODAY)["id"]) == [late]
        assert overdue_actions(s, c["m2"], TODAY).empty
        frame = list_actions(s, c["m1"], TODAY, statuses=("done",))
    assert list(frame["id"]) == [finished] and not frame["overdue"].any()


def test_due_before_start_and_unknown_metric_are_refused(engine, company):
    with pytest.raises(ImprovementError) as bad:
        new(engine, company["m1"], start_on=date(2026, 9, 1), due_on=date(2026, 8, 1))
    assert bad.value.code == "due_before_start"
    with pytest.raises(ImprovementError) as bad:
        new(engine, company["m1"], metric="happiness")
    assert bad.value.code == "unknown_metric"


def test_the_managers_digest_lists_their_overdue_actions(engine, company):
    from salesboard.reminders.digest import review_summary

    c = company
    late = new(engine, c["m1"], pain_point="报价审批慢", due_on=date(2026, 11, 1))
    with read_session(engine) as s:
        mine = review_summary(s, c["m1"], TODAY, "zh")
        theirs = review_summary(s, c["m2"], TODAY, "en")
    assert mine[-1] == f"逾期的优化行动 1 项：#{late} 报价审批慢"
    assert not any("improvement" in line for line in theirs)
