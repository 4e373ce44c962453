"""Worked examples from the seeds (DOMAIN.md §1–4) for the pure metrics, answers by hand."""

from __future__ import annotations

import math
import random
import time
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from salesboard import metrics
from salesboard.calendar.workdays import make_calendar
from salesboard.goals.tree import children_targets
from salesboard.metrics.attainment import PACE_BAND

CN = make_calendar("CN")
NAN = float("nan")

# ── attainment ──────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        # Seed 003 KPI table (completion = actual / target):
        (85, 100, 0.85),  # sales 万元: 85 / 100
        (75, 90, 0.8333),  # collection rate %: 75 / 90 = 0.8333…
        (12, 15, 0.8),  # new customers: 12 / 15
        (100, 120, 0.8333),  # customer visits: 100 / 120 = 0.8333…
        (18, 25, 0.72),  # effective lead conversion %: 18 / 25
        (25, 30, 0.8333),  # proposals submitted: 25 / 30 = 0.8333…
        (Decimal("85"), Decimal("100"), 0.85),  # Decimal money
        (Decimal("85.5"), 100, 0.855),  # mixed Decimal and int
        (0, 100, 0.0),
        (130, 100, 1.3),  # over-attainment is not capped
    ],
)
def test_attainment_is_actual_over_target(actual, target, expected):
    result = metrics.attainment(actual, target)
    assert isinstance(result, float)
    assert result == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("actual", "target"),
    [(85, 0), (85, None), (None, 100), (NAN, 100), (85, NAN), (0, 0), (Decimal(5), Decimal(0))],
)
def test_attainment_is_none_without_target_or_actual(actual, target):
    assert metrics.attainment(actual, target) is None
    assert metrics.attainment(actual, target, lower_is_better=True) is None


def test_goal_tree_shares_and_sums():
    # Seed 000: quarterly goal 1,000 万元 = product A 600 + product B 400;
    # product A = South China 350 + East China 250.
    company, product_a, product_b = 1000, 600, 400
    south, east = 350, 250
    assert metrics.attainment(product_a, company) == pytest.approx(0.60)  # 600 / 1000
    assert metrics.attainment(product_b, company) == pytest.approx(0.40)  # 400 / 1000
    # The goal tree's sum of each node's children gives back the parent's target.
    nodes = pd.DataFrame(
        {
            "id": [1, 2, 3, 4, 5],
            "parent_id": [None, 1, 1, 2, 2],
            "target": [company, product_a, product_b, south, east],
        }
    )
    sums = children_targets(nodes)
    assert sums["children_target"].to_dict() == {1: 1000, 2: 600}  # 600 + 400, 350 + 250
    assert sums["children"].to_dict() == {1: 2, 2: 2}
    assert metrics.attainment(sums.loc[2, "children_target"], product_a) == pytest.approx(1.0)
    # The same in minor units (分): 1 万元 = 10,000 元 = 1,000,000 分; still exact ratios.
    fen = 1_000_000
    assert metrics.attainment(product_a * fen, company * fen) == pytest.approx(0.60)
    assert metrics.attainment(south * fen, product_a * fen) == pytest.approx(350 / 600)


@pytest.mark.parametrize(
    ("actual", "target", "expected"),
    [
        (45, 30, 0.6667),  # cycle 45 days vs target 30: 30 / 45 = 0.6667
        (20, 30, 1.5),  # 20 days vs 30: 30 / 20 = 1.5, beat the target
        (30, 30, 1.0),
        (Decimal("37.5"), 30, 0.8),  # 30 / 37.5
        (0, 30, 1.0),  # zero days meets any target: counted as exactly attained
        (-3, 30, 1.0),  # nonsense actual: same rule as 0
    ],
)
def test_attainment_lower_is_better_inverts(actual, target, expected):
    result = metrics.attainment(actual, target, lower_is_better=True)
    assert result == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("won", "lost", "expected"),
    [(3, 1, 0.75), (0, 5, 0.0), (5, 0, 1.0), (2, 8, 0.2), (0, 0, None)],
)
def test_win_rate(won, lost, expected):
    assert metrics.win_rate(won, lost) == (
        expected if expected is None else pytest.approx(expected)
    )


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        (date(2026, 10, 1), 1 / 31),  # first day counts: 1 of October's 31 days
        (date(2026, 10, 15), 15 / 31),  # 10-01..10-15 inclusive
        (date(2026, 10, 31), 1.0),
        (date(2026, 9, 30), 0.0),  # before the period: clamped
        (date(2026, 11, 5), 1.0),  # after the period: clamped
    ],
)
def test_time_elapsed_share_of_october(as_of, expected):
    share = metrics.time_elapsed_share(date(2026, 10, 1), date(2026, 10, 31), as_of)
    assert share == pytest.approx(expected)


