"""AppTests of the pipeline review, the opportunity detail view and the stage settings page
over the seeded demo store: the figures and table rows shown are what the ``salesboard``
functions compute from the store, per language and per role."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from salesboard.accounts.access import viewer_for
from salesboard.calendar.periods import period_containing, previous_period
from salesboard.i18n import format_count, format_money, format_percent, t
from salesboard.pipeline import changes, durations, funnel, kpis, overdue
from salesboard.pipeline.view_filters import filter_options
from salesboard.store.db import create_store_engine
from salesboard.store.filters import OpportunityFilter
from salesboard.store.models import Opportunity, Role, User
from tests.apptest_support import first_user, open_app
from tests.conftest import DEMO_TODAY

PAGE = "pages/pipeline_review.py"
DETAIL = "pages/opportunity_detail.py"
STAGES = "pages/stage_settings.py"
TODAY = date.fromisoformat(DEMO_TODAY)
MONTH = period_containing("month", TODAY)
WEEK = period_containing("week", TODAY)
ALL = OpportunityFilter()


def query(url: str, func, username: str = "admin", *args):
    """``func(session, viewer, *args)`` for ``username`` on the store at ``url``."""
    engine = create_store_engine(url)
    try:
        with Session(engine) as session:
            user = session.exec(select(User).where(User.username == username)).one()
            return func(session, viewer_for(session, user), *args)
    finally:
        engine.dispose()


def open_section(section: str, lang: str = "zh", user: str = "admin"):
    at = open_app(PAGE, lang=lang, user=user, timeout=120)
    at.session_state[f"pl_tabs_{lang}"] = t(f"pipeline.tab_{section}", lang)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def codes_in(frame) -> list[str]:
    return [link.split("code=")[1].split("&")[0] for link in frame["link"]]


def in_month(at):
    """Switch the review's period from the default week to the month of ``TODAY``."""
    at.segmented_control(key="fb_kind").set_value("month").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_empty_funnel_says_why_instead_of_drawing_nothing(demo_app_env, lang):
    """The demo's today is a Monday: no deal was created this week yet. The page says so and
    what to change, instead of a chart of stage names and a table of zeros."""
    cohort = query(demo_app_env, funnel.stage_funnel, "admin", WEEK, ALL, "cohort")
    assert cohort["reached"].sum() == 0  # the case this test is about
    at = open_app(PAGE, lang=lang, timeout=120)
    assert [i.value for i in at.info] == [
        t("pipeline.funnel_empty_cohort", lang, period=WEEK.label)
    ]
    assert not at.metric and not at.get("plotly_chart")
    at.segmented_control(key="pl_mode").set_value("flow").run()
    flow = query(demo_app_env, funnel.stage_funnel, "admin", WEEK, ALL, "flow")
    assert flow["reached"].sum() > 0  # deals moved this Monday: a funnel, no message
    assert not at.info and at.get("plotly_chart")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_funnel_tiles_and_table(demo_app_env, lang):
    """The weekly review opens on this week's cohort funnel (issue 13: the default reads as
    a funnel); the month's stage entries show their same-deal conversions."""
    at = open_app(PAGE, lang=lang, timeout=120)
    assert at.title[0].value == t("pipeline.title", lang)
    assert at.selectbox(key="fb_week").value == WEEK.label
    # Last week (this one has only begun): the deals created then, stage by stage.
    last_week = previous_period(WEEK)
    at.selectbox(key="fb_week").set_value(last_week.label).run()
    cohort = query(demo_app_env, funnel.stage_funnel, "admin", last_week, ALL, "cohort")
    assert cohort["reached"].iloc[0] > 0
    shown = metrics(at)
    assert shown[t("pipeline.first_cohort", lang)] == format_count(int(cohort["reached"].iloc[0]))
    table = at.dataframe[0].value
    assert table[t("pipeline.reached", lang)].tolist() == cohort["reached"].tolist()
    in_month(at)
    at.segmented_control(key="pl_mode").set_value("flow").run()
    flow = query(demo_app_env, funnel.stage_funnel, "admin", MONTH, ALL, "flow")
    won = funnel.won_stage(flow)
    assert flow["reached"].iloc[0] > 0 and won["reached"] > 0
    shown = metrics(at)
    assert shown[t("pipeline.first_flow", lang)] == format_count(int(flow["reached"].iloc[0]))
    assert shown[t("pipeline.lead_to_won", lang)] == format_percent(won["from_first"])
    assert shown[t("pipeline.won_count_flow", lang)] == format_count(int(won["reached"]))
    assert shown[t("pipeline.won_amount_flow", lang)] == format_money(
        int(won["amount_minor"]), lang
    )
    table = at.dataframe[0].value
    assert table[t("pipeline.reached", lang)].tolist() == flow["reached"].tolist()
    # The drill-down lists the deals behind the first stage, biggest first.
    drill = query(
        demo_app_env,
        funnel.funnel_opportunities,
        "admin",
        MONTH,
        ALL,
        flow["stage"].iloc[0],
        "flow",
    )
    assert codes_in(at.dataframe[1].value) == drill["code"].tolist()


