"""The shared filters: week and custom-range periods, the URL round trip with stable codes,
and which teams and reps each role may pick."""

from __future__ import annotations

from datetime import date

import pytest

from salesboard.calendar.periods import (
    custom_range,
    parse_period,
    period_containing,
    previous_period,
    same_period_last_year,
    week,
)
from salesboard.pipeline.view_filters import (
    FilterOptions,
    ViewFilters,
    filter_options,
    from_query,
    opportunity_filter,
    to_query,
    visible_filter,
)
from salesboard.store.db import read_session
from tests.companies.pipeline import build

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(
    ("label", "start", "end", "kind"),
    [
        ("2026-W48", date(2026, 11, 23), date(2026, 11, 29), "week"),
        ("2026W01", date(2025, 12, 29), date(2026, 1, 4), "week"),  # ISO week 1 starts in 2025
        ("2026-11-01..2026-11-23", date(2026, 11, 1), date(2026, 11, 23), "custom"),
        ("2026-11", date(2026, 11, 1), date(2026, 11, 30), "month"),
    ],
)
def test_parse_week_and_range(label, start, end, kind):
    period = parse_period(label)
    assert (period.start, period.end, period.kind) == (start, end, kind)


@pytest.mark.parametrize("label", ["2026-W54", "2026-11-23..2026-11-01", "2026-13", "soon"])
def test_bad_labels_are_refused(label):
    with pytest.raises(ValueError):
        parse_period(label)


def test_previous_and_last_year_of_weeks_and_ranges():
    assert period_containing("week", TODAY) == week(2026, 48)
    assert previous_period(week(2026, 1)) == week(2025, 52)
    # A 23-day range is compared with the 23 days before it.
    assert previous_period(custom_range(date(2026, 11, 1), date(2026, 11, 23))) == custom_range(
        date(2026, 10, 9), date(2026, 10, 31)
    )
    assert same_period_last_year(week(2026, 48)) == week(2025, 48)
    assert same_period_last_year(custom_range(date(2024, 2, 29), date(2024, 3, 1))) == (
        custom_range(date(2023, 2, 28), date(2023, 3, 1))
    )


@pytest.fixture
def store(engine):
    return build(engine)


def test_options_per_role(store):
    with read_session(store.engine) as s:
        options = {name: filter_options(s, v) for name, v in store.viewers.items()}
    teams = {name: o.codes("team") for name, o in options.items()}
    reps = {name: o.codes("rep") for name, o in options.items()}
    a, b = str(store.teams["A"]), str(store.teams["B"])
    assert teams == {"admin": [a, b], "leader": [a, b], "ma": [a], "mb": [b], "ra": [a], "rb": [b]}
    assert reps["admin"] == ["ma", "ra", "mb", "rb"]
    assert reps["ma"] == ["ma", "ra"] and reps["ra"] == ["ra"]
    # Everyone may filter by region, product line, customer type and source.
    assert options["ra"].codes("region") == ["east"] and options["ra"].codes("product") == ["cloud"]
    assert options["ra"].codes("ctype") == ["enterprise"]
    assert options["admin"].label("ctype", "enterprise", "zh") == "企业客户"


def test_url_round_trip_uses_stable_codes(store):
    with read_session(store.engine) as s:
        options = filter_options(s, store.viewers["admin"])
    view = ViewFilters(
        period=parse_period("2026-W09"),
        as_of=date(2026, 3, 5),
        selected={"team": (str(store.teams["A"]),), "rep": ("ra",), "region": ("east",)},
    )
    params = to_query(view, TODAY)
    assert params == {
        "period": "2026-W09",
        "as_of": "2026-03-05",
        "region": ["east"],
        "team": [str(store.teams["A"])],
        "rep": ["ra"],
    }
    assert from_query(params, TODAY, options) == view
    flt = view.opportunity_filter(options)
    assert flt.team_ids == (store.teams["A"],) and flt.owner_ids == (store.viewers["ra"].user_id,)


def test_url_values_outside_the_viewers_options_are_dropped(store):
    with read_session(store.engine) as s:
        options = filter_options(s, store.viewers["rb"])
    params = {"team": [str(store.teams["A"])], "rep": ["ra", "rb"], "period": "bogus"}
    view = from_query(params, TODAY, options)
    assert view.selected == {"rep": ("rb",)}
    assert view.period == period_containing("month", TODAY) and view.as_of == TODAY
    # And whatever the URL says, the filter is scoped to what the rep may read.
    assert visible_filter(store.viewers["rb"], options, view).owner_ids == (
        store.viewers["rb"].user_id,
    )


def test_unknown_codes_match_nothing_rather_than_everything():
    options = FilterOptions({"team": ()})
    assert opportunity_filter(options, {"team": ("99",)}).nothing
    assert not opportunity_filter(options, {}).nothing