def test_time_elapsed_share_of_a_quarter_and_bad_period():
    # 2026Q4 has 31 + 30 + 31 = 92 days; 11-15 is day 31 + 15 = 46 → exactly half.
    share = metrics.time_elapsed_share(date(2026, 10, 1), date(2026, 12, 31), date(2026, 11, 15))
    assert share == pytest.approx(0.5)
    with pytest.raises(ValueError, match="before it starts"):
        metrics.time_elapsed_share(date(2026, 10, 31), date(2026, 10, 1), date(2026, 10, 5))


@pytest.mark.parametrize(
    ("attainment", "elapsed", "expected"),
    [
        (0.50, 0.50, "on_track"),
        (0.55, 0.50, "on_track"),  # +5 points: edge of the band, still on track
        (0.45, 0.50, "on_track"),  # −5 points: edge of the band
        (0.56, 0.50, "ahead"),
        (0.44, 0.50, "behind"),
        (0.85, 1.00, "behind"),  # seed 003 sales: 85 % at month end
        (1.10, 1.00, "ahead"),
        (0.10, 0.03, "ahead"),  # first days of the month, a big early deal
        (None, 0.50, "unknown"),  # no target: pace cannot be judged
    ],
)
def test_pace_band(attainment, elapsed, expected):
    assert PACE_BAND == 0.05
    assert metrics.pace(attainment, elapsed) == expected


# ── period change ───────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("current", "previous", "kind", "expected"),
    [
        # Rates are ratios; change in percentage points: (0.75 − 0.83) × 100 = −8.0.
        (0.75, 0.83, "rate", -8.0),
        (0.18, 0.25, "rate", -7.0),  # lead conversion 18 % vs 25 %: −7 points
        (0.10, 0.0, "rate", 10.0),  # points need no division: 0 % before is fine
        (0.5, 0.5, "rate", 0.0),
        # Amounts and counts: relative change (current − previous) / previous.
        (85, 100, "amount", -0.15),  # (85 − 100) / 100
        (85, 96.59, "amount", -0.12),  # seed sales −12 %: (85 − 96.59) / 96.59 = −0.1200
        (Decimal("85"), Decimal("100"), "amount", -0.15),
        (12, 12, "count", 0.0),  # "flat"
        (12, 10, "count", 0.2),  # (12 − 10) / 10
        (5, -10, "amount", 1.5),  # (5 − (−10)) / |−10|: a recovery reads as a rise
    ],
)
def test_period_change(current, previous, kind, expected):
    assert metrics.period_change(current, previous, kind=kind) == pytest.approx(expected, abs=1e-4)


@pytest.mark.parametrize(
    ("current", "previous", "kind"),
    [
        (85, 0, "amount"),  # no relative change from 0
        (3, 0, "count"),
        (85, None, "amount"),
        (None, 100, "amount"),
        (0.75, None, "rate"),
        (0.75, NAN, "rate"),
    ],
)
def test_period_change_is_none_when_undefined(current, previous, kind):
    assert metrics.period_change(current, previous, kind=kind) is None


def test_period_change_rejects_unknown_kind_by_name():
    with pytest.raises(ValueError, match="'ratio'"):
        metrics.period_change(1, 2, kind="ratio")
    with pytest.raises(ValueError, match="'percent'"):
        metrics.period_change(None, None, kind="percent")  # checked even without values


# ── funnel ──────────────────────────────────────────────────────────────────────────────

# Ten opportunities: 10 leads → 7 needs analysis → 5 proposal → 3 negotiation → 2 won.
TEN = [10, 7, 5, 3, 2]


