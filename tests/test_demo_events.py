"""The demo's opportunity history agrees with the rest of the demo data, so "what changed
since last week" and the detail view's history tell a consistent story."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
from sqlalchemy import create_engine

from salesboard.demo.events import WINDOW_DAYS
from tests.conftest import DEMO_TODAY


def frame(url: str, sql: str) -> pd.DataFrame:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return pd.read_sql_query(sql, conn)
    finally:
        engine.dispose()


def test_demo_events_are_consistent_with_the_deals(demo_store):
    events = frame(
        demo_store,
        "select e.kind, e.happened_on, e.old_value, e.new_value, e.note, o.status, o.risk_flag,"
        " o.expected_close_on, o.last_activity_on from opportunity_event e"
        " join opportunity o on o.id = e.opportunity_id",
    )
    today = date.fromisoformat(DEMO_TODAY)
    days = pd.to_datetime(events["happened_on"]).dt.date
    assert set(events["kind"]) >= {"expected_close", "risk_flag", "note", "comment"}
    assert days.between(today - timedelta(days=WINDOW_DAYS), today).all()
    assert (events["status"] == "open").all()
    slips = events[events["kind"].isin(["expected_close", "planned_date"])]
    assert (slips["new_value"] > slips["old_value"]).all()
    closes = events[events["kind"] == "expected_close"]
    assert (closes["new_value"] == closes["expected_close_on"].astype(str)).all()
    # The pipeline's flags (a support request's flag comes and goes with it: tests/support).
    flags = events[(events["kind"] == "risk_flag") & ~events["note"].str.startswith("support #")]
    assert (flags["new_value"] == flags["risk_flag"]).all() and (flags["new_value"] != "").all()
    notes = events[events["kind"] == "note"]
    assert (notes["happened_on"].astype(str) == notes["last_activity_on"].astype(str)).all()
    assert (events.loc[events["kind"].isin(["note", "comment"]), "note"] != "").all()