def test_funnel_comparison_with_previous_period(demo_app_env):
    at = in_month(open_app(PAGE, lang="en", timeout=120))
    at.selectbox(key="pl_compare").set_value("previous").run()
    assert not at.exception
    previous = query(demo_app_env, funnel.stage_funnel, "admin", period_containing("month", date(2026, 10, 1)), ALL, "cohort")  # fmt: skip
    table = at.dataframe[0].value
    assert table["Comparison reached"].tolist() == previous["reached"].tolist()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overdue_table_rows_and_figures(demo_app_env, lang):
    at = open_section("overdue", lang)
    rows, total, amount = query(demo_app_env, overdue.overdue_table, "admin", ALL, TODAY, (), 200)
    fresh = query(demo_app_env, overdue.newly_overdue, "admin", ALL, TODAY)
    assert total > 0
    shown = metrics(at)
    assert shown[t("pipeline.overdue_count", lang)] == format_count(total)
    assert shown[t("pipeline.overdue_amount", lang)] == format_money(amount, lang)
    assert shown[t("pipeline.newly_overdue", lang)] == format_count(len(fresh))
    editor = at.dataframe[0].value
    assert codes_in(editor) == rows["code"].tolist()
    assert editor["severity"].tolist() == rows["severity"].tolist()
    assert editor["owner"].tolist() == rows["owner"].tolist()


def test_filtering_to_one_team_changes_the_table(demo_app_env):
    at = open_section("overdue")
    team = at.multiselect(key="fb_team").options[0]
    at.multiselect(key="fb_team").set_value([team]).run()
    options = query(demo_app_env, filter_options, "admin")
    code = next(o.code for o in options.choices["team"] if o.name_zh == team)
    team_filter = OpportunityFilter(team_ids=(int(code),))
    rows, total, _ = query(
        demo_app_env, overdue.overdue_table, "admin", team_filter, TODAY, (), 200
    )
    assert metrics(at)[t("pipeline.overdue_count", "zh")] == format_count(total)
    assert codes_in(at.dataframe[0].value) == rows["code"].tolist()
    assert at.query_params["team"] in (code, [code])  # the stable id, not the team's name


def owner_of_the_worst_overdue_deal(url: str) -> str:
    """The username of a rep with overdue deals: the owner of the company's worst one."""
    rows, _, _ = query(url, overdue.overdue_table, "admin", ALL, TODAY, (), 1)
    deal = select(Opportunity).where(Opportunity.code == rows["code"].iloc[0])
    return query(url, lambda s, v: s.get(User, s.exec(deal).one().owner_id).username)


def test_a_rep_sees_only_their_own_rows(demo_app_env):
    rep = owner_of_the_worst_overdue_deal(demo_app_env)
    at = open_section("overdue", "en", user=rep)
    rows, total, _ = query(demo_app_env, overdue.overdue_table, rep, ALL, TODAY, (), 200)
    _, company_total, _ = query(demo_app_env, overdue.overdue_table, "admin", ALL, TODAY)
    me = query(demo_app_env, lambda s, v: s.get(User, v.user_id), rep)
    assert me.role == Role.REP and 0 < total < company_total
    editor = at.dataframe[0].value
    assert metrics(at)["Overdue deals"] == format_count(total)
    assert set(editor["owner"]) == {me.display_name}
    assert codes_in(editor) == rows["code"].tolist()
    # The team and rep filters would offer only the rep themself: they are not shown.
    assert not {w.key for w in at.multiselect} & {"fb_rep", "fb_team", "pl_overdue_owner"}


def test_a_leader_reads_but_cannot_save(demo_app_env):
    at = open_section("overdue", "en", user=first_user(Role.LEADER))
    assert any("can view but not change" in i.value for i in at.info)
    save = next(b for b in at.button if b.label == "Save changes")
    assert save.disabled


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_changes_tiles(demo_app_env, lang):
    at = open_section("changes", lang)
    summary = changes.change_summary(
        query(demo_app_env, changes.week_changes, "admin", ALL, TODAY).rows
    )
    assert summary["count"].sum() > 0
    shown = metrics(at)
    for row in summary.itertuples(index=False):
        assert shown[t(f"pipeline.change_{row.kind}", lang)] == format_count(row.count)
    assert len(at.dataframe[0].value) == summary["count"].sum()