def test_funnel_of_ten_opportunities():
    conversion = metrics.funnel_conversion(TEN)
    assert conversion[0] is None
    # 7/10 = 0.7, 5/7 = 0.7143, 3/5 = 0.6, 2/3 = 0.6667
    assert conversion[1:] == pytest.approx([0.7, 0.7143, 0.6, 0.6667], abs=1e-4)
    assert metrics.overall_conversion(10, 2) == pytest.approx(0.2)  # 2 / 10


@pytest.mark.parametrize(
    ("reached", "expected"),
    [
        ([], []),
        ([4], [None]),
        ([0, 0, 0], [None, None, None]),  # nothing to convert from
        ([5, 0, 0], [None, 0.0, None]),  # all lost after stage 1
        ([4, 4], [None, 1.0]),
    ],
)
def test_funnel_conversion_edges(reached, expected):
    assert metrics.funnel_conversion(reached) == expected


def test_overall_conversion_without_leads_is_none():
    assert metrics.overall_conversion(0, 0) is None


def test_funnel_table_sorts_and_adds_ratios():
    stages = ["lead", "needs_analysis", "proposal", "negotiation", "contract"]
    amounts = [1_000_000, 700_000, 500_000, 300_000, 200_000]  # minor units
    frame = pd.DataFrame(
        {"position": [1, 2, 3, 4, 5], "stage": stages, "reached": TEN, "amount_minor": amounts}
    ).iloc[[3, 0, 4, 2, 1]]  # any order in
    before = frame.copy()
    table = metrics.funnel_table(frame)
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    assert table["position"].tolist() == [1, 2, 3, 4, 5]
    assert table["stage"].tolist() == stages
    assert table["amount_minor"].tolist() == amounts
    assert math.isnan(table["conversion"].iloc[0])
    assert table["conversion"].iloc[1:].tolist() == pytest.approx([0.7, 5 / 7, 0.6, 2 / 3])
    # reached / 10: 1.0, 0.7, 0.5, 0.3, 0.2
    assert table["from_first"].tolist() == pytest.approx([1.0, 0.7, 0.5, 0.3, 0.2])


def test_funnel_table_with_empty_stages_and_no_rows():
    frame = pd.DataFrame(
        {"position": [2, 1, 3], "stage": ["b", "a", "c"], "reached": [0, 0, 0], "amount_minor": 0}
    )
    table = metrics.funnel_table(frame)
    assert table["conversion"].isna().all()
    assert table["from_first"].isna().all()
    empty = metrics.funnel_table(frame.iloc[0:0])
    assert empty.empty and {"conversion", "from_first"} <= set(empty.columns)
    with pytest.raises(ValueError, match="reached"):
        metrics.funnel_table(frame.drop(columns="reached"))


# ── durations ───────────────────────────────────────────────────────────────────────────
# The CN calendar around National Day 2026, used below:
#   Sun 09-20 make-up working day; Fri 09-25 Mid-Autumn (off);
#   Mon 09-28, Tue 09-29, Wed 09-30 working; Thu 10-01 … Wed 10-07 off;
#   Thu 10-08, Fri 10-09 and Sat 10-10 (make-up) working; Sun 10-11 off; Mon 10-12 working.
AS_OF = date(2026, 10, 12)


@pytest.mark.parametrize(
    "entered",
    [
        [date(2026, 9, 25), None, date(2026, 10, 9), date(2026, 10, 12)],
        pd.Series([date(2026, 9, 25), None, date(2026, 10, 9), date(2026, 10, 12)]),
        pd.Series(pd.to_datetime(["2026-09-25", None, "2026-10-09", "2026-10-12"])),
        pd.Series([pd.Timestamp("2026-09-25"), pd.NaT, date(2026, 10, 9), "2026-10-12"]),
        np.array(["2026-09-25", "NaT", "2026-10-09", "2026-10-12"], dtype="datetime64[ns]"),
    ],
    ids=["dates", "date-series", "datetime64-series", "mixed-objects", "ndarray"],
)
def test_days_in_stage(entered):
    # 09-25 → 10-12: 09-28, 09-29, 09-30, 10-08, 10-09, 10-10, 10-12 = 7 (weekdays alone: 11);
    # missing → 0; Fri 10-09 → Mon 10-12: Sat 10-10 (make-up) + Mon = 2; same day → 0.
    assert metrics.days_in_stage(entered, AS_OF, CN).tolist() == [7, 0, 2, 0]


