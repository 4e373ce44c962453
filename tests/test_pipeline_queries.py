"""The pipeline review's queries on the hand-made store of ``tests/companies/pipeline.py``; every
expected number is worked out by hand in the comments (working days use China's 2026
calendar: Spring Festival off 02-16…02-20 and 02-23, make-up Saturdays 02-14 and 02-28)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from salesboard.calendar.periods import custom_range, parse_period
from salesboard.calendar.workdays import make_calendar
from salesboard.metrics import days_in_stage
from salesboard.pipeline import changes, durations, kpis, overdue, risks
from salesboard.store.db import read_session
from salesboard.store.filters import OpportunityFilter
from tests.companies.pipeline import AS_OF, build

ALL = OpportunityFilter()
CN = make_calendar("CN")
MARCH = custom_range(date(2026, 3, 1), AS_OF)


@pytest.fixture
def store(engine):
    return build(engine)


@pytest.mark.parametrize(
    ("entered", "as_of", "expected"),
    [
        # Friday before Spring Festival. After it: Sat 02-14 is a make-up workday (1); Sun
        # 02-15 off; 02-16…02-20 and Mon 02-23 holiday; 02-21/22 weekend; Tue 02-24 … Fri
        # 02-27 (2, 3, 4, 5). A calendar-day count says 14, a Mon–Fri count 10.
        (date(2026, 2, 13), date(2026, 2, 27), 5),
        # … then Sat 02-28 make-up (6), Mon 03-02 … Thu 03-05 (7, 8, 9, 10).
        (date(2026, 2, 13), date(2026, 3, 5), 10),
        # Wednesday before National Day: 10-01…10-07 off, Thu 10-08 (1), Fri 10-09 (2),
        # Sat 10-10 make-up (3), Sun 10-11 off, Mon 10-12 (4).
        (date(2026, 9, 30), date(2026, 10, 12), 4),
    ],
)
def test_days_in_stage_across_chinese_holidays(entered, as_of, expected):
    assert days_in_stage(np.array([entered], dtype="datetime64[D]"), as_of, CN)[0] == expected


def test_overdue_table_worst_first_with_the_seed_columns(store):
    with read_session(store.engine) as s:
        table, total, amount = overdue.overdue_table(s, store.viewers["admin"], ALL, AS_OF)
    # D7: needs analysis since 02-02 = 19 working days (standard 10 → 9 over); its action
    # planned 02-20 is 9 working days late (02-24…02-27, 02-28, 03-02…03-05) → severity 9.
    # D1: lead since Fri 02-13 = 10 working days (standard 7 → 3 over); action planned
    # 02-27 → 5 late; idle since 02-13 = 10 > 5 → 5 over → severity 5.
    assert table["code"].tolist() == [store.codes["D7"], store.codes["D1"]]
    assert total == 2 and amount == (70_000 + 100_000) * 100
    d7, d1 = table.iloc[0], table.iloc[1]
    assert (d7["severity"], d7["days_over"], d7["action_days_late"]) == (9, 9, 9)
    assert d7["reasons"] == ("over_standard", "action_late")
    assert (d1["severity"], d1["days_over"], d1["action_days_late"], d1["idle_working_days"]) == (
        5, 3, 5, 10,
    )  # fmt: skip
    assert d1["reasons"] == ("over_standard", "action_late", "idle")
    assert d7["key_action"] == "需求文档确认" and d7["planned_on"] == date(2026, 2, 20)
    assert d7["customer_feedback"] == "预算待审批" and d7["risk_flag"] == "延迟(客户原因)"
    assert d7["last_comment"] == "客户说报价太贵" and d7["owner"] == "销售A"
    assert d1["done_on"] is None and d1["stage"] == "lead"


def test_overdue_on_the_friday_before_spring_festival_is_not_yet_late(store):
    # As of 02-26: D1 has 4 working days in lead (≤ 7), idle 4 (≤ 5), action due 02-27.
    with read_session(store.engine) as s:
        table, total, _ = overdue.overdue_table(s, store.viewers["admin"], ALL, date(2026, 2, 26))
    assert store.codes["D1"] not in table["code"].tolist()


def test_newly_overdue_compares_with_a_week_earlier(store):
    # D1 became overdue this week; D7 was already over its standard on 02-26 (13 working
    # days in needs analysis > 10).
    with read_session(store.engine) as s:
        fresh = overdue.newly_overdue(s, store.viewers["admin"], ALL, AS_OF)
    assert fresh["opportunity_id"].tolist() == [store.deals["D1"]]


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("ra", ["D7", "D1"]), ("ma", ["D7", "D1"]), ("rb", []), ("mb", []), ("leader", ["D7", "D1"])],
)
def test_overdue_rows_follow_visibility(store, viewer, expected):
    with read_session(store.engine) as s:
        table, total, _ = overdue.overdue_table(s, store.viewers[viewer], ALL, AS_OF)
    assert table["code"].tolist() == [store.codes[d] for d in expected] and total == len(expected)


def test_overdue_filtered_by_owner(store):
    ra = store.viewers["ra"].user_id
    rb = store.viewers["rb"].user_id
    with read_session(store.engine) as s:
        mine, _, _ = overdue.overdue_table(s, store.viewers["admin"], ALL, AS_OF, (ra,))
        other, _, _ = overdue.overdue_table(s, store.viewers["admin"], ALL, AS_OF, (rb,))
        # A rep cannot widen their view by asking for someone else's deals.
        sneaky, _, _ = overdue.overdue_table(s, store.viewers["rb"], ALL, AS_OF, (ra,))
    assert len(mine) == 2 and other.empty and sneaky.empty


def test_weekly_changes(store):
    with read_session(store.engine) as s:
        frame = changes.week_changes(s, store.viewers["admin"], ALL, AS_OF).rows
    summary = changes.change_summary(frame).set_index("kind")
    codes = {k: sorted(frame.loc[frame["kind"] == k, "code"]) for k in changes.CHANGE_KINDS}
    c = store.codes
    assert codes == {
        "new": [c["D5"]],  # created 03-02
        "advanced": [c["D2"]],  # proposal on 02-26 → negotiation now
        "moved_back": [c["D6"]],  # proposal on 02-26 → needs analysis now
        "slipped": [c["D7"]],  # expected close 03-31 → 04-30 on 03-03 (D1's moved earlier)
        "won": [c["D4"]],
        "lost": [c["D3"]],
        "newly_overdue": [c["D1"]],
    }
    assert summary.loc["won", "amount_minor"] == 400_000 * 100
    assert summary.loc["advanced", "amount_minor"] == 200_000 * 100
    moves = frame.set_index("kind")
    assert (moves.loc["advanced", "from_value"], moves.loc["advanced", "to_value"]) == (
        "proposal", "negotiation",
    )  # fmt: skip
    assert (moves.loc["slipped", "from_value"], moves.loc["slipped", "to_value"]) == (
        "2026-03-31", "2026-04-30",
    )  # fmt: skip


def test_capped_week_still_counts_each_kind(store):
    # D2 advanced and D6 moved back in the same week: each direction is its own kind in the
    # summary, however few rows are listed.
    with read_session(store.engine) as s:
        every = changes.week_changes(s, store.viewers["admin"], ALL, AS_OF)
        capped = changes.week_changes(s, store.viewers["admin"], ALL, AS_OF, limit=1)
    pd.testing.assert_frame_equal(capped.summary, changes.change_summary(every.rows))
    pd.testing.assert_frame_equal(capped.summary, every.summary)
    counts = capped.summary.set_index("kind")["count"]
    assert counts["advanced"] == 1 and counts["moved_back"] == 1
    assert capped.rows.groupby("kind").size().max() == 1


def test_weekly_changes_for_a_rep_only_show_their_deals(store):
    with read_session(store.engine) as s:
        frame = changes.week_changes(s, store.viewers["rb"], ALL, AS_OF).rows
    assert set(frame["code"]) == {store.codes[d] for d in ("D3", "D4", "D6")}


def test_stage_durations_and_bottleneck(store):
    # Stays that ended 03-01…03-05: proposal D2 02-02→03-02 = 16 working days, D3
    # 02-10→03-03 = 11, D6 02-25→03-03 = 5 → mean 32/3, median 11, 2 of 3 over 10;
    # negotiation D4 02-11→03-04 = 11 (standard 7: ratio 11/7).
    with read_session(store.engine) as s:
        summary = durations.stage_duration_summary(s, store.viewers["admin"], MARCH, ALL, CN)
    by_stage = summary.set_index("stage")
    assert by_stage.loc["proposal", "count"] == 3
    assert by_stage.loc["proposal", "mean_days"] == pytest.approx(32 / 3)
    assert by_stage.loc["proposal", "median_days"] == 11
    assert by_stage.loc["proposal", "over_share"] == pytest.approx(2 / 3)
    assert by_stage.loc["negotiation", "mean_days"] == 11
    assert by_stage.loc["lead", "count"] == 0
    # Five stays are needed to call a bottleneck; with one, negotiation (11/7) is it.
    assert not summary["bottleneck"].any()
    marked = durations.mark_bottleneck(summary, min_stays=1)
    assert marked.loc[marked["bottleneck"], "stage"].tolist() == ["negotiation"]


def test_duration_trend_by_month(store):
    with read_session(store.engine) as s:
        trend = durations.stage_duration_trend(s, store.viewers["admin"], AS_OF, ALL, 2, CN)
    march = trend[trend["month"] == "2026-03"].set_index("stage")
    assert march.loc["proposal", "count"] == 3 and march.loc["negotiation", "count"] == 1
    # February: lead stays D7 (01-09→02-02) ended 02-02; needs D2 (01-12→02-02), D3
    # (01-13→02-10), D6 (01-15→02-25); proposal D4 (01-28→02-11).
    february = trend[trend["month"] == "2026-02"].set_index("stage")
    assert february.loc["needs_analysis", "count"] == 3
    assert february.loc["proposal", "count"] == 1


def test_stage_kpis_against_thresholds(store):
    with read_session(store.engine) as s:
        frame = kpis.stage_kpis(s, store.viewers["admin"], MARCH, ALL, AS_OF, CN)
        february = kpis.stage_kpis(
            s, store.viewers["admin"], parse_period("2026-02"), ALL, AS_OF, CN
        )
    k = frame.set_index(["stage", "kpi"])
    # Proposal stays ending 03-01…03-05: D2 moved on, D3 lost, D6 moved back → 1/3 < 80 %.
    assert (k.loc[("proposal", "pass_rate"), "numerator"], k.loc[("proposal", "pass_rate"), "denominator"]) == (1, 3)  # fmt: skip
    assert k.loc[("proposal", "pass_rate"), "status"] == "missed"
    # … within the 10-day standard: only D6 (5) → 1/3.
    assert k.loc[("proposal", "within_standard"), "value"] == pytest.approx(1 / 3)
    # Negotiation: D4 moved on to contract → 1/1, no threshold by default.
    assert k.loc[("negotiation", "pass_rate"), "status"] == "no_threshold"
    assert k.loc[("negotiation", "pass_rate"), "value"] == 1
    f = february.set_index(["stage", "kpi"])
    # Proposal submissions planned in February (issue 13: the proposal KPIs count the
    # "submit proposal" action only, not D2's customer confirmation of 02-20): D2 02-10
    # (done 02-09, on time), D3 02-20 (never done) → on time 1/2 against 95 %, done 1/2.
    assert (f.loc[("proposal", "on_time"), "numerator"], f.loc[("proposal", "on_time"), "denominator"]) == (1, 2)  # fmt: skip
    assert (f.loc[("proposal", "completion"), "numerator"], f.loc[("proposal", "completion"), "denominator"]) == (1, 2)  # fmt: skip
    assert f.loc[("proposal", "on_time"), "threshold"] == 0.95
    assert f.loc[("proposal", "on_time"), "status"] == "missed"
    # Proposal stays ending in February: D4 (→ negotiation 02-11) passed: 1/1 ≥ 80 %.
    assert f.loc[("proposal", "pass_rate"), "status"] == "met"


def test_kpi_thresholds_are_configurable_and_audited(store):
    from salesboard.accounts.access import PermissionDenied
    from salesboard.accounts.audit import audit_trail
    from salesboard.store.db import write_session

    with write_session(store.engine) as s:
        kpis.save_thresholds(s, store.viewers["admin"], {"*": {"on_time": 0.3}})
    with pytest.raises(PermissionDenied), write_session(store.engine) as s:
        kpis.save_thresholds(s, store.viewers["ma"], {"*": {"on_time": 0.1}})
    with pytest.raises(ValueError), write_session(store.engine) as s:
        kpis.save_thresholds(s, store.viewers["admin"], {"*": {"on_time": 95}})
    with read_session(store.engine) as s:
        f = kpis.stage_kpis(s, store.viewers["admin"], parse_period("2026-02"), ALL, AS_OF, CN)
        trail = audit_trail(s, entity="setting")
    # 1/3 on time now meets a 30 % threshold; the proposal's own entry is gone with "*" only.
    row = f.set_index(["stage", "kpi"]).loc[("proposal", "on_time")]
    assert row["threshold"] == 0.3 and row["status"] == "met"
    assert len(trail) == 1 and trail.iloc[0]["actor_name"] == "admin"


def test_risk_flags_and_feedback_themes(store):
    with read_session(store.engine) as s:
        flags = risks.risk_flag_counts(s, store.viewers["admin"], ALL)
        themes = risks.feedback_themes(s, store.viewers["admin"], ALL).set_index("theme")
        price = risks.theme_opportunities(s, store.viewers["admin"], ALL, "price")
        rep_themes = risks.feedback_themes(s, store.viewers["rb"], ALL).set_index("theme")
    # Open deals: D6 and D7 flagged 延迟(客户原因) (60k + 70k), D2 竞品威胁 (200k).
    assert list(flags.itertuples(index=False, name=None)) == [
        ("延迟(客户原因)", 2, 130_000 * 100), ("竞品威胁", 1, 200_000 * 100),
    ]  # fmt: skip
    # Price: D2 "价格偏高" and D7's comment "报价太贵"; budget: D7 "预算待审批". D3's
    # "选择竞品" is on a lost deal, so no open deal mentions a competitor.
    assert themes.loc["price", "count"] == 2
    assert themes.loc["price", "amount_minor"] == 270_000 * 100
    assert themes.loc["budget", "count"] == 1 and themes.loc["competitor", "count"] == 0
    assert sorted(price["code"]) == [store.codes["D2"], store.codes["D7"]]
    assert rep_themes["count"].sum() == 0  # rep B's open deal (D6) has no feedback


def test_theme_matching_is_case_insensitive_and_needs_a_keyword():
    assert risks.mentions("Customer says the PRICE is too high", "price")
    assert risks.mentions("需补充竞品对比", "competitor")
    assert not risks.mentions("满意", "price")


def test_lists_in_running_text_use_the_languages_separator():
    from salesboard.i18n import format_list

    assert format_list(["价格", "预算"], "zh") == "价格、预算"
    assert format_list(["Price", "Budget", 3], "en") == "Price, Budget, 3"
    assert format_list([], "en") == ""


def test_changes_summary_has_every_kind_even_when_empty():
    summary = changes.change_summary(pd.DataFrame(columns=changes.CHANGE_COLUMNS))
    assert summary["kind"].tolist() == list(changes.CHANGE_KINDS)
    assert summary["count"].sum() == 0


def test_flow_funnel_counts_each_deal_once_per_stage(store):
    from salesboard.pipeline import funnel

    period = custom_range(date(2026, 1, 1), AS_OF)
    with read_session(store.engine) as s:
        flow = funnel.stage_funnel(s, store.viewers["admin"], period, ALL, "flow")
        deals = funnel.funnel_opportunities(
            s, store.viewers["admin"], period, ALL, "needs_analysis", "flow"
        )
        team_a = funnel.stage_funnel(
            s,
            store.viewers["admin"],
            period,
            OpportunityFilter(team_ids=(store.teams["A"],)),
            "flow",
        )
    # Entries 01-01…03-05: lead all 7; needs analysis D2, D3, D4, D7 and D6 (twice, counted
    # once); proposal D2, D3, D4, D6; negotiation D2, D4; contract D4; delivery D4 (signed).
    assert flow["reached"].tolist() == [7, 5, 4, 2, 1, 1]
    # Conversions of the same deals (issue 13), never above 100 %: of the 5 that entered
    # needs analysis, D2, D3, D4, D6 got to proposal (4/5); of the 4 in proposal, D2 and D4
    # to negotiation (2/4); of those 2, D4 to contract (1/2) and on to delivery (1/1).
    assert flow["conversion"].tolist()[1:] == pytest.approx([5 / 7, 4 / 5, 2 / 4, 1 / 2, 1.0])
    assert flow["from_first"].tolist() == pytest.approx([1, 5 / 7, 4 / 7, 2 / 7, 1 / 7, 1 / 7])
    needs = flow.set_index("stage").loc["needs_analysis"]
    assert needs["amount_minor"] == (200_000 + 300_000 + 400_000 + 60_000 + 70_000) * 100
    assert sorted(deals["code"]) == sorted(store.codes[d] for d in ("D2", "D3", "D4", "D6", "D7"))
    # Team A: D1, D2, D5, D7 → lead 4, needs D2 and D7, proposal and negotiation D2.
    assert team_a["reached"].tolist() == [4, 2, 1, 1, 0, 0]