def test_changes_list_is_capped_per_kind_but_tiles_count_all(demo_app_env, monkeypatch):
    from salesboard.ui import pipeline_review

    every = query(demo_app_env, changes.week_changes, "admin", ALL, TODAY).rows
    summary = changes.change_summary(every)
    cap = 2
    capped = summary[summary["count"] > cap]
    assert len(capped) >= 2, "the demo week should have more than 2 changes of several kinds"
    monkeypatch.setattr(pipeline_review, "CHANGE_ROWS", cap)
    at = open_section("changes", "en")
    shown = metrics(at)
    for row in summary.itertuples(index=False):
        assert shown[t(f"pipeline.change_{row.kind}", "en")] == format_count(row.count)
    table = at.dataframe[0].value
    per_kind = table["change"].value_counts()
    for row in summary.itertuples(index=False):
        assert per_kind.get(t(f"pipeline.change_{row.kind}", "en"), 0) == min(cap, row.count)
    # The biggest deals of a capped kind are the ones listed.
    kind = capped["kind"].iloc[0]
    biggest = every[every["kind"] == kind].nlargest(cap, "amount_minor")["code"]
    listed = table[table["change"] == t(f"pipeline.change_{kind}", "en")]
    assert sorted(codes_in(listed)) == sorted(biggest)
    note = next(c.value for c in at.caption if c.value.startswith("Showing the 2 biggest"))
    assert all(t(f"pipeline.change_{k}", "en") in note for k in capped["kind"])


def test_durations_call_out_the_bottleneck(demo_app_env):
    at = in_month(open_section("durations", "en"))
    summary = query(demo_app_env, durations.stage_duration_summary, "admin", MONTH, ALL)
    neck = durations.bottleneck(summary)
    assert neck is not None and neck["stage"] == "negotiation"  # the seed's bottleneck
    assert any(f"{neck['mean_days']:.1f} working days" in w.value for w in at.warning)
    table = at.dataframe[0].value
    assert table["Deals"].tolist() == summary["count"].tolist()


def test_kpi_table_matches_the_kpis(demo_app_env):
    at = in_month(open_section("kpis", "en"))
    frame = query(demo_app_env, kpis.stage_kpis, "admin", MONTH, ALL, TODAY)
    table = at.dataframe[0].value
    proposal = frame[(frame["stage"] == "proposal") & (frame["kpi"] == "on_time")].iloc[0]
    cell = table.loc[table["Stage"] == "Proposal", "Key actions on time"].iloc[0]
    assert cell.startswith(format_percent(proposal["value"]))
    assert f"({proposal['numerator']:,}/{proposal['denominator']:,})" in cell


def test_risks_tab_lists_the_deals_behind_a_theme(demo_app_env):
    from salesboard.pipeline import risks

    themes = query(demo_app_env, risks.feedback_themes, "admin", ALL)
    assert (themes["count"] > 0).sum() >= 2, "the demo should mention several themes"
    at = open_section("risks", "en")
    picker = at.selectbox(key="pl_theme")
    # Themes are offered most mentioned first, each with its deal count.
    assert picker.options == [
        f"{t(f'theme.{row.theme}', 'en')} ({row.count:,})" for row in themes.itertuples()
    ]
    for theme in themes["theme"][:2]:
        picker.set_value(theme).run()
        expected = query(demo_app_env, risks.theme_opportunities, "admin", ALL, theme)
        table = at.dataframe[0].value
        assert codes_in(table) == expected["code"].tolist()
        assert table["quote"].tolist() == expected["quote"].tolist()
        picker = at.selectbox(key="pl_theme")


def test_opportunity_detail_and_refusal(demo_app_env):
    rep = first_user(Role.REP)
    engine = create_store_engine(demo_app_env)
    with Session(engine) as s:
        rep_id = s.exec(select(User.id).where(User.username == rep)).one()
        own = s.exec(select(Opportunity.code).where(Opportunity.owner_id == rep_id)).first()
        other = s.exec(select(Opportunity.code).where(Opportunity.owner_id != rep_id)).first()
    engine.dispose()
    at = open_app(DETAIL, lang="en", user="admin", timeout=60)
    at.text_input(key="deal_code").input(own).run()
    assert not at.exception and at.subheader[0].value.startswith(own)
    assert len(at.dataframe) == 3  # stages, key actions, history
    at = open_app(DETAIL, lang="en", user=rep, timeout=60)
    at.text_input(key="deal_code").input(other).run()
    assert any("not found, or you have no access" in w.value for w in at.warning)
    assert not at.subheader and not at.dataframe


def test_stage_settings_is_for_admins(demo_app_env):
    at = open_app(STAGES, lang="en", user="admin", timeout=60)
    assert at.title[0].value == "Sales stage settings"
    assert len(at.dataframe) == 3  # stages, thresholds and assessment dimensions editors
    # Not in a manager's navigation at all (and the page itself checks the role).
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_app(STAGES, lang="en", user=first_user(Role.MANAGER), timeout=60)