def test_stage_durations():
    history = pd.DataFrame(
        {
            "stage": ["lead", "lead", "lead", "proposal", "proposal", "lead"],
            "entered_on": pd.to_datetime(
                ["2026-09-25", "2026-09-18", "2026-10-08", "2026-09-20", None, "2026-10-20"]
            ),
            "left_on": pd.to_datetime(["2026-10-09", "2026-09-21", None, "2026-10-30", None, None]),
        }
    )
    table = metrics.stage_durations(history, AS_OF, CN)
    # lead: 09-25 → 10-09 = 09-28, 09-29, 09-30, 10-08, 10-09 = 5;
    #       Fri 09-18 → Mon 09-21 = Sun 09-20 (make-up) + Mon = 2;
    #       10-08 → still in, as of 10-12 = 10-09, 10-10, 10-12 = 3;
    #       entered 10-20, after as_of: left out.  mean (5 + 2 + 3) / 3 = 3.33, median 3.
    # proposal: 09-20 → left 10-30, after as_of so counted to 10-12:
    #       09-21..09-24 (4) + 09-28..09-30 (7) + 10-08, 10-09, 10-10 (10) + 10-12 (11) = 11;
    #       no entry date: left out.  mean 11, median 11.
    assert table.columns.tolist() == ["stage", "count", "mean_days", "median_days"]
    assert table["stage"].tolist() == ["lead", "proposal"]
    assert table["count"].tolist() == [3, 1]
    assert table["mean_days"].tolist() == pytest.approx([10 / 3, 11.0])
    assert table["median_days"].tolist() == pytest.approx([3.0, 11.0])
    empty = metrics.stage_durations(history.iloc[0:0], AS_OF, CN)
    assert empty.empty and empty.columns.tolist() == table.columns.tolist()


@pytest.mark.parametrize(
    ("days", "standard", "overdue", "over"),
    [
        (10, 7, True, 3),
        (8, 7, True, 1),
        (7, 7, False, 0),  # at the standard is not beyond it
        (3, 7, False, 0),
        (15, None, False, 0),  # no standard: never overdue
        (15, NAN, False, 0),
        (15, pd.NA, False, 0),
        (8, 7.5, True, 1),  # a part day beyond counts as a whole day
        (0, 0, False, 0),
    ],
)
def test_overdue_mask_and_days_over(days, standard, overdue, over):
    assert metrics.overdue_mask([days], [standard]).tolist() == [overdue]
    assert metrics.days_over([days], [standard]).tolist() == [over]


def test_overdue_mask_and_days_over_on_arrays():
    # Seed bottleneck: negotiation averages 15 days against a standard of 7 → 8 over.
    days = np.array([15, 7, 9, 20])
    standard = pd.Series([7, 7, None, 10], dtype="Int64")
    assert metrics.overdue_mask(days, standard).tolist() == [True, False, False, True]
    over = metrics.days_over(days, standard)
    assert over.dtype == np.int64
    assert over.tolist() == [8, 0, 0, 10]
    assert metrics.days_over(days, 7).tolist() == [8, 0, 2, 13]  # a scalar standard


def hand_made_open_opportunities() -> pd.DataFrame:
    """Six open opportunities around National Day 2026, as python dates and None."""
    d = date
    rows = [
        # id, entered, standard, idle, last activity, planned, done
        ("XS202609001", d(2026, 9, 25), 5, 5, d(2026, 9, 30), None, None),
        ("XS202609002", d(2026, 9, 20), 10, 5, None, d(2026, 9, 30), None),
        ("XS202610001", d(2026, 10, 9), 7, 5, d(2026, 10, 9), d(2026, 10, 10), d(2026, 10, 10)),
        ("XS202610002", d(2026, 10, 8), None, None, d(2026, 10, 8), d(2026, 10, 9), None),
        ("XS202609003", d(2026, 9, 25), 10, 10, d(2026, 9, 29), d(2026, 10, 12), None),
        ("XS202610003", d(2026, 10, 8), 10, 5, d(2026, 9, 1), None, None),
    ]
    columns = ["opportunity_id", "stage_entered_on", "standard_days", "idle_days"]
    columns += ["last_activity_on", "planned_on", "done_on"]
    return pd.DataFrame(rows, columns=columns)


