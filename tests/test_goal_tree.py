"""Pure goal-tree functions on hand-made frames: ordering, roll-up, attainment (including
lower-is-better), the decomposition check and value formatting. Answers worked out here."""

from __future__ import annotations

import pandas as pd
import pytest

from salesboard.accounts.access import Viewer
from salesboard.goals import tree
from salesboard.goals.format import format_goal_value, format_share
from salesboard.i18n import format_money
from salesboard.store.models import Role

WAN = 1_000_000


def goals(rows) -> pd.DataFrame:
    """Goal frame from (id, parent, scope, pl, region, team, user, owner, target)."""
    frame = pd.DataFrame(
        rows,
        columns=[
            "id", "parent_id", "scope", "product_line_id", "region_id", "team_id", "user_id",
            "owner_id", "target",
        ],
    )  # fmt: skip
    for column in ("parent_id", *tree.DIMENSIONS, "owner_id"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    frame["target"] = frame["target"].astype("float64")
    frame["period"] = "2026Q4"
    frame["period_start"] = None
    frame["period_end"] = None
    frame["metric"] = "revenue"
    return frame


def facts(rows) -> pd.DataFrame:
    """Fact frame from (pl, region, team, user, value_sum, value_count)."""
    frame = pd.DataFrame(rows, columns=[*tree.DIMENSIONS, "value_sum", "value_count"])
    for column in tree.DIMENSIONS:
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    return frame.astype({"value_sum": "float64", "value_count": "float64"})


# The seed: 1,000 = A 600 + B 400; A = 华南 (region 1) 350 + 华东 (region 2) 250.
SEED = goals(
    [
        (1, None, "company", None, None, None, None, 9, 1000 * WAN),
        (2, 1, "product_line", 1, None, None, None, 9, 600 * WAN),
        (3, 1, "product_line", 2, None, None, None, 9, 400 * WAN),
        (4, 2, "region", 1, 1, None, None, 7, 350 * WAN),
        (5, 2, "region", 1, 2, None, None, 8, 250 * WAN),
    ]
)
# Won: A/华南 team 10 rep 100: 150; A/华南 team 10 rep 101: 60; A/华东 team 20 rep 200: 100;
# B/华南 rep 100: 180.
SEED_FACTS = facts(
    [
        (1, 1, 10, 100, 150 * WAN, 2),
        (1, 1, 10, 101, 60 * WAN, 1),
        (1, 2, 20, 200, 100 * WAN, 1),
        (2, 1, 10, 100, 180 * WAN, 3),
    ]
)


def test_order_puts_parents_first_and_siblings_largest_first():
    ordered = tree.order_tree(SEED.sample(frac=1, random_state=3))
    assert ordered["id"].tolist() == [1, 2, 4, 5, 3]
    assert ordered["depth"].tolist() == [0, 1, 2, 2, 1]
    assert ordered.set_index("id").loc[5, "path"] == (1, 2, 5)
    assert ordered.set_index("id")["child_count"].to_dict() == {1: 2, 2: 2, 4: 0, 5: 0, 3: 0}


def test_several_roots_get_one_virtual_top():
    two_roots = SEED[SEED["id"] != 1].assign(parent_id=pd.array([None, None, 2, 2], dtype="Int64"))
    ordered = tree.order_tree(two_roots)
    top = ordered.iloc[0]
    assert top["id"] == tree.VIRTUAL_ROOT and top["virtual"]
    assert top["target"] == 1000 * WAN  # 600 + 400
    assert ordered.set_index("id").loc[2, "parent_id"] == tree.VIRTUAL_ROOT
    assert ordered.set_index("id").loc[4, "depth"] == 2


def test_a_parent_cycle_does_not_lose_nodes():
    cyclic = goals(
        [
            (1, None, "company", None, None, None, None, 9, 10),
            (2, 3, "region", None, 1, None, None, 9, 5),
            (3, 2, "region", None, 2, None, None, 9, 5),
        ]
    )
    ordered = tree.order_tree(cyclic)
    assert sorted(ordered["id"]) == [0, 1, 2, 3]  # cut at 2, which becomes a second root


def test_rollup_matches_each_nodes_dimensions():
    nodes = tree.order_tree(SEED)
    rolled = tree.rollup_facts(nodes, SEED_FACTS, "revenue")
    actual = dict(zip(nodes["id"], rolled["actual_sum"], strict=True))
    assert actual == {
        1: 490 * WAN,  # everything: 150 + 60 + 100 + 180
        2: 310 * WAN,  # product line 1
        4: 210 * WAN,  # product line 1, region 1
        5: 100 * WAN,  # product line 1, region 2
        3: 180 * WAN,  # product line 2
    }
    assert dict(zip(nodes["id"], rolled["actual_count"], strict=True))[4] == 3


def test_a_team_actual_includes_reps_without_a_goal_of_their_own():
    team = goals(
        [
            (1, None, "team", None, 1, 10, None, 7, 300),
            (2, 1, "rep", None, 1, 10, 100, 100, 200),  # rep 101 has no goal
        ]
    )
    rolled = tree.rollup_facts(tree.order_tree(team), SEED_FACTS, "revenue")
    assert rolled["actual_sum"].tolist() == [390 * WAN, 330 * WAN]  # 150+60+180, 150+180


def test_dimensions_a_metric_does_not_carry_are_ignored():
    # New customers have no product line: a product-line node counts its region's customers.
    nodes = goals([(1, None, "region", 1, 1, None, None, 7, 10)])
    customers = facts([(None, 1, 10, 100, 4, 4), (None, 2, 20, 200, 3, 3)])
    rolled = tree.rollup_facts(tree.order_tree(nodes), customers, "new_customers")
    assert rolled["actual_sum"].tolist() == [4.0]
    # For revenue the product line counts, and no fact has product line 1 and region 1 here.
    assert tree.rollup_facts(tree.order_tree(nodes), customers, "revenue")[
        "actual_sum"
    ].tolist() == [0.0]


def _table(frame, facts_frame, metric, elapsed):
    nodes = tree.order_tree(frame).assign(context=False)
    nodes = pd.concat([nodes, tree.rollup_facts(nodes, facts_frame, metric)], axis=1)
    return tree.attainment_table(nodes, metric, elapsed).set_index("id")


def test_attainment_share_gap_and_pace():
    table = _table(SEED, SEED_FACTS, "revenue", elapsed=0.5)
    assert table.loc[4, "attainment"] == pytest.approx(0.6)  # 210 / 350
    assert table.loc[4, "vs_pace"] == pytest.approx(10.0)  # 60 % − 50 % elapsed
    assert table.loc[4, "pace"] == "ahead"  # 60 % with half gone is not behind
    assert table.loc[5, "attainment"] == pytest.approx(0.4)
    assert table.loc[5, "pace"] == "behind"
    assert table.loc[1, "attainment"] == pytest.approx(0.49)
    assert table.loc[1, "pace"] == "on_track"  # 1 point under the pace, inside ±5
    assert table.loc[5, "gap"] == 150 * WAN  # 250 − 100 still to go
    assert table.loc[3, "gap"] == 220 * WAN
    assert table.loc[2, "share_of_parent"] == pytest.approx(0.6)
    assert table.loc[4, "share_of_parent"] == pytest.approx(350 / 600)
    assert pd.isna(table.loc[1, "share_of_parent"])


def test_lower_is_better_inverts_attainment_and_gap():
    cycle = goals(
        [
            (1, None, "team", None, 1, 10, None, 7, 30),
            (2, 1, "rep", None, 1, 10, 100, 100, 30),
            (3, 1, "rep", None, 1, 10, 101, 101, 30),
        ]
    )
    days = facts([(1, 1, 10, 100, 20 + 40 + 45, 3), (1, 1, 10, 101, 25, 1)])
    table = _table(cycle.assign(metric="cycle_days"), days, "cycle_days", elapsed=0.2)
    # Rep 100: average (20 + 40 + 45) / 3 = 35 days against 30 → 30 / 35 = 85.7 %.
    assert table.loc[2, "actual"] == pytest.approx(35.0)
    assert table.loc[2, "attainment"] == pytest.approx(30 / 35)
    assert table.loc[2, "gap"] == pytest.approx(5.0)  # 5 days over the target
    # An average does not build up over the period: its pace reference is 100 %, not 20 %.
    assert table.loc[2, "vs_pace"] == pytest.approx((30 / 35 - 1) * 100)
    assert table.loc[2, "pace"] == "behind"
    # Rep 101: 25 days beats 30 → 120 %; the team: (105 + 25) / 4 = 32.5 days.
    assert table.loc[3, "attainment"] == pytest.approx(1.2)
    assert table.loc[3, "pace"] == "ahead"
    assert table.loc[1, "actual"] == pytest.approx(32.5)


def test_no_events_for_an_average_means_no_actual():
    cycle = goals([(1, None, "company", None, None, None, None, 7, 30)])
    table = _table(cycle, facts([]), "cycle_days", elapsed=0.5)
    assert pd.isna(table.loc[1, "actual"]) and pd.isna(table.loc[1, "attainment"])
    assert table.loc[1, "pace"] == "unknown"


def test_decomposition_findings_over_under_and_no_owner():
    off = SEED.copy()
    off.loc[off["id"] == 5, "target"] = 200 * WAN  # A: 350 + 200 = 550 ≠ 600
    off.loc[off["id"] == 3, "owner_id"] = pd.NA
    extra = goals([(6, 3, "region", 2, 1, None, None, 7, 450 * WAN)])  # B 400 < 450
    findings = tree.decomposition_findings(tree.order_tree(pd.concat([off, extra])))
    found = findings.set_index("id")
    assert found.loc[2, "kind"] == "under_allocated"
    assert found.loc[2, "difference"] == -50 * WAN
    assert found.loc[2, "children_target"] == 550 * WAN
    over = findings[(findings["id"] == 3) & (findings["kind"] == "over_allocated")]
    assert over["difference"].tolist() == [50 * WAN]
    assert findings[(findings["id"] == 3)]["kind"].tolist() == ["over_allocated", "no_owner"]
    assert len(findings) == 3
    assert tree.decomposition_findings(tree.order_tree(SEED)).empty


def test_restrict_to_viewer_per_role():
    rows = goals(
        [
            (1, None, "company", None, None, None, None, 9, 100),
            (2, 1, "region", None, 1, None, None, 7, 60),
            (3, 2, "team", None, 1, 10, None, 7, 60),
            (4, 3, "rep", None, 1, 10, 100, 100, 30),
            (5, 3, "rep", None, 1, 10, 101, 101, 30),
            (6, 1, "region", None, 2, None, None, 8, 40),
            (7, 6, "team", None, 2, 20, None, 8, 40),
        ]
    )
    leader = Viewer(1, "boss", "boss", Role.LEADER)
    manager = Viewer(7, "m", "m", Role.MANAGER, team_ids=(10,))
    rep = Viewer(100, "r", "r", Role.REP, team_ids=(10,))

    def shown(viewer):
        part = tree.restrict_to_viewer(rows, viewer)
        return dict(zip(part["id"], part["context"], strict=True))

    assert shown(leader) == dict.fromkeys(range(1, 8), False)
    assert shown(manager) == {1: True, 2: True, 3: False, 4: False, 5: False}
    assert shown(rep) == {1: True, 2: True, 3: True, 4: False}


@pytest.mark.parametrize(
    ("value", "metric", "lang", "text"),
    [
        (1000 * WAN, "revenue", "zh", "1,000.0万元"),
        (350 * WAN, "revenue", "zh", "350.0万元"),
        (12_345_678, "revenue", "zh", "12.3万元"),
        (35_653 * WAN, "revenue", "zh", "3.57亿元"),
        (8_821.4 * WAN, "revenue", "zh", "8,821.4万元"),
        (1000 * WAN, "revenue", "en", "¥10.00M"),
        (350 * WAN, "revenue", "en", "¥3.50M"),
        (85_000_00, "revenue", "en", "¥85K"),
        (12, "new_customers", "zh", "12 家"),
        (32.5, "cycle_days", "en", "32.5 working days"),
        (None, "revenue", "zh", "—"),
    ],
)
def test_goal_values_read_in_the_users_units(value, metric, lang, text):
    # Money reads as everywhere else (Locale.money): one format per language, whether on a
    # tile or in a sentence.
    assert format_goal_value(value, metric, lang) == text
    if metric == "revenue" and value is not None:
        assert text == format_money(value, lang)


def test_shares_drop_a_needless_decimal():
    assert format_share(0.6) == "60%"
    assert format_share(350 / 600) == "58.3%"
    assert format_share(None) == "—"
