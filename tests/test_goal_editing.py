"""Goal editing on the hand-made company (SQLite and PostgreSQL): validation with messages
naming the field, optimistic concurrency, audit, split with remainder, seasonal spread, copy
of last period's structure, and the data-editor write-back."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from salesboard.accounts.access import PermissionDenied, load_viewer
from salesboard.accounts.audit import audit_trail
from salesboard.goals import present
from salesboard.goals.allocation import (
    SplitPart,
    copy_structure,
    plan_split,
    seasonal_spread,
    split_goal,
    spread_goal,
    spread_tree_values,
)
from salesboard.goals.table_edits import apply_table_edits
from salesboard.goals.validation import GoalConflict, GoalDraft, GoalError
from salesboard.goals.view import goal_tree
from salesboard.goals.writes import create_goal, delete_goal, update_goal
from salesboard.store.db import read_session, write_session
from salesboard.store.models import Goal
from tests.companies.goals import AS_OF, WAN, build_goal_store


@pytest.fixture
def store(engine):
    return engine, build_goal_store(engine)


def viewer(engine, user_id):
    with read_session(engine) as s:
        return load_viewer(s, user_id)


def draft(**kwargs) -> GoalDraft:
    base = {"period": "2026Q4", "metric": "revenue", "scope": "company", "target": 0}
    return GoalDraft(**{**base, **kwargs})


def error_of(engine, actor, call) -> GoalError:
    with pytest.raises(GoalError) as caught, write_session(engine) as s:
        call(s, actor)
    return caught.value


def test_negative_target_is_refused_naming_the_field(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    error = error_of(
        engine,
        admin,
        lambda s, a: update_goal(s, a, ids.goals["A"], 1, target=-5),
    )
    assert (error.field, error.code) == ("target", "negative")
    assert present.error_text(error, "zh") == "目标值：目标值不能为负数（填写的是 -5）。"
    assert present.error_text(error, "en") == "Target: a target cannot be negative (got -5)."
    with read_session(engine) as s:
        assert s.get(Goal, ids.goals["A"]).target == 600 * WAN  # unchanged


def test_a_cycle_is_refused(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    # Hang 产品A under its own region 华南: 华南 is below 产品A, so that would be a loop.
    error = error_of(
        engine,
        admin,
        lambda s, a: update_goal(s, a, ids.goals["A"], 1, parent_id=ids.goals["A_south"]),
    )
    assert (error.field, error.code) == ("parent_id", "cycle")
    assert "上级目标" in present.error_text(error, "zh")
    assert "cycle" in present.error_text(error, "en")


def test_a_period_mismatch_is_refused(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    month_child = draft(
        period="2026-10", scope="product_line", product_line_id=ids.lines["A"],
        parent_id=ids.goals["company"], target=100,
    )  # fmt: skip
    error = error_of(engine, admin, lambda s, a: create_goal(s, a, month_child))
    assert (error.field, error.code) == ("period", "parent_period")
    assert present.error_text(error, "en").startswith("Period: the parent goal's period is 2026Q4")
    bad_label = error_of(
        engine, admin, lambda s, a: create_goal(s, a, draft(period="2026Q5", target=1))
    )
    assert (bad_label.field, bad_label.code) == ("period", "bad_period")


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"scope": "team", "team_id": "t1", "region_id": "east"}, "region_id", "team_region"),
        ({"scope": "region"}, "region_id", "required"),
        ({"scope": "region", "region_id": "south", "team_id": "t1"}, "team_id", "too_deep"),
        ({"metric": "new_customers", "scope": "product_line", "product_line_id": "A"},
         "product_line_id", "no_product_line"),
        ({"scope": "product_line", "product_line_id": "A"}, "scope", "duplicate"),
        ({"scope": "rep", "user_id": "r3", "team_id": "t1"}, "team_id", "rep_team"),
        ({"owner_id": 9999}, "owner_id", "unknown"),
    ],
)  # fmt: skip
def test_dimension_rules(store, changes, field, code):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    lookup = {
        "region_id": ids.regions, "team_id": ids.teams, "product_line_id": ids.lines,
        "user_id": ids.users,
    }  # fmt: skip
    values = {
        k: lookup[k][v] if k in lookup and isinstance(v, str) else v for k, v in changes.items()
    }
    if values.get("scope") not in (None, "company"):
        values.setdefault("parent_id", ids.goals["company"])
    if values.get("metric") == "new_customers":
        values["parent_id"] = ids.goals["nc_company"]
    error = error_of(engine, admin, lambda s, a: create_goal(s, a, draft(target=1, **values)))
    assert (error.field, error.code) == (field, code)


def test_a_rep_goal_takes_team_and_region_from_the_rep(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    with write_session(engine) as s:
        # A rep goal names only the rep: r3's team t2 and its region 华东 are filled in.
        goal = create_goal(
            s, admin, draft(period="2027Q1", scope="rep", user_id=ids.users["r3"], target=5 * WAN)
        )
        assert (goal.team_id, goal.region_id) == (ids.teams["t2"], ids.regions["east"])


def test_only_leaders_and_admins_change_goals(store):
    engine, ids = store
    manager = viewer(engine, ids.users["m1"])
    with pytest.raises(PermissionDenied), write_session(engine) as s:
        update_goal(s, manager, ids.goals["A_south_t1"], 1, target=1)
    leader = viewer(engine, ids.users["boss"])
    with write_session(engine) as s:
        update_goal(s, leader, ids.goals["A_south_t1"], 1, owner_id=ids.users["r1"])


def test_stale_version_is_a_conflict_and_changes_are_audited(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    with write_session(engine) as s:
        update_goal(s, admin, ids.goals["A"], 1, target=650 * WAN)
    # A second editor still holding version 1 must not overwrite the change.
    with pytest.raises(GoalConflict), write_session(engine) as s:
        update_goal(s, admin, ids.goals["A"], 1, target=550 * WAN)
    with read_session(engine) as s:
        goal = s.get(Goal, ids.goals["A"])
        assert (goal.target, goal.version) == (650 * WAN, 2)
        trail = audit_trail(s, entity="goal", entity_id=ids.goals["A"])
    assert len(trail) == 1
    assert trail.iloc[0]["action"] == "update" and trail.iloc[0]["actor_name"] == "admin"
    assert '"target": "600000000.0000"' in trail.iloc[0]["old_values"]
    assert '"target": "650000000.0000"' in trail.iloc[0]["new_values"]


def test_delete_needs_consent_for_sub_goals(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    error = error_of(engine, admin, lambda s, a: delete_goal(s, a, ids.goals["A_east"], 1))
    assert (error.code, error.values["count"]) == ("has_children", 2)
    with write_session(engine) as s:
        assert delete_goal(s, admin, ids.goals["A_east"], 1, with_children=True) == 3
    with read_session(engine) as s:
        assert s.get(Goal, ids.goals["A_r3"]) is None
        assert audit_trail(s, entity="goal", action="delete").shape[0] == 1


def test_split_by_percent_shows_the_remainder():
    plan = plan_split(1000 * WAN, [60, 30], "percent", Decimal(100))
    assert plan.targets == (600 * WAN, 300 * WAN)
    assert plan.remainder == 100 * WAN and plan.share_total == 90
    third = plan_split(1000 * WAN, [100 / 3, 100 / 3, 100 / 3], "percent", Decimal(100))
    # Percentages keep 4 decimals: 33.3333 % of 1,000 万 = 333.333 万 (333,333,000 分) each,
    # so 10 yuan (1,000 分) stay unallocated.
    assert third.targets == (333_333_000,) * 3
    assert third.remainder == 1_000
    by_amount = plan_split(1000 * WAN, [700 * WAN, 400 * WAN], "amount", Decimal(100))
    assert by_amount.remainder == -100 * WAN  # over-allocated by 100 万
    with pytest.raises(GoalError) as caught:
        plan_split(1000, [-5], "percent", Decimal(1))
    assert caught.value.code == "negative"


def test_split_goal_updates_and_creates_children(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    with write_session(engine) as s:
        plan = split_goal(
            s, admin, ids.goals["company"],
            [
                SplitPart("product_line", ids.lines["A"], 70, goal_id=ids.goals["A"]),
                SplitPart("product_line", ids.lines["B"], 20, goal_id=ids.goals["B"]),
            ],
            "percent",
        )  # fmt: skip
    assert plan.remainder == 100 * WAN
    with read_session(engine) as s:
        assert s.get(Goal, ids.goals["A"]).target == 700 * WAN
        view = goal_tree(s, admin, "2026Q4", "revenue", AS_OF)
    kinds = dict(zip(view.findings["id"], view.findings["kind"], strict=True))
    assert kinds[ids.goals["company"]] == "under_allocated"  # 100 万 left unallocated
    assert kinds[ids.goals["A"]] == "under_allocated"  # 700 vs its regions' 600
    # A new region under 产品B is created by naming its dimension.
    with write_session(engine) as s:
        split_goal(
            s, admin, ids.goals["nc_company"],
            [SplitPart("region", ids.regions["south"], 7, goal_id=ids.goals["nc_south"]),
             SplitPart("region", ids.regions["east"], None, goal_id=ids.goals["nc_east"])],
            "amount",
        )  # fmt: skip
        assert s.get(Goal, ids.goals["nc_south"]).target == 7
        assert s.get(Goal, ids.goals["nc_east"]).target == 4  # left empty: untouched


def test_seasonal_spread_adds_up_exactly():
    weights = [8, 8, 9, 8, 8, 8, 8, 8, 8, 9, 9, 9]
    months = seasonal_spread(1200 * WAN, weights, Decimal(100))
    assert months[0] == 96 * WAN and months[2] == 108 * WAN  # 8 % and 9 % of 1,200 万
    assert sum(months) == 1200 * WAN
    counts = seasonal_spread(100, [1, 1, 1], Decimal(1))
    assert counts == [34, 33, 33]  # largest remainder: 33.33 each, the first gets the spare


def test_spread_tree_keeps_each_month_consistent():
    nodes = [(1, None, Decimal(10)), (2, 1, Decimal(7)), (3, 1, Decimal(3)), (4, None, Decimal(0))]
    values = spread_tree_values(nodes[:3], [1, 1, 1], Decimal(1))
    assert values[2] == [3, 2, 2] and values[3] == [1, 1, 1]
    assert values[1] == [4, 3, 3]  # the sum of its children's months, still 10 in all


def test_spread_goal_writes_months_and_quarters(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    with write_session(engine) as s:
        boss = ids.users["boss"]
        year = create_goal(s, admin, draft(period="2027", target=1200 * WAN, owner_id=boss))
        a = create_goal(
            s, admin,
            draft(period="2027", scope="product_line", product_line_id=ids.lines["A"],
                  parent_id=year.id, target=1200 * WAN, owner_id=boss),
        )  # fmt: skip
        weights = [8, 8, 9, 8, 8, 8, 8, 8, 8, 9, 9, 9]
        assert spread_goal(s, admin, year.id, weights) == 2 * 16
        a_id = a.id
    with read_session(engine) as s:
        jan = s.execute(
            select(Goal).where(Goal.period == "2027-01", Goal.scope == "product_line")
        ).scalar_one()
        assert jan.target == 96 * WAN and jan.parent_id is not None
        assert s.get(Goal, jan.parent_id).period == "2027-01"
        q4 = s.execute(
            select(Goal).where(Goal.period == "2027Q4", Goal.scope == "company")
        ).scalar_one()
        assert q4.target == (108 + 108 + 108) * WAN
        for label in ("2027-01", "2027-07", "2027Q2"):
            assert goal_tree(s, admin, label, "revenue", AS_OF).findings.empty
        months = (
            s.execute(
                select(Goal.target).where(Goal.period.like("2027-%"), Goal.scope == "product_line")
            )
            .scalars()
            .all()
        )
        assert sum(months) == s.get(Goal, a_id).target


def test_copy_last_periods_structure_with_growth(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    with write_session(engine) as s:
        made = copy_structure(s, admin, "revenue", "2026Q4", "2027Q1", growth=0.1)
    assert made == 17
    with read_session(engine) as s:
        view = goal_tree(s, admin, "2027Q1", "revenue", AS_OF)
        assert view.findings.empty  # the copy adds up like the source
        top = view.node(view.root_id)
        assert top["target"] == 1100 * WAN
        assert view.nodes["depth"].max() == 4
    error = error_of(
        engine, admin, lambda s, a: copy_structure(s, a, "revenue", "2026Q4", "2027Q1")
    )
    assert error.code == "target_has_goals"


def test_table_edits_from_the_data_editor(store):
    engine, ids = store
    admin = viewer(engine, ids.users["admin"])
    rows = [
        {"id": ids.goals["A"], "version": 1},
        {"id": ids.goals["B"], "version": 1},
    ]
    with write_session(engine) as s:
        outcome = apply_table_edits(
            s, admin, rows, {"0": {"target": 650}, "1": {"owner_id": ids.users["m2"]}}, scale=WAN
        )
    assert outcome.changed == [ids.goals["A"], ids.goals["B"]] and not outcome.errors
    with read_session(engine) as s:
        assert s.get(Goal, ids.goals["A"]).target == 650 * WAN
        assert s.get(Goal, ids.goals["B"]).owner_id == ids.users["m2"]
    rows[0]["version"] = 2
    with write_session(engine) as s:
        outcome = apply_table_edits(s, admin, rows, {0: {"target": -1}}, scale=WAN)
    assert [(p, e.code) for p, e in outcome.errors] == [(0, "negative")]