def as_datetime64(frame: pd.DataFrame) -> pd.DataFrame:
    """The shape the store query gives: datetime64 columns, nullable integer standards."""
    out = frame.copy()
    for column in ("stage_entered_on", "last_activity_on", "planned_on", "done_on"):
        out[column] = pd.to_datetime(out[column])
    for column in ("standard_days", "idle_days"):
        out[column] = out[column].astype("Int64")
    return out


@pytest.mark.parametrize("convert", [lambda f: f, as_datetime64], ids=["dates", "datetime64"])
def test_overdue_opportunities_around_national_day(convert):
    frame = convert(hand_made_open_opportunities())
    before = frame.copy()
    result = metrics.overdue_opportunities(frame, AS_OF, CN)
    pd.testing.assert_frame_equal(frame, before)  # input untouched
    # XS202609002, entered Sun 09-20 (a make-up working day), standard 10, idle limit 5:
    #   in stage 09-21..09-24 (4) + 09-28..09-30 (7) + 10-08, 10-09, 10-10 (10) + 10-12 = 11
    #   → 1 over; no activity, so idle since entry: 11 > 5 → 6 beyond the limit;
    #   action planned Wed 09-30, not done: 10-08, 10-09, 10-10, 10-12 = 4 working days late.
    #   severity max(1, 4, 6) = 6.
    # XS202609001, entered Fri 09-25 (before National Day), standard 5: 09-28, 09-29, 09-30,
    #   10-08, 10-09, 10-10, 10-12 = 7 → 2 over (a weekday count would say 11 → 6);
    #   idle since Wed 09-30: 10-08, 10-09, 10-10, 10-12 = 4 ≤ 5; no action → severity 2.
    # XS202610002, entered Thu 10-08 (in stage 10-09, 10-10, 10-12 = 3; idle the same), no
    #   standard or idle limit; action planned Fri 10-09, not done: 10-10, 10-12 = 2 late
    #   → severity 2 (ties sort by id: after XS202609001).
    # Not overdue:
    # XS202610001: in stage since Fri 10-09 = 2 ≤ 7; action done on the make-up Sat 10-10.
    # XS202609003: 7 ≤ 10 in stage; idle since Tue 09-29 = 09-30, 10-08, 10-09, 10-10,
    #   10-12 = 5 ≤ 10; action planned for today, not yet late.
    # XS202610003: last activity 09-01 predates entering the stage on Thu 10-08, so idle
    #   counts from the entry: 10-09, 10-10, 10-12 = 3 ≤ 5; in stage 3 ≤ 10.
    assert result["opportunity_id"].tolist() == ["XS202609002", "XS202609001", "XS202610002"]
    assert result["days_in_stage"].tolist() == [11, 7, 3]
    assert result["days_over"].tolist() == [1, 2, 0]
    assert result["idle_working_days"].tolist() == [11, 4, 3]
    assert result["action_days_late"].tolist() == [4, 0, 2]
    assert result["reasons"].tolist() == [
        ("over_standard", "action_late", "idle"),
        ("over_standard",),
        ("action_late",),
    ]
    assert result["severity"].tolist() == [6, 2, 2]
    assert result.index.tolist() == [0, 1, 2]
    assert set(before.columns) < set(result.columns)


def test_planned_date_passed_over_a_holiday_is_late_by_zero_working_days():
    # Planned Wed 09-30, looked at on Sat 10-03: the date has passed undone (late), but no
    # working day has gone by since (10-01..10-03 are off), so 0 working days late.
    frame = hand_made_open_opportunities().iloc[[1]]
    result = metrics.overdue_opportunities(frame, date(2026, 10, 3), CN)
    # In stage since Sun 09-20: 09-21..09-24 + 09-28..09-30 = 7 ≤ 10; idle 7 > 5 → 2 beyond.
    assert result["reasons"].tolist() == [("action_late", "idle")]
    assert result["action_days_late"].tolist() == [0]
    assert result["severity"].tolist() == [2]


def test_overdue_opportunities_empty_and_missing_columns():
    empty = metrics.overdue_opportunities(hand_made_open_opportunities().iloc[0:0], AS_OF, CN)
    assert empty.empty
    assert {"days_in_stage", "reasons", "severity"} <= set(empty.columns)
    with pytest.raises(ValueError, match="idle_days"):
        frame = hand_made_open_opportunities().drop(columns="idle_days")
        metrics.overdue_opportunities(frame, AS_OF, CN)


def reference_overdue(row: dict, as_of: date) -> tuple[tuple[str, ...], int]:
    """Row-by-row reference of the overdue rules, walking the calendar day by day."""

    def count(start: date | None) -> int:
        if start is None:
            return 0
        return sum(
            CN.is_working_day(start + timedelta(days=i)) for i in range(1, (as_of - start).days + 1)
        )

    entered, last = row["stage_entered_on"], row["last_activity_on"]
    in_stage = count(entered)
    stage_over = in_stage - row["standard_days"] if row["standard_days"] is not None else 0
    since = entered if last is None or last < entered else last
    idle_over = count(since) - row["idle_days"] if row["idle_days"] is not None else 0
    planned = row["planned_on"]
    late = planned is not None and row["done_on"] is None and planned < as_of
    action = count(planned) if late else 0
    reasons = tuple(
        name
        for name, hit in [
            ("over_standard", stage_over > 0),
            ("action_late", late),
            ("idle", idle_over > 0),
        ]
        if hit
    )
    return reasons, max(stage_over, idle_over, action, 0)


def random_open_opportunities(n: int, seed: int = 42) -> pd.DataFrame:
    rng = random.Random(seed)
    first = date(2025, 6, 1)

    def some_day(after: date, spread: int) -> date:
        return after + timedelta(days=rng.randrange(spread))

    rows = []
    for i in range(n):
        entered = some_day(first, 500)
        rows.append(
            {
                "opportunity_id": f"XS{i:06d}",
                "stage_entered_on": entered,
                "standard_days": rng.choice([None, 5, 7, 10]),
                "idle_days": rng.choice([None, 5, 7]),
                "last_activity_on": rng.choice([None, some_day(entered - timedelta(20), 60)]),
                "planned_on": rng.choice([None, some_day(entered, 40)]),
                "done_on": rng.choice([None, None, some_day(entered, 40)]),
            }
        )
    return pd.DataFrame(rows)


def test_overdue_opportunities_agree_with_a_row_by_row_reference():
    as_of = date(2026, 10, 12)
    frame = random_open_opportunities(400)
    frame = frame[frame["stage_entered_on"] <= as_of]
    result = metrics.overdue_opportunities(as_datetime64(frame), as_of, CN)
    got = {
        row.opportunity_id: (row.reasons, row.severity) for row in result.itertuples(index=False)
    }
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    expected = {r["opportunity_id"]: reference_overdue(r, as_of) for r in records}
    expected = {k: v for k, v in expected.items() if v[0]}
    assert got == expected
    assert 50 < len(got) < len(frame)  # a mix of overdue and not
    assert result["severity"].is_monotonic_decreasing


def test_overdue_opportunities_scale_to_a_million_rows():
    n = 1_000_000
    rng = np.random.default_rng(0)
    entered = np.datetime64("2025-01-01") + rng.integers(0, 600, n).astype("timedelta64[D]")
    activity = entered + rng.integers(0, 30, n).astype("timedelta64[D]")
    frame = pd.DataFrame(
        {
            "opportunity_id": np.arange(n),
            "stage_entered_on": entered,
            "standard_days": pd.array(np.where(rng.random(n) < 0.1, None, 7), dtype="Int64"),
            "idle_days": 5,
            "last_activity_on": np.where(rng.random(n) < 0.3, np.datetime64("NaT"), activity),
            "planned_on": entered + rng.integers(0, 40, n).astype("timedelta64[D]"),
            "done_on": np.datetime64("NaT"),
        }
    )
    started = time.perf_counter()
    result = metrics.overdue_opportunities(frame, date(2025, 9, 1), CN)
    elapsed = time.perf_counter() - started
    # A per-row Python loop takes well over a minute here; the vectorised path about 1 s.
    assert elapsed < 20, elapsed
    assert 0 < len(result) < n
    assert result["severity"].is_monotonic_decreasing
